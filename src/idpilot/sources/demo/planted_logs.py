"""The log side of the planted scenarios: audits here, then risk and configuration findings."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from .app_catalog import GRAPH_APP_ROLES
from .audits import audit, by_app, by_user, key_description, prop, target, target_user
from .planted_admin_trail import plant_admin_trail
from .planted_findings import plant_configuration_findings
from .planted_risk import plant_user_risk, plant_workload_risk
from .roles import GLOBAL_ADMIN, PRIVILEGED_ROLE_ADMIN, role_name

if TYPE_CHECKING:
    from .scenarios import Planter


def plant_logs(planter: Planter, rng: random.Random) -> None:
    """Plant audits, risk and configuration findings in a fixed order (the random stream
    depends on it)."""
    _role_outside_pim(planter, rng)
    _privileged_app(planter, rng)
    plant_user_risk(planter, rng)
    plant_workload_risk(planter, rng)
    plant_configuration_findings(planter)
    plant_admin_trail(planter)


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
