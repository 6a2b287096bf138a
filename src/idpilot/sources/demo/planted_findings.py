"""Planted configuration findings: stale guest, weak admin MFA, break-glass and policy gaps."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .roles import GLOBAL_ADMIN, PRIVILEGED_ROLE_ADMIN, role_name

if TYPE_CHECKING:
    from .scenarios import Planter


def plant_configuration_findings(planter: Planter) -> None:
    """Answer-key entries for findings already in the directory and policies (no new logs)."""
    t, p = planter.tenant, planter.p
    guest = p["stale_guest"]
    group = t.groups_by_key["privileged_security_operators"]
    entry = planter.scenario(
        "stale_guest_in_privileged_group",
        "Stale guest in a privileged group",
        f"Guest {guest['displayName']} has not signed in for over 140 days but is still a member "
        f"of the role-assignable group '{group['displayName']}' (Security Administrator).",
        userId=guest["id"],
        groupId=group["id"],
    )
    planter.cite(entry, "user", guest["id"])
    planter.cite(entry, "group", group["id"])
    entry["facts"] = {
        "lastSignInDateTime": (guest["signInActivity"] or {}).get("lastSignInDateTime"),
        "daysSinceLastSignIn": t.profiles[guest["id"]].stale_days,
        "groupRole": "Security Administrator",
        "userType": "Guest",
    }

    admin = p["admin_without_phishing_resistant_mfa"]
    entry = planter.scenario(
        "admin_without_phishing_resistant_mfa",
        "Administrator without phishing-resistant MFA",
        f"{admin['displayName']} holds Privileged Role Administrator but has only Authenticator "
        "push, a software OTP and SMS registered: no FIDO2 key or Windows Hello for Business.",
        userId=admin["id"],
    )
    planter.cite(entry, "user", admin["id"])
    entry["facts"] = {
        "roles": [role_name(PRIVILEGED_ROLE_ADMIN)],
        "eligibleRoles": [role_name(GLOBAL_ADMIN)],
        "methodsRegistered": [
            "microsoftAuthenticatorPush",
            "softwareOneTimePasscode",
            "mobilePhone",
        ],
    }

    bg = p["breakglass02"]
    legacy = t.policies_by_key["block_legacy_auth"]
    entry = planter.scenario(
        "breakglass_not_excluded",
        "Break-glass account not excluded from a block policy",
        f"'{legacy['displayName']}' excludes breakglass01 only; {bg['userPrincipalName']} is not "
        "excluded (the other policies exclude the CA-Exclusion-BreakGlass group).",
        userId=bg["id"],
        policyId=legacy["id"],
    )
    planter.cite(entry, "user", bg["id"])
    planter.cite(entry, "conditionalAccessPolicy", legacy["id"])
    entry["facts"] = {"excludedBreakGlass": [p["breakglass01"]["userPrincipalName"]]}

    a, b = (
        t.policies_by_key["finance_compliant_device"],
        t.policies_by_key["finance_block_untrusted"],
    )
    entry = planter.scenario(
        "overlapping_policies",
        "Two overlapping Finance Portal policies",
        f"'{a['displayName']}' and '{b['displayName']}' target the same group and app: outside "
        "trusted locations even a compliant device is blocked, so the compliant-device policy "
        "only matters in the offices.",
        policyIds=[a["id"], b["id"]],
        groupId=t.groups_by_key["finance_all"]["id"],
    )
    planter.cite(entry, "conditionalAccessPolicy", a["id"], b["id"])
    planter.cite(entry, "signIn", *[r["id"] for r in planter.overlap_rows])
    entry["facts"] = {
        "sharedGroup": t.groups_by_key["finance_all"]["displayName"],
        "sharedApp": t.apps["finance_portal"]["displayName"],
        "homeSignInErrorCode": planter.overlap_rows[-1]["status"]["errorCode"],
    }

    policy = t.policies_by_key["report_only_block_untrusted"]
    entry = planter.scenario(
        "report_only_policy_would_block",
        "Report-only policy that would block many sign-ins",
        f"'{policy['displayName']}' has been in report-only mode for months; it would have "
        f"blocked {planter.report_only_count} of the recorded sign-ins.",
        policyId=policy["id"],
    )
    planter.cite(entry, "conditionalAccessPolicy", policy["id"])
    planter.cite(entry, "signIn", *planter.report_only_failures)
    entry["facts"] = {
        "state": policy["state"],
        "reportOnlyFailureSignIns": planter.report_only_count,
    }
    never = t.policies_by_key["never_applies"]
    entry = planter.scenario(
        "policy_never_applies",
        "A policy that can never apply",
        f"'{never['displayName']}' includes and excludes the same group, so it applies to nobody.",
        policyId=never["id"],
    )
    planter.cite(entry, "conditionalAccessPolicy", never["id"])
    planter.cite(entry, "group", t.groups_by_key["contractors"]["id"])
    entry["facts"] = {"result": "notApplied"}
