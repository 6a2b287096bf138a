"""Planted administration situations: who disabled, removed, assigned, added and changed what."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from idpilot.evaluation.tenants.vindelkraft._core import Record, Tenant, at, iso
from idpilot.evaluation.tenants.vindelkraft.apps import GRAPH_ROLES, App
from idpilot.evaluation.tenants.vindelkraft.audits import (
    audit,
    change,
    object_target,
    user_target,
)
from idpilot.evaluation.tenants.vindelkraft.roles import role_id


def _disable(tenant: Tenant, user: Record, actor: Record, when: datetime) -> Record:
    user["accountEnabled"] = False
    return audit(
        tenant,
        when,
        "Disable account",
        "UserManagement",
        [
            user_target(
                user,
                [
                    change("AccountEnabled", "[true]", "[false]"),
                    change("Included Updated Properties", None, '"AccountEnabled"'),
                ],
            )
        ],
        actor=actor,
        actor_ip="153.19.66.14",
    )


def disable_accounts(tenant: Tenant) -> Record:
    """Two leavers disabled last month and Jörg on the 12th, all by Łukasz."""
    lukasz = tenant.user("lukasz")
    october = [
        _disable(
            tenant, tenant.user("grzegorz"), lukasz, datetime(2026, 10, 27, 15, 4, 9, tzinfo=UTC)
        ),
        _disable(
            tenant, tenant.user("begona"), lukasz, datetime(2026, 10, 29, 16, 31, 2, tzinfo=UTC)
        ),
    ]
    tenant.scenario(
        "disabled_last_month",
        "Accounts disabled in October (leavers), by the User Administrator",
        {
            "users": [tenant.user(k)["displayName"] for k in ("grzegorz", "begona")],
            "admin": lukasz["displayName"],
        },
        {"count": len(october), "month": "2026-10"},
        {"directoryAudit": [a["id"] for a in october]},
    )
    return _disable(tenant, tenant.user("jorg"), lukasz, at(12, 10, 15, 37))


def ownerless_group(tenant: Tenant, groups: dict[str, Record]) -> None:
    """Blade Quality Circle lost its only owner on the 10th."""
    group, nuria, sven = groups["blade_quality"], tenant.user("nuria"), tenant.user("sven")
    props = [
        change("Group.ObjectID", None, json.dumps(group["id"])),
        change("Group.DisplayName", None, json.dumps(group["displayName"])),
    ]
    removed = audit(
        tenant,
        at(10, 14, 5, 50),
        "Remove owner from group",
        "GroupManagement",
        [user_target(nuria, props), object_target("Group", group)],
        actor=sven,
        operation="Delete",
    )
    tenant.scenario(
        "ownerless_group",
        "A group whose only owner was removed",
        {
            "group": group["displayName"],
            "group_id": group["id"],
            "former_owner": nuria["displayName"],
            "admin": sven["displayName"],
        },
        {"date": "2026-11-10"},
        {"group": [group["id"]], "directoryAudit": [removed["id"]]},
    )


def _role_added(
    tenant: Tenant,
    actor: Record,
    user: Record,
    role: str,
    when: datetime,
    service: str = "Core Directory",
    activity: str = "Add member to role",
) -> Record:
    props = [
        change("Role.ObjectID", None, json.dumps(role_id(role))),
        change("Role.DisplayName", None, json.dumps(role)),
        change("Role.TemplateId", None, json.dumps(role_id(role))),
    ]
    target_role = {"id": role_id(role), "displayName": role}
    return audit(
        tenant,
        when,
        activity,
        "RoleManagement",
        [user_target(user, props), object_target("Role", target_role)],
        actor=actor,
        service=service,
        operation="Assign",
    )


def role_changes(tenant: Tenant) -> None:
    """A guest made Cloud Application Administrator, a direct PRA assignment, a PIM activation."""
    sven, martin, krzysztof = tenant.user("sven"), tenant.user("martin"), tenant.user("krzysztof")
    guest_audit = _role_added(
        tenant,
        sven,
        martin,
        "Cloud Application Administrator",
        datetime(2026, 10, 30, 11, 20, 4, tzinfo=UTC),
    )
    tenant.scenario(
        "guest_privileged_role",
        "A B2B guest holds Cloud Application Administrator",
        {
            "user": martin["displayName"],
            "user_id": martin["id"],
            "role": "Cloud Application Administrator",
            "admin": sven["displayName"],
        },
        {"assigned": guest_audit["activityDateTime"]},
        {
            "user": [martin["id"]],
            "unifiedRoleAssignment": [tenant.planted["martin_cloudapp"]["id"]],
        },
    )
    direct = _role_added(
        tenant, sven, krzysztof, "Privileged Role Administrator", at(19, 16, 22, 41)
    )
    tenant.scenario(
        "role_outside_pim",
        "Privileged Role Administrator assigned directly, not through PIM",
        {
            "user": krzysztof["displayName"],
            "user_id": krzysztof["id"],
            "role": "Privileged Role Administrator",
            "admin": sven["displayName"],
        },
        {"date": "2026-11-19", "weekday": "Thursday"},
        {
            "directoryAudit": [direct["id"]],
            "unifiedRoleAssignment": [tenant.planted["krzysztof_pra"]["id"]],
        },
    )
    soren = tenant.user("soren")
    _role_added(
        tenant,
        soren,
        soren,
        "Global Administrator",
        at(5, 8, 12, 3),
        service="PIM",
        activity="Add member to role completed (PIM activation)",
    )
    gunter = tenant.user("gunter")
    tenant.scenario(
        "eligible_role",
        "Roles held as PIM eligibilities, not active",
        {
            "user": gunter["displayName"],
            "user_id": gunter["id"],
            "role": "Application Administrator",
            "ga_eligible": soren["displayName"],
        },
        {"eligible_global_admins": 1},
        {"unifiedRoleEligibilitySchedule": [tenant.planted["gunter_eligible_appadmin"]["id"]]},
    )


def app_credential(tenant: Tenant, apps: dict[str, App]) -> None:
    """BladeScan Analytics gets a new client secret and Files.ReadWrite.All on Monday the 16th."""
    tobias = tenant.user("tobias")
    app = apps["bladescan"]
    application = app.application
    assert application is not None
    key_id = tenant.new_id()
    application["passwordCredentials"].append(
        {
            "customKeyIdentifier": None,
            "displayName": "ci-2026-11",
            "endDateTime": iso(at(16, 9, 31).replace(year=2028)),
            "hint": "q~7",
            "keyId": key_id,
            "secretText": None,
            "startDateTime": iso(at(16, 9, 31, 2)),
        }
    )
    secret = audit(
        tenant,
        at(16, 9, 31, 2),
        "Update application – Certificates and secrets management ",
        "ApplicationManagement",
        [
            object_target(
                "Application",
                application,
                [
                    change(
                        "KeyDescription",
                        "[]",
                        f'["[KeyIdentifier={key_id},KeyType=Password,KeyUsage=Verify,'
                        'DisplayName=ci-2026-11]"]',
                    ),
                    change("Included Updated Properties", None, '"KeyDescription"'),
                ],
            )
        ],
        actor=tobias,
        actor_ip="91.198.40.77",
    )
    grant = tenant.planted["bladescan_files"]
    granted = audit(
        tenant,
        at(16, 10, 5, 0),
        "Add app role assignment to service principal",
        "ApplicationManagement",
        [
            object_target(
                "ServicePrincipal",
                app.service_principal,
                [
                    change("AppRole.Id", None, json.dumps(GRAPH_ROLES["Files.ReadWrite.All"])),
                    change("AppRole.Value", None, '"Files.ReadWrite.All"'),
                ],
            )
        ],
        actor=tobias,
        operation="Assign",
        actor_ip="91.198.40.77",
    )
    tenant.scenario(
        "app_new_secret",
        "New client secret and a high-privilege Graph permission on one app",
        {
            "app": app.display_name,
            "service_principal_id": app.service_principal["id"],
            "application_id": application["id"],
            "admin": tobias["displayName"],
            "permission": "Files.ReadWrite.All",
        },
        {"date": "2026-11-16", "weekday": "Monday", "key_id": key_id},
        {"directoryAudit": [secret["id"], granted["id"]], "appRoleAssignment": [grant["id"]]},
    )


def membership_and_policy_changes(tenant: Tenant, groups: dict[str, Record]) -> None:
    """Günter added to SCADA Operators; a report-only policy added and VK-02 edited by Sören."""
    soren, gunter, group = tenant.user("soren"), tenant.user("gunter"), groups["scada"]
    props = [
        change("Group.ObjectID", None, json.dumps(group["id"])),
        change("Group.DisplayName", None, json.dumps(group["displayName"])),
    ]
    added = audit(
        tenant,
        at(16, 8, 14, 22),
        "Add member to group",
        "GroupManagement",
        [user_target(gunter, props), object_target("Group", group)],
        actor=soren,
        operation="Assign",
    )
    tenant.scenario(
        "group_member_added",
        "Günter added to SCADA Operators by Sören",
        {
            "user": gunter["displayName"],
            "user_id": gunter["id"],
            "group": group["displayName"],
            "group_id": group["id"],
            "admin": soren["displayName"],
        },
        {"date": "2026-11-16"},
        {"directoryAudit": [added["id"]]},
    )
    new_policy = tenant.planted["policy:risk_mfa"]
    created = audit(
        tenant,
        at(3, 9, 2, 15),
        "Add conditional access policy",
        "Policy",
        [
            object_target(
                "Policy",
                new_policy,
                [
                    change(
                        "ConditionalAccessPolicy",
                        None,
                        json.dumps(
                            {
                                "id": new_policy["id"],
                                "displayName": new_policy["displayName"],
                                "state": new_policy["state"],
                            }
                        ),
                    )
                ],
            )
        ],
        actor=soren,
        service="Conditional Access",
        operation="Add",
    )
    edited = tenant.planted["policy:mfa_untrusted"]
    old_users = dict(edited["conditions"]["users"], excludeGroups=[])
    updated = audit(
        tenant,
        at(6, 13, 41, 9),
        "Update conditional access policy",
        "Policy",
        [
            object_target(
                "Policy",
                edited,
                [
                    change(
                        "ConditionalAccessPolicy",
                        json.dumps({"conditions": {"users": old_users}}),
                        json.dumps({"conditions": {"users": edited["conditions"]["users"]}}),
                    )
                ],
            )
        ],
        actor=soren,
        service="Conditional Access",
    )
    tenant.scenario(
        "policy_changes",
        "Conditional Access changes this month, all by Sören",
        {
            "admin": soren["displayName"],
            "added_policy": new_policy["displayName"],
            "updated_policy": edited["displayName"],
            "excluded_group": groups["ca_service"]["displayName"],
        },
        {"count": 2},
        {"directoryAudit": [created["id"], updated["id"]]},
    )


def new_hires(tenant: Tenant, apps: dict[str, App]) -> None:
    """Three joiners created this week by the HR connector."""
    made = []
    for key in ("new1", "new2", "new3"):
        user = tenant.user(key)
        when = datetime.fromisoformat(user["createdDateTime"].replace("Z", "+00:00"))
        made.append(
            audit(
                tenant,
                when,
                "Add user",
                "UserManagement",
                [user_target(user)],
                app=apps["hrconnector"],
                operation="Add",
            )
        )
    tenant.scenario(
        "new_hires",
        "Users created this week; the last has never signed in",
        {
            "users": [tenant.user(k)["displayName"] for k in ("new1", "new2", "new3")],
            "never_signed_in": tenant.user("new3")["displayName"],
        },
        {"count": 3},
        {
            "directoryAudit": [a["id"] for a in made],
            "user": [tenant.user(k)["id"] for k in ("new1", "new2", "new3")],
        },
    )
