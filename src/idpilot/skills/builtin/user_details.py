"""Skill `user_details`: a user's account, licences, methods, sign-ins, groups, roles, risk."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel

from idpilot.knowledge.licences import licence_name
from idpilot.model.collections import Collection
from idpilot.model.records import Record
from idpilot.skills.base import NextStep, SkillFacts, SkillResult, Slot, define_skill, slot
from idpilot.skills.builtin._account_changes import (
    membership_additions,
    recent_changes,
    state_change,
)
from idpilot.skills.builtin._audit_facts import AuditEventFact, RecentChanges
from idpilot.skills.builtin._user_belongings import (
    DeviceSeen,
    OwnedObject,
    devices_seen,
    owned_objects,
)
from idpilot.skills.registry import SkillRegistry
from idpilot.skills.resolve import resolve
from idpilot.store import Store
from idpilot.store.audit_activities import UserChange
from idpilot.store.directory import (
    groups_of,
    role_assignments_of,
    role_eligibilities_of,
    user_by_id,
)
from idpilot.store.queries.risk import risky_user_state
from idpilot.store.queries.sign_ins import failed_sign_in_count_of_user, latest_sign_in_of_user
from idpilot.store.queries.users import registration_details

NAME = "user_details"
_USER_FIELDS = (
    "displayName",
    "userPrincipalName",
    "mail",
    "userType",
    "accountEnabled",
    "createdDateTime",
    "department",
    "jobTitle",
    "officeLocation",
    "city",
    "country",
)
PHISHING_RESISTANT_METHODS = frozenset({"fido2", "windowsHelloForBusiness", "x509Certificate"})


class UserDetailsInput(BaseModel):
    """Which user to describe."""

    user: str = slot(Slot.user, "The user: object id, userPrincipalName, mail or display name.")


class UserAccount(SkillFacts):
    """The account's own properties."""

    id: str
    displayName: str | None
    userPrincipalName: str | None
    mail: str | None
    userType: str
    accountEnabled: bool | None
    createdDateTime: datetime | None
    department: str | None
    jobTitle: str | None
    officeLocation: str | None
    location: str | None
    """City and country, joined."""
    manager: str | None
    """The manager's display name."""
    manager_id: str | None = None
    """The manager's object id, cited when the directory holds the manager."""
    manager_upn: str | None = None
    onPremisesSyncEnabled: bool | None


class Licence(SkillFacts):
    """An assigned licence: SKU id and product name."""

    skuId: str
    name: str


class AuthMethods(SkillFacts):
    """The user's registered authentication methods (the registration report)."""

    methods: list[str]
    default: str | None
    mfa_registered: bool | None
    passwordless_capable: bool | None
    phishing_resistant: bool
    registration_id: str


class LastSignIn(SkillFacts):
    """The user's newest recorded sign-in."""

    id: str
    createdDateTime: datetime
    appDisplayName: str | None
    ipAddress: str | None
    errorCode: int | None
    isInteractive: bool | None
    city: str | None
    country: str | None
    evidence_id: str


class SignInActivity(SkillFacts):
    """When the user last signed in (recorded, and as the account reports it)."""

    last_recorded: LastSignIn | None
    last_interactive: str | None
    last_non_interactive: str | None
    failures_recorded: int
    days_since: int | None = None
    """Whole days from the latest sign-in (recorded, or as the account reports it) to the
    snapshot's time."""


class UserGroup(SkillFacts):
    """A group the user belongs to, directly or through nesting, and who added them."""

    id: str
    displayName: str | None
    direct: bool
    role_assignable: bool
    added_by: AuditEventFact | None = None


class UserRole(SkillFacts):
    """A directory role the user holds (active) or may activate (eligible)."""

    role: str | None
    assignment: str
    """`active` or `eligible`."""
    via_group: str | None
    scope: str | None
    evidence_id: str


class RiskState(SkillFacts):
    """The user's Identity Protection risk state."""

    id: str
    riskLevel: str | None
    riskState: str | None
    riskDetail: str | None
    riskLastUpdatedDateTime: datetime | str | None


class UserDetailsFacts(SkillFacts):
    """A user's rundown: account, licences, methods, sign-ins, groups, roles, risk, changes."""

    user: UserAccount
    licences: list[Licence]
    auth_methods: AuthMethods | None
    sign_in: SignInActivity
    groups: list[UserGroup]
    roles: list[UserRole]
    risk: RiskState | None
    owned: list[OwnedObject]
    devices: list[DeviceSeen]
    recent_changes: RecentChanges
    disabled_by: AuditEventFact | None


def user_details(store: Store, params: UserDetailsInput) -> SkillResult:
    """Describe a user: account, licences, auth methods, last sign-in, groups, roles, risk."""
    resolution = resolve(store, params.user, "user")
    if resolution.match is None:
        return resolution.unresolved(NAME, "user")
    user = user_by_id(store, resolution.match.id)
    assert user is not None
    result = SkillResult(skill=NAME)
    result.add_evidence(_user_evidence(user))
    account = _account_facts(user)
    if account.manager_id and (manager := user_by_id(store, account.manager_id)):
        result.add_evidence(_user_evidence(manager))
        account.manager = manager.get("displayName") or account.manager
        account.manager_upn = manager.get("userPrincipalName")
    else:
        account.manager_id = None
    licences = [
        Licence(skuId=sku, name=licence_name(sku)) for sku in _sku_ids(user.get("assignedLicenses"))
    ]
    auth_methods = _auth_methods(store, user, result)
    sign_in = _last_sign_ins(store, user, result)
    groups = groups_of(store, user["id"])
    group_facts = [_group_fact(g, result) for g in groups]
    added = membership_additions(store, user["id"], [g.id for g in group_facts if g.direct], result)
    for group in group_facts:
        group.added_by = added.get(group.id)
    facts = UserDetailsFacts(
        user=account,
        licences=licences,
        auth_methods=auth_methods,
        sign_in=sign_in,
        groups=group_facts,
        roles=_roles(store, user, groups, result),
        risk=_risk(store, user, result),
        owned=owned_objects(store, user["id"], result),
        devices=devices_seen(store, user["id"], result),
        recent_changes=recent_changes(store, user["id"], store.captured_at(), result),
        disabled_by=(
            state_change(store, user["id"], UserChange.disabled, result)
            if user.get("accountEnabled") is False
            else None
        ),
    )
    result.facts = facts
    result.next_steps = _next_steps(facts, user)
    name = user["displayName"] or user["userPrincipalName"]
    result.followups = [
        f"Why did {name} fail to sign in recently?",
        f"Summarize the risk for {name}",
        f"What changed for {name} in the last 7 days?",
    ]
    return result


def _user_evidence(user: dict[str, Any]) -> Record:
    fields = {k: _plain(user.get(k)) for k in _USER_FIELDS if user.get(k) is not None}
    skus = _sku_ids(user.get("assignedLicenses"))
    if skus:
        fields["assignedLicenses"] = skus
    for nested in ("signInActivity", "manager"):
        if isinstance(user.get(nested), dict):
            fields[nested] = user[nested]
    return Record(kind="user", id=user["id"], label=_user_label(user), fields=fields)


def _user_label(user: dict[str, Any]) -> str:
    name = user.get("displayName") or user["id"]
    upn = user.get("userPrincipalName")
    return f"user {name} ({upn})" if upn else f"user {name}"


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def _account_facts(user: dict[str, Any]) -> UserAccount:
    manager = user.get("manager") or {}
    return UserAccount(
        id=user["id"],
        displayName=user.get("displayName"),
        userPrincipalName=user.get("userPrincipalName"),
        mail=user.get("mail"),
        userType=user.get("userType") or "Member",
        accountEnabled=user.get("accountEnabled"),
        createdDateTime=user.get("createdDateTime"),
        department=user.get("department"),
        jobTitle=user.get("jobTitle"),
        officeLocation=user.get("officeLocation"),
        location=", ".join(x for x in (user.get("city"), user.get("country")) if x) or None,
        manager=manager.get("displayName") if isinstance(manager, dict) else None,
        manager_id=manager.get("id") if isinstance(manager, dict) else None,
        onPremisesSyncEnabled=user.get("onPremisesSyncEnabled"),
    )


def _sku_ids(assigned: Any) -> list[str]:
    if not isinstance(assigned, list):
        return []
    return [a["skuId"] for a in assigned if isinstance(a, dict) and a.get("skuId")]


def _auth_methods(store: Store, user: dict[str, Any], result: SkillResult) -> AuthMethods | None:
    row = registration_details(store, user["id"])
    if row is None:
        return None
    methods = list(row["methodsRegistered"] or [])
    result.add_evidence(
        Record(
            kind="userRegistrationDetails",
            id=row["id"],
            label=f"authentication methods of {user.get('userPrincipalName') or user['id']}",
            fields={"methodsRegistered": methods, "defaultMfaMethod": row["defaultMfaMethod"]},
        )
    )
    return AuthMethods(
        methods=methods,
        default=row["defaultMfaMethod"],
        mfa_registered=row["isMfaRegistered"],
        passwordless_capable=row["isPasswordlessCapable"],
        phishing_resistant=bool(PHISHING_RESISTANT_METHODS & set(methods)),
        registration_id=row["id"],
    )


def _last_sign_ins(store: Store, user: dict[str, Any], result: SkillResult) -> SignInActivity:
    activity = user.get("signInActivity") or {}
    latest = latest_sign_in_of_user(store, user["id"])
    failures = failed_sign_in_count_of_user(store, user["id"])
    last = None
    if latest:
        row = latest
        evidence = result.add_evidence(
            Record(
                kind="signIn",
                id=row["id"],
                label=f"sign-in {row['createdDateTime']:%Y-%m-%d %H:%M} to {row['appDisplayName']}",
                fields={k: _plain(v) for k, v in row.items() if v is not None},
            )
        )
        last = LastSignIn(**row, evidence_id=evidence.id)
    moments = [latest["createdDateTime"]] if latest else []
    moments += [
        parsed
        for said in (
            activity.get("lastSignInDateTime"),
            activity.get("lastNonInteractiveSignInDateTime"),
        )
        if (parsed := _moment(said)) is not None
    ]
    days = (store.captured_at() - max(moments)).days if moments else None
    return SignInActivity(
        last_recorded=last,
        last_interactive=activity.get("lastSignInDateTime"),
        last_non_interactive=activity.get("lastNonInteractiveSignInDateTime"),
        failures_recorded=failures or 0,
        days_since=days,
    )


def _moment(said: object) -> datetime | None:
    """A Graph timestamp (ISO 8601 text) as an aware datetime, None when it is not one."""
    if isinstance(said, datetime):
        return said
    if not isinstance(said, str):
        return None
    try:
        moment = datetime.fromisoformat(said.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _group_fact(group: dict[str, Any], result: SkillResult) -> UserGroup:
    result.add_evidence(
        Record(
            kind="group",
            id=group["id"],
            label=f"group {group['displayName']}",
            fields={
                "displayName": group["displayName"],
                "isAssignableToRole": group["isAssignableToRole"],
            },
        )
    )
    return UserGroup(
        id=group["id"],
        displayName=group["displayName"],
        direct=group["depth"] == 1,
        role_assignable=bool(group["isAssignableToRole"]),
    )


def _roles(
    store: Store, user: dict[str, Any], groups: list[dict[str, Any]], result: SkillResult
) -> list[UserRole]:
    group_names = {g["id"]: g["displayName"] for g in groups}
    principals = [user["id"], *group_names]
    roles = []
    for assignment, how in [(a, "active") for a in role_assignments_of(store, principals)] + [
        (e, "eligible") for e in role_eligibilities_of(store, principals)
    ]:
        kind = "unifiedRoleAssignment" if how == "active" else "unifiedRoleEligibilitySchedule"
        result.add_evidence(
            Record(
                kind=kind,
                id=assignment["id"],
                label=f"{how} assignment of {assignment['roleName']}",
                fields={
                    "roleDefinitionId": assignment["roleDefinitionId"],
                    "principalId": assignment["principalId"],
                    "directoryScopeId": assignment["directoryScopeId"],
                    "roleName": assignment["roleName"],
                },
            )
        )
        roles.append(
            UserRole(
                role=assignment["roleName"],
                assignment=how,
                via_group=group_names.get(assignment["principalId"]),
                scope=assignment["directoryScopeId"],
                evidence_id=assignment["id"],
            )
        )
    return roles


def _risk(store: Store, user: dict[str, Any], result: SkillResult) -> RiskState | None:
    row = risky_user_state(store, user["id"])
    if row is None:
        return None
    result.add_evidence(
        Record(
            kind="riskyUser",
            id=row["id"],
            label=f"risk state of {user.get('userPrincipalName') or user['id']}",
            fields={k: _plain(v) for k, v in row.items() if v is not None},
        )
    )
    return RiskState(**row)


def _next_steps(facts: UserDetailsFacts, user: dict[str, Any]) -> list[NextStep]:
    steps = []
    risk = facts.risk
    if (
        risk
        and risk.riskState in ("atRisk", "confirmedCompromised")
        and risk.riskLevel
        in (
            "medium",
            "high",
        )
    ):
        steps.append(
            NextStep(
                action="Investigate the user's risk detections and remediate (secure password "
                "reset or confirm compromised).",
                evidence_ids=[risk.id],
            )
        )
    methods = facts.auth_methods
    privileged = [r for r in facts.roles if r.assignment == "active"]
    if methods is not None and not methods.mfa_registered:
        steps.append(
            NextStep(
                action="Ask the user to register an MFA method (or issue a Temporary Access Pass).",
                evidence_ids=[methods.registration_id],
            )
        )
    if privileged and methods is not None and not methods.phishing_resistant:
        steps.append(
            NextStep(
                action="Require a phishing-resistant method (FIDO2 or Windows Hello for Business) "
                "for this administrator.",
                evidence_ids=[methods.registration_id, *(r.evidence_id for r in privileged)],
            )
        )
    if user.get("accountEnabled") is False and facts.licences:
        steps.append(
            NextStep(
                action="The account is disabled but still holds licences: reclaim them if the "
                "account is not coming back.",
                evidence_ids=[user["id"]],
            )
        )
    return steps


def register(registry: SkillRegistry) -> None:
    """Register `user_details`."""
    registry.add(
        define_skill(
            user_details,
            name=NAME,
            describes="user",
            facts=UserDetailsFacts,
            reads=(
                Collection.users,
                Collection.sign_ins,
                Collection.risky_users,
                Collection.user_registration_details,
                Collection.role_assignments,
            ),
            keywords={
                "who is": 2.0,
                "tell me about": 2.0,
                "details": 1.5,
                "account": 1.0,
                "licence": 1.5,
                "license": 1.5,
                "licenses": 1.5,
                "licences": 1.5,
                "auth methods": 2.0,
                "authentication methods": 2.0,
                "mfa methods": 2.0,
                "registered": 1.0,
                "last sign-in": 1.5,
                "last signed in": 1.5,
                "last sign in": 1.5,
                "last login": 1.5,
                "profile": 1.5,
                "manager": 1.0,
                "department": 1.0,
                "job title": 1.0,
                "enabled": 0.5,
                "disabled": 0.5,
                "what groups": 1.5,
                "which groups": 1.5,
                "member of": 1.5,
                "roles": 1.0,
                "what roles": 1.5,
                "which roles": 1.5,
                "look up": 1.5,
                "lookup": 1.5,
                "info on": 1.5,
                "information about": 1.5,
                "overview": 1.0,
                "describe": 1.5,
            },
        )
    )
