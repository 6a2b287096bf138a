"""The facts models of an audit event as skills show it (`templates/_audit_event.md.j2`)."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from idpilot.skills.base import SkillFacts


class ValuePart(SkillFacts):
    """A piece of an old or new value: text, and the evidence reference of the object it names."""

    text: str
    ref: str | None = None


class AuditChangeFact(SkillFacts):
    """One modified property of an audit target, its ids shown as the objects they name."""

    name: str
    old: str | None = None
    new: str | None = None
    old_parts: list[ValuePart] | None = None
    new_parts: list[ValuePart] | None = None


class AuditTargetFact(SkillFacts):
    """One target of an audit event, named and cited when the store holds it."""

    id: str | None = None
    type: str | None = None
    name: str | None = None
    ref: str | None = None
    changes: list[AuditChangeFact] = Field(default_factory=list)
    related: dict[str, str] = Field(default_factory=dict)
    """Additional details of the target (`Group.DisplayName`...), as the log gives them."""
    about: str = ""


class AuditEventFact(SkillFacts):
    """A directory audit event as template facts (its record is in the evidence)."""

    id: str
    when: datetime | None = None
    activity: str
    category: str | None = None
    result: str | None = None
    result_reason: str | None = None
    actor: str | None = None
    """The actor's UPN (else name or id) as the log gives it."""
    actor_name: str | None = None
    """The acting user's display name from the directory, when the log gives only the UPN."""
    actor_ref: str | None = None
    """The evidence reference of that user (cited beside the name)."""
    actor_kind: str | None = None
    ip: str | None = None
    targets: list[AuditTargetFact] = Field(default_factory=list)


class OwnerRemovalFact(AuditEventFact):
    """The audit event that removed a group's last owner, with the owner it removed."""

    owner: AuditTargetFact | None = None


class AccountChangeFact(AuditEventFact):
    """An audit event that changed a user's account, and the kind of change (`UserChange`)."""

    kind: str


class SignInBrief(SkillFacts):
    """A sign-in an answer points at: its id (cited), time and app."""

    id: str
    when: datetime
    app: str | None = None


class FailureLinks(SkillFacts):
    """What the audit log says about a sign-in failure: the change that explains it, what
    followed, and every change of the account around it (the optional ones only where the
    error codes call for them and the log has the event)."""

    days_before: int
    days_after: int
    changes: list[AccountChangeFact]
    more_changes: int
    disabled_audit_missing: bool | None = None
    disabled_by: AuditEventFact | None = None
    failures_since_disabled: int | None = None
    """Failed sign-ins with AADSTS50057 from the disable to the re-enable (or the snapshot)."""
    first_failure_since_disabled: SignInBrief | None = None
    enabled_after: AccountChangeFact | None = None
    reset_after: AccountChangeFact | None = None
    failures_after_reset: int | None = None
    password_changed_before: AccountChangeFact | None = None
    methods_changed_before: AccountChangeFact | None = None
    membership_changed_before: AccountChangeFact | None = None


class RecentChanges(SkillFacts):
    """A user's account changes of the last days before the snapshot, newest first."""

    days: int
    changes: list[AccountChangeFact]
    more: int


class AuditCount(SkillFacts):
    """Audit events counted by operation or by actor, with the newest one's id."""

    name: str
    count: int
    sample_id: str


class ObjectBrief(SkillFacts):
    """A user or group named in an answer: id, display name and sign-in name."""

    id: str
    displayName: str | None = None
    userPrincipalName: str | None = None
