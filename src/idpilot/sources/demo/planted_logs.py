"""The audit and Identity Protection side of the planted scenarios, and the answer key."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import TYPE_CHECKING

from . import geo
from .app_catalog import GRAPH_APP_ROLES
from .audits import audit, by_app, by_user, key_description, prop, target, target_user
from .ids import CAPTURED_AT, days_before, iso
from .risk import (
    risk_detection,
    risky_service_principal,
    risky_user,
    service_principal_risk_detection,
)
from .roles import GLOBAL_ADMIN, PRIVILEGED_ROLE_ADMIN, role_name

if TYPE_CHECKING:
    from .scenarios import Planter


def _later(stamp: str, minutes: float) -> str:
    from datetime import datetime

    moment = datetime.fromisoformat(stamp.replace("Z", "+00:00")) + timedelta(minutes=minutes)
    return iso(min(moment, CAPTURED_AT))


def plant_logs(planter: Planter, rng: random.Random) -> None:
    _role_outside_pim(planter, rng)
    _privileged_app(planter, rng)
    _user_risk(planter, rng)
    _workload_risk(planter, rng)
    _configuration_findings(planter)


def _role_outside_pim(planter: Planter, rng: random.Random) -> None:
    t, p = planter.tenant, planter.p
    actor, eve = p["eve_role_actor"], p["eve"]
    role = next(r for r in t.role_definitions if r["id"] == GLOBAL_ADMIN)
    record = audit(
        rng,
        planter.times["eve_role"],
        "Add member to role",
        "RoleManagement",
        "Assign",
        by_user(actor, "81.134.20.77"),
        [
            target_user(
                eve,
                prop("Role.ObjectID", None, role["id"]),
                prop("Role.DisplayName", None, role["displayName"]),
                prop("Role.TemplateId", None, role["templateId"]),
                prop("Role.WellKnownObjectName", None, "TenantAdmins"),
            ),
            target("Role", role["id"], role["displayName"]),
        ],
    )
    t.directory_audits.append(record)
    entry = planter.scenario(
        "privileged_role_outside_pim",
        "Global Administrator assigned outside PIM by an unusual actor",
        f"{actor['displayName']} (Service Desk Analyst, never made a role change before) added "
        f"{eve['displayName']} to Global Administrator directly, not through PIM, at night.",
        userId=eve["id"],
        actorId=actor["id"],
        roleDefinitionId=GLOBAL_ADMIN,
        roleAssignmentId=planter.eve_assignment["id"],
    )
    planter.cite(entry, "directoryAudit", record["id"])
    planter.cite(entry, "user", eve["id"], actor["id"])
    entry["facts"] = {
        "role": role_name(GLOBAL_ADMIN),
        "assignmentType": "active (direct, not PIM)",
        "actorPreviousRoleChanges": 0,
        "activityDateTime": record["activityDateTime"],
        "actorRoles": [role_name(PRIVILEGED_ROLE_ADMIN), "Helpdesk Administrator"],
    }


def _privileged_app(planter: Planter, rng: random.Random) -> None:
    t, p = planter.tenant, planter.p
    sp, graph = t.apps["automation"], t.apps["graph"]
    daniel = p["admin_without_phishing_resistant_mfa"]
    secret = planter.new_secret
    creds = audit(
        rng,
        planter.times["app_secret"],
        "Add service principal credentials",
        "ApplicationManagement",
        "Update",
        by_user(daniel, "195.145.88.14"),
        [
            target(
                "ServicePrincipal",
                sp["id"],
                sp["displayName"],
                prop("KeyDescription", [], [key_description(secret)]),
                prop("Included Updated Properties", None, "KeyDescription"),
            )
        ],
    )
    grant = planter.new_grant
    role_id = GRAPH_APP_ROLES["RoleManagement.ReadWrite.Directory"]
    assignment = audit(
        rng,
        planter.times["app_grant"],
        "Add app role assignment to service principal",
        "ApplicationManagement",
        "Assign",
        by_app(sp),  # the app used AppRoleAssignment.ReadWrite.All to grant itself more
        [
            target(
                "ServicePrincipal",
                graph["id"],
                graph["displayName"],
                prop("AppRole.Id", None, role_id),
                prop("AppRole.Value", None, "RoleManagement.ReadWrite.Directory"),
                prop("AppRoleAssignment.CreatedDateTime", None, grant["createdDateTime"]),
                prop("AppRoleAssignment.LastModifiedDateTime", None, grant["createdDateTime"]),
                prop("ServicePrincipal.ObjectID", None, sp["id"]),
                prop("ServicePrincipal.DisplayName", None, sp["displayName"]),
                prop("ServicePrincipal.AppId", None, sp["appId"]),
            ),
            target("ServicePrincipal", sp["id"], sp["displayName"]),
        ],
    )
    t.directory_audits += [creds, assignment]
    entry = planter.scenario(
        "service_principal_privilege_escalation",
        "New secret and RoleManagement.ReadWrite.Directory for a service principal",
        f"A new client secret was added to the '{sp['displayName']}' service principal, and "
        "minutes later the app granted itself Microsoft Graph RoleManagement.ReadWrite.Directory "
        "(it already held AppRoleAssignment.ReadWrite.All).",
        servicePrincipalId=sp["id"],
        appId=sp["appId"],
        appRoleId=role_id,
        keyId=secret["keyId"],
        appRoleAssignmentId=grant["id"],
    )
    planter.cite(entry, "directoryAudit", creds["id"], assignment["id"])
    planter.cite(entry, "servicePrincipal", sp["id"])
    entry["facts"] = {
        "permission": "RoleManagement.ReadWrite.Directory",
        "permissionType": "Application",
        "secretAddedBy": daniel["userPrincipalName"],
        "grantInitiatedBy": sp["displayName"],
    }


def _user_risk(planter: Planter, rng: random.Random) -> None:
    t, p, found = planter.tenant, planter.p, planter.found
    bob = p["bob"]
    leak_time = iso(planter.when(5, 6.5))
    leaked = risk_detection(
        rng,
        bob,
        "leakedCredentials",
        "high",
        activity_time=leak_time,
        detected_time=leak_time,
        timing="offline",
        source="IdentityProtection",
    )
    tor = planter.bob_tor
    anonymous = risk_detection(
        rng,
        bob,
        "anonymizedIPAddress",
        "medium",
        activity_time=tor["createdDateTime"],
        detected_time=tor["createdDateTime"],
        timing="realtime",
        sign_in=tor,
    )
    spray = planter.spray_success
    victim = p["spray_victim"]
    spray_detection = risk_detection(
        rng,
        victim,
        "passwordSpray",
        "high",
        activity_time=spray["createdDateTime"],
        detected_time=_later(spray["createdDateTime"], 300),
        timing="offline",
        sign_in=spray,
    )
    travel = planter.travel[1]
    traveller = p["impossible_travel_user"]
    travel_detection = risk_detection(
        rng,
        traveller,
        "unlikelyTravel",
        "medium",
        activity_time=travel["createdDateTime"],
        detected_time=_later(travel["createdDateTime"], 180),
        timing="offline",
        sign_in=travel,
    )
    fatigue = planter.fatigue_success
    fatigued = p["mfa_fatigue_user"]
    fatigue_detection = risk_detection(
        rng,
        fatigued,
        "unfamiliarFeatures",
        "medium",
        activity_time=fatigue["createdDateTime"],
        detected_time=fatigue["createdDateTime"],
        timing="realtime",
        sign_in=fatigue,
    )
    t.risk_detections += [leaked, anonymous, spray_detection, travel_detection, fatigue_detection]
    t.risky_users += [
        risky_user(bob, "high", "atRisk", "none", anonymous["detectedDateTime"]),
        risky_user(victim, "high", "atRisk", "none", spray_detection["detectedDateTime"]),
        risky_user(traveller, "medium", "atRisk", "none", travel_detection["detectedDateTime"]),
        risky_user(fatigued, "medium", "atRisk", "none", fatigue_detection["detectedDateTime"]),
    ]
    planter.cite(found["leaked_credentials"], "riskDetection", leaked["id"], anonymous["id"])
    planter.cite(found["password_spray"], "riskDetection", spray_detection["id"])
    planter.cite(found["impossible_travel"], "riskDetection", travel_detection["id"])
    planter.cite(found["mfa_fatigue"], "riskDetection", fatigue_detection["id"])
    _noise_risk(planter, rng)


NOISE_TYPES = ("unfamiliarFeatures", "maliciousIPAddress", "riskyIPAddress", "mcasImpossibleTravel")


def _noise_risk(planter: Planter, rng: random.Random) -> None:
    """Closed-out detections for ordinary users, on their real sign-ins."""
    t = planter.tenant
    for i, row in enumerate(planter.noise_candidates):
        user = t.user(row["userId"])
        state, detail = (
            ("remediated", "userPerformedSecuredPasswordReset")
            if i % 2
            else ("dismissed", "adminDismissedAllRiskForUser")
        )
        detection = risk_detection(
            rng,
            user,
            NOISE_TYPES[i % len(NOISE_TYPES)],
            "low",
            activity_time=row["createdDateTime"],
            detected_time=_later(row["createdDateTime"], 90),
            timing="offline" if i % 3 else "realtime",
            sign_in=row,
            state=state,
            detail=detail,
        )
        t.risk_detections.append(detection)
        t.risky_users.append(
            risky_user(user, "none", state, detail, _later(detection["detectedDateTime"], 600))
        )


def _workload_risk(planter: Planter, rng: random.Random) -> None:
    t = planter.tenant
    sp = t.apps["legacy_sync"]
    app = t.app_objects["legacy_sync"]
    key_ids = [c["keyId"] for c in app["passwordCredentials"]]
    when = iso(planter.when(7, 11.4))
    leaked = service_principal_risk_detection(
        rng,
        sp,
        "leakedCredentials",
        "high",
        activity_time=when,
        detected_time=when,
        key_ids=key_ids,
    )
    later = iso(planter.when(2, 4.2))
    suspicious = service_principal_risk_detection(
        rng,
        sp,
        "suspiciousSignins",
        "medium",
        activity_time=later,
        detected_time=later,
        key_ids=key_ids,
        ip=geo.WORKLOAD_ATTACK_IP,
        location=geo.WORKLOAD_ATTACK_PLACE.location(),
    )
    t.sp_risk_detections += [leaked, suspicious]
    t.risky_service_principals.append(risky_service_principal(sp, "high", "atRisk", later))
    entry = planter.scenario(
        "risky_workload_identity",
        "Risky workload identity",
        f"The client secret of '{sp['displayName']}' was found in a public repository "
        "(leakedCredentials, high) and the app then signed in from an unfamiliar Hong Kong IP.",
        servicePrincipalId=sp["id"],
        appId=sp["appId"],
    )
    planter.cite(entry, "servicePrincipal", sp["id"])
    planter.cite(entry, "servicePrincipalRiskDetection", leaked["id"], suspicious["id"])
    entry["facts"] = {
        "riskLevel": "high",
        "riskState": "atRisk",
        "riskEventTypes": ["leakedCredentials", "suspiciousSignins"],
        "graphPermissions": ["Mail.ReadWrite", "User.Read.All"],
    }


def _configuration_findings(planter: Planter) -> None:
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
    _ = days_before
