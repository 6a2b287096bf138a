"""The audit events that explain a user's situation: changes to the account around a sign-in
failure (password reset, account disabled or enabled, MFA method, group or role changes), the
recent changes a user rundown shows, and the event behind the account's current state."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from idpilot.logs import LogReader, log_reader
from idpilot.skills.base import SkillResult
from idpilot.skills.builtin._admin_common import event_fact, named_in_events
from idpilot.skills.builtin._audit_facts import (
    AccountChangeFact,
    AuditEventFact,
    FailureLinks,
    RecentChanges,
    SignInBrief,
)
from idpilot.store import Store
from idpilot.store.audit import AuditEvent
from idpilot.store.audit_activities import UserChange
from idpilot.store.audit_changes import UserChangeEvent, changes_in, latest_change, user_changes

DAYS_BEFORE_FAILURE = 14
"""Audit events of the user this many days before a failure are read (group, role, MFA...)."""
DAYS_AFTER_FAILURE = 7
"""...and this many days after it (the reset or re-enable that followed)."""
RECENT_CHANGE_DAYS = 14
"""A user rundown lists the changes of the last two weeks before the snapshot."""
MAX_CHANGES_SHOWN = 12

# AADSTS codes whose explanation lies in a change to the account (catalog: knowledge/aadsts).
DISABLED_CODE = 50057
DISABLED_CODES = frozenset({DISABLED_CODE})
LOCKED_CODES = frozenset({50053})
WRONG_PASSWORD_CODES = frozenset({50126})
EXPIRED_PASSWORD_CODES = frozenset({50055, 50144})
MFA_CODES = frozenset({50072, 50074, 50076, 50079, 500121})
ACCESS_CODES = frozenset({53000, 53001, 53002, 53003, 50105})
PASSWORD_KINDS = frozenset({UserChange.password, UserChange.unlock})


def change_fact(
    change: UserChangeEvent, result: SkillResult, named: dict[str, dict[str, Any]]
) -> AccountChangeFact:
    """An account change as template facts: the audit event (cited) and its kind."""
    fact = event_fact(change.event, result, named)
    return AccountChangeFact(**dict(fact), kind=change.kind.value)


def changes_around(logs: LogReader, user_id: str, moment: datetime) -> list[UserChangeEvent]:
    """The user's account changes from `DAYS_BEFORE_FAILURE` days before a moment to
    `DAYS_AFTER_FAILURE` days after it, oldest first."""
    start = moment - timedelta(days=DAYS_BEFORE_FAILURE)
    end = moment + timedelta(days=DAYS_AFTER_FAILURE)
    return changes_in(logs.events_about([user_id], start, end, ("target",)), user_id)


def _latest_disabled(logs: LogReader, user_id: str, before: datetime) -> AuditEvent | None:
    """The newest event that disabled the account before a moment (any time before it)."""
    events = logs.events_about([user_id], None, before, ("target",))
    changes = changes_in(events, user_id, frozenset({UserChange.disabled}))
    return changes[-1].event if changes else None


def failure_links(
    store: Store,
    user_id: str,
    moment: datetime,
    codes: set[int],
    failure_times: list[datetime],
    result: SkillResult,
    logs: LogReader | None = None,
) -> FailureLinks:
    """What the audit log says about a failure at `moment` with these error codes: the change
    that explains it (who disabled the account, the reset before wrong passwords, the MFA method
    or group change before), what followed (the reset after a lockout, the re-enable), and every
    change of the account around it, each cited. Audit events and sign-ins come from `logs`
    (where the settings say the logs are, by default); the objects they name from the store."""
    logs = logs or log_reader(store)
    changes = changes_around(logs, user_id, moment)
    events = [c.event for c in changes]
    disabled = None
    if codes & DISABLED_CODES:
        disabled = next(
            (c.event for c in reversed(changes)
             if c.kind is UserChange.disabled and _at(c.event) <= moment),
            None,
        ) or _latest_disabled(logs, user_id, moment)  # fmt: skip
        if disabled is not None and disabled not in events:
            events.append(disabled)
    named = named_in_events(store, events)
    links = FailureLinks(
        days_before=DAYS_BEFORE_FAILURE,
        days_after=DAYS_AFTER_FAILURE,
        changes=[change_fact(c, result, named) for c in changes[-MAX_CHANGES_SHOWN:]],
        more_changes=max(0, len(changes) - MAX_CHANGES_SHOWN),
    )
    before = [c for c in changes if _at(c.event) <= moment]
    after = [c for c in changes if _at(c.event) > moment]
    enabled = _first(after, {UserChange.enabled}) if codes & DISABLED_CODES else None
    if codes & DISABLED_CODES:
        links.disabled_audit_missing = disabled is None
        if disabled is not None:
            links.disabled_by = event_fact(disabled, result, named)
            _failures_since_disabled(store, logs, user_id, disabled, enabled, links, result)
    if enabled is not None:
        links.enabled_after = change_fact(enabled, result, named)
    if codes & LOCKED_CODES and (reset := _first(after, PASSWORD_KINDS)):
        links.reset_after = change_fact(reset, result, named)
        links.failures_after_reset = sum(1 for t in failure_times if t > _at(reset.event))
    if codes & (WRONG_PASSWORD_CODES | LOCKED_CODES | EXPIRED_PASSWORD_CODES) and (
        changed := _last(before, PASSWORD_KINDS)
    ):
        links.password_changed_before = change_fact(changed, result, named)
    if codes & MFA_CODES and (method := _last(before, {UserChange.security_info})):
        links.methods_changed_before = change_fact(method, result, named)
    if codes & ACCESS_CODES and (membership := _last(before, {UserChange.group, UserChange.role})):
        links.membership_changed_before = change_fact(membership, result, named)
    return links


def _failures_since_disabled(
    store: Store,
    logs: LogReader,
    user_id: str,
    disabled: AuditEvent,
    enabled: UserChangeEvent | None,
    links: FailureLinks,
    result: SkillResult,
) -> None:
    """Every AADSTS50057 failure from the disable to the re-enable (or the snapshot), counted,
    and the first of them cited: when the user's trouble began, whatever window was asked."""
    from idpilot.ca_analysis.evidence import cite_sign_in

    until = _at(enabled.event) if enabled else (store.captured_at() + timedelta(seconds=1))
    since = logs.failures_with_code(user_id, DISABLED_CODE, _at(disabled), until)
    links.failures_since_disabled = len(since)
    if since:
        first = since[0]
        links.first_failure_since_disabled = SignInBrief(
            id=cite_sign_in(result, first),
            when=first["createdDateTime"],
            app=first.get("appDisplayName"),
        )


def recent_changes(
    store: Store, user_id: str, now: datetime | None, result: SkillResult
) -> RecentChanges:
    """The account changes of the last `RECENT_CHANGE_DAYS` days before `now` (the snapshot
    time), newest first, each cited."""
    start = now - timedelta(days=RECENT_CHANGE_DAYS) if now else None
    changes = user_changes(store, user_id, start, None)[::-1]
    shown = changes[:MAX_CHANGES_SHOWN]
    named = named_in_events(store, [c.event for c in shown])
    return RecentChanges(
        days=RECENT_CHANGE_DAYS,
        changes=[change_fact(c, result, named) for c in shown],
        more=len(changes) - len(shown),
    )


def state_change(
    store: Store, user_id: str, kind: UserChange, result: SkillResult
) -> AuditEventFact | None:
    """The newest event that put the account in its state (e.g. who disabled it), cited."""
    event = latest_change(store, user_id, kind)
    if event is None:
        return None
    return event_fact(event, result, named_in_events(store, [event]))


def _at(event: AuditEvent) -> datetime:
    return event.when or datetime.min.replace(tzinfo=UTC)


def _first(
    changes: list[UserChangeEvent], kinds: set[UserChange] | frozenset[UserChange]
) -> UserChangeEvent | None:
    return next((c for c in changes if c.kind in kinds), None)


def _last(
    changes: list[UserChangeEvent], kinds: set[UserChange] | frozenset[UserChange]
) -> UserChangeEvent | None:
    return next((c for c in reversed(changes) if c.kind in kinds), None)


def membership_additions(
    store: Store, user_id: str, group_ids: list[str], result: SkillResult
) -> dict[str, AuditEventFact]:
    """For each of these groups, the newest audit event that added the user to it (who, when),
    cited; groups the audit log has no such event for are absent."""
    wanted = {g.lower(): g for g in group_ids}
    found: dict[str, AuditEvent] = {}
    for change in user_changes(store, user_id, kinds=frozenset({UserChange.group})):
        event = change.event
        if not event.activity.lower().startswith("add member"):
            continue
        for group_id in _groups_of(event):
            if group_id in wanted:
                found[wanted[group_id]] = event  # oldest first: the newest wins
    if not found:
        return {}
    named = named_in_events(store, list(found.values()))
    return {group_id: event_fact(event, result, named) for group_id, event in found.items()}


def _groups_of(event: AuditEvent) -> set[str]:
    """The ids of the groups a membership event names (a Group target or Group.ObjectID)."""
    ids = {(t.id or "").lower() for t in event.targets if (t.type or "").lower() == "group"}
    related = event.related("Group.ObjectID")
    if related:
        ids.add(related.strip('"').lower())
    return ids - {""}
