"""Privileged role checks: Global Administrator count, PIM, admin MFA strength, who holds roles."""

from __future__ import annotations

from idpilot.model.records import Record
from idpilot.posture.base import Baseline, Outcome, check, failed_if, not_applicable, passed
from idpilot.posture.cis_controls import cis_control, cis_ids
from idpilot.posture.data import PostureData
from idpilot.posture.privileged_access import HIGHLY_PRIVILEGED_ROLES
from idpilot.security.privileged_roles import GLOBAL_ADMINISTRATOR
from idpilot.security.severity import Severity

MAX_GLOBAL_ADMINS = 4
"""CIS 1.1.3: more than four Global Administrators widens the most powerful attack surface."""

MIN_GLOBAL_ADMINS = 2
"""CIS 1.1.3: fewer than two leaves no one to recover the tenant if one admin is unavailable."""

PHISHING_RESISTANT_METHODS = frozenset({"fido2", "windowsHelloForBusiness", "x509Certificate"})
"""Registered methods (userRegistrationDetails.methodsRegistered) that resist phishing."""

STALE_ADMIN_DAYS = 90
"""A privileged account unused for this long is standing privilege nobody needs."""


def _global_admins(data: PostureData) -> dict[str, list[dict]]:
    holders: dict[str, list[dict]] = {}
    for h in data.role_holders:
        if h["template_id"] == GLOBAL_ADMINISTRATOR and h["user_id"] in data.users:
            holders.setdefault(h["user_id"], []).append(h)
    return holders


def _ga_affected(data: PostureData, holders: dict[str, list[dict]]) -> list[Record]:
    return [
        data.user_affected(uid, ", ".join(sorted({h["assignment"] for h in rows})))
        for uid, rows in sorted(holders.items())
    ]


@check(
    "IDP-ROL-001",
    "No more than four Global Administrators",
    Severity.high,
    Baseline.cis,
    cis_control("1.1.3"),
    "Move day-to-day admins to least-privileged roles; keep 2-4 Global Administrators, "
    "eligible through PIM.",
    controls=cis_ids("1.1.3"),
)
def too_many_global_admins(data: PostureData) -> Outcome:
    holders = _global_admins(data)
    if len(holders) <= MAX_GLOBAL_ADMINS:
        return passed(f"{len(holders)} Global Administrators")
    return failed_if(_ga_affected(data, holders), f"{len(holders)} Global Administrators")


@check(
    "IDP-ROL-002",
    "At least two Global Administrators",
    Severity.medium,
    Baseline.cis,
    cis_control("1.1.3"),
    "Designate a second Global Administrator (eligible through PIM) and keep two "
    "break-glass accounts.",
    controls=cis_ids("1.1.3"),
)
def too_few_global_admins(data: PostureData) -> Outcome:
    holders = _global_admins(data)
    if not data.users:
        return not_applicable("no users in the snapshot")
    if len(holders) >= MIN_GLOBAL_ADMINS:
        return passed(f"{len(holders)} Global Administrators")
    return failed_if(
        _ga_affected(data, holders) or [Record(kind="tenant", id="tenant", label="tenant")],
        f"{len(holders)} Global Administrators",
    )


@check(
    "IDP-ROL-003",
    "Privileged roles are eligible (PIM), not permanently active",
    Severity.high,
    Baseline.cisa_scuba,
    "MS.AAD.7.4v1 Permanent active role assignments SHALL NOT be allowed for highly "
    "privileged roles",
    "Convert permanent active assignments to PIM-eligible ones (keep only break-glass "
    "accounts permanent).",
    controls=("MS.AAD.7.4v1", *cis_ids("5.3.1")),
)
def permanent_privileged_assignments(data: PostureData) -> Outcome:
    unlicensed = data.settings.without_p2()  # eligible (PIM) assignments need Entra ID P2
    if unlicensed is not None:
        return unlicensed
    if not data.role_holders:
        return not_applicable("no privileged role assignments in the snapshot")
    active = {}
    for h in data.role_holders:
        if h["assignment"] == "active" and not _is_break_glass(data, h["user_id"]):
            active.setdefault(h["user_id"], set()).add(h["role_name"])
    return failed_if(
        [data.user_affected(uid, ", ".join(sorted(roles))) for uid, roles in sorted(active.items())]
    )


def _is_break_glass(data: PostureData, user_id: str) -> bool:
    from idpilot.posture.accounts import is_break_glass

    user = data.users.get(user_id)
    return user is not None and is_break_glass(user)


def _admins_with_methods(data: PostureData) -> list[tuple[str, list[str]]] | None:
    admins = sorted(data.privileged_user_ids())
    known = [
        (u, data.registrations[u]["methodsRegistered"]) for u in admins if u in data.registrations
    ]
    return known if known else None


@check(
    "IDP-ROL-004",
    "Administrators have a phishing-resistant method registered",
    Severity.high,
    Baseline.cisa_scuba,
    "MS.AAD.3.6v1 Phishing-resistant MFA SHALL be required for highly privileged roles",
    "Register FIDO2 security keys or Windows Hello for Business for every administrator and "
    "require a phishing-resistant authentication strength for admin roles.",
    controls=(),
)
def admins_without_phishing_resistant(data: PostureData) -> Outcome:
    admins = _admins_with_methods(data)
    if admins is None:
        return not_applicable("no registration details for privileged users")
    return failed_if(
        [
            data.user_affected(uid, "methods: " + (", ".join(methods) or "none"))
            for uid, methods in admins
            if not PHISHING_RESISTANT_METHODS & set(methods) and not _is_break_glass(data, uid)
        ]
    )


@check(
    "IDP-ROL-005",
    "Administrators are registered for MFA",
    Severity.critical,
    Baseline.cis,
    cis_control("5.2.3.4") + " (its administrators, whatever the Conditional Access policies)",
    "Have every administrator register MFA (issue a Temporary Access Pass to bootstrap).",
)
def admins_without_mfa(data: PostureData) -> Outcome:
    admins = _admins_with_methods(data)
    if admins is None:
        return not_applicable("no registration details for privileged users")
    return failed_if(
        [
            data.user_affected(uid)
            for uid, _ in admins
            if not data.registrations[uid]["isMfaRegistered"]
        ]
    )


@check(
    "IDP-ROL-006",
    "Guests hold no privileged role",
    Severity.high,
    Baseline.microsoft,
    "Privileged access: do not assign privileged roles to guest (B2B) accounts",
    "Remove privileged roles from guest accounts; give partners member accounts governed by "
    "access reviews if they must administer.",
)
def guests_with_privileged_roles(data: PostureData) -> Outcome:
    guests = sorted(
        uid for uid in data.privileged_user_ids() if data.users[uid]["userType"] == "Guest"
    )
    return failed_if([data.user_affected(uid) for uid in guests])


@check(
    "IDP-ROL-007",
    "Service principals hold no privileged directory role",
    Severity.high,
    Baseline.microsoft,
    "Least privilege for workload identities: avoid privileged directory roles on apps",
    "Replace the directory role with narrowly scoped Graph permissions or an administrative "
    "unit-scoped role.",
)
def service_principals_with_privileged_roles(data: PostureData) -> Outcome:
    sps = sorted(
        {h["user_id"] for h in data.role_holders if h["user_id"] in data.service_principals}
    )
    return failed_if([data.sp_affected(sp) for sp in sps])


@check(
    "IDP-ROL-008",
    "Privileged accounts are cloud-only",
    Severity.medium,
    Baseline.cisa_scuba,
    "MS.AAD.7.3v1 Privileged users SHALL be provisioned cloud-only accounts separate from an "
    "on-premises directory or other federated identity providers",
    "Create separate cloud-only admin accounts; remove roles from synchronised accounts.",
    controls=("MS.AAD.7.3v1", *cis_ids("1.1.1")),
)
def synced_privileged_accounts(data: PostureData) -> Outcome:
    synced = sorted(
        uid for uid in data.privileged_user_ids() if data.users[uid]["onPremisesSyncEnabled"]
    )
    return failed_if([data.user_affected(uid) for uid in synced])


@check(
    "IDP-ROL-009",
    "No disabled or unused accounts keep privileged roles",
    Severity.medium,
    Baseline.microsoft,
    "Privileged Identity Management: remove standing access that is not used",
    "Remove roles from accounts that are disabled or have not signed in for 90 days; use "
    "access reviews for privileged roles.",
)
def stale_privileged_accounts(data: PostureData) -> Outcome:
    affected = []
    for uid in sorted(data.privileged_user_ids()):
        user = data.users[uid]
        if _is_break_glass(data, uid):
            continue
        if user["accountEnabled"] is False:
            affected.append(data.user_affected(uid, "disabled"))
            continue
        days = data.days_since(user["last_sign_in"])
        if user["activity_known"] and (days is None or days > STALE_ADMIN_DAYS):
            affected.append(data.user_affected(uid, "no sign-in in 90 days"))
    return failed_if(affected)


SCUBA_MAX_GLOBAL_ADMINS = 8
"""MS.AAD.7.1v1: at least two and at most eight Global Administrators."""


@check(
    "IDP-ROL-010",
    "Between two and eight Global Administrators",
    Severity.high,
    Baseline.cisa_scuba,
    "MS.AAD.7.1v1 A minimum of two users and a maximum of eight users SHALL be provisioned "
    "with the Global Administrator role",
    "Keep two to eight Global Administrators (eligible through PIM); move the others to "
    "least-privileged roles.",
)
def scuba_global_admin_count(data: PostureData) -> Outcome:
    """Two to eight holders of Global Administrator, active or eligible."""
    if not data.users:
        return not_applicable("no users in the snapshot")
    holders = _global_admins(data)
    said = f"{len(holders)} Global Administrators"
    if MIN_GLOBAL_ADMINS <= len(holders) <= SCUBA_MAX_GLOBAL_ADMINS:
        return passed(said, _ga_affected(data, holders))
    return failed_if(
        _ga_affected(data, holders) or [Record(kind="tenant", id="tenant", label="tenant")], said
    )


@check(
    "IDP-ROL-011",
    "Privileged users hold finer-grained roles rather than Global Administrator",
    Severity.medium,
    Baseline.cisa_scuba,
    "MS.AAD.7.2v1 Privileged users SHALL be provisioned with finer-grained roles instead of "
    "Global Administrator",
    "Give administrators the narrowest role that does their job (User, Exchange, SharePoint "
    "Administrator...) and keep Global Administrator for the few who need it.",
)
def finer_grained_roles(data: PostureData) -> Outcome:
    """Fewer Global Administrators than privileged users without it, and 7.1 met."""
    if not data.users:
        return not_applicable("no users in the snapshot")
    holders = _global_admins(data)
    others = {
        h["user_id"]
        for h in data.role_holders
        if h["template_id"] in HIGHLY_PRIVILEGED_ROLES
        and h["user_id"] in data.users
        and h["user_id"] not in holders
    }
    said = f"{len(holders)} Global Administrators, {len(others)} other privileged users"
    within = MIN_GLOBAL_ADMINS <= len(holders) <= SCUBA_MAX_GLOBAL_ADMINS
    if within and len(holders) <= len(others):
        return passed(said)
    return failed_if(_ga_affected(data, holders) or [Record(kind="tenant", id="tenant",
                                                           label="tenant")], said)  # fmt: skip
