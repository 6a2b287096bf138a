"""Routine administrative activity, each audit consistent with the final directory state."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from .apps import password_credential
from .audits import audit, by_user, key_description, prop, target, target_user
from .geo import OFFICE_BY_NAME, host
from .ids import CAPTURED_AT, guid, iso
from .roles import GLOBAL_READER, role_name
from .tenant import DOMAIN, Tenant


def routine_audits(rng: random.Random, tenant: Tenant, planted: dict[str, datetime]) -> None:
    """Spread ordinary admin work over the window (about 0.4 audits per user per 30 days)."""
    p = tenant.personas
    admin = p["it_admin"]
    helpdesk = p["eve_role_actor"]
    admin_ip = host(rng, OFFICE_BY_NAME["Seattle HQ"].egress[0])
    helpdesk_ip = host(rng, OFFICE_BY_NAME["London"].egress[0])
    window = tenant.days * 86400

    def moment() -> datetime:
        while True:
            when = CAPTURED_AT - timedelta(seconds=rng.uniform(600, window - 600))
            if 7 <= (when.hour - 8) % 24 <= 18 and when.weekday() < 5:  # Seattle working hours
                return when

    static_groups = [
        g for g in tenant.groups if not g["membershipRule"] and g["members"] and g["owners"]
    ]
    members = [u for u in tenant.members() if u["department"]]
    persona_ids = {u["id"] for u in p.values()}
    plain = [u for u in members if u["id"] not in persona_ids]
    new_hires = [u for u in plain if tenant.profiles[u["id"]].kind == "never"]
    records = []
    total = max(60, round(len(tenant.users) * 0.4 * tenant.days / 30))
    for _ in range(total):
        roll = rng.random()
        if roll < 0.25:
            group = rng.choice(static_groups)
            member = rng.choice(group["members"])
            if member["@odata.type"].endswith("group"):
                continue
            records.append(
                audit(
                    rng,
                    moment(),
                    "Add member to group",
                    "GroupManagement",
                    "Assign",
                    by_user(admin, admin_ip),
                    [
                        target(
                            "User",
                            member["id"],
                            member["displayName"],
                            prop("Group.ObjectID", None, group["id"]),
                            prop("Group.DisplayName", None, group["displayName"]),
                        ),
                        target(
                            "Group",
                            group["id"],
                            group["displayName"],
                            group_type="unifiedGroups" if group["groupTypes"] else "azureAD",
                        ),
                    ],
                )
            )
        elif roll < 0.35:
            group = rng.choice(static_groups)
            inside = {m["id"] for m in group["members"]}
            user = rng.choice(plain)
            if user["id"] in inside:
                continue
            records.append(
                audit(
                    rng,
                    moment(),
                    "Remove member from group",
                    "GroupManagement",
                    "Unassign",
                    by_user(admin, admin_ip),
                    [
                        target_user(
                            user,
                            prop("Group.ObjectID", group["id"], None),
                            prop("Group.DisplayName", group["displayName"], None),
                        ),
                        target("Group", group["id"], group["displayName"]),
                    ],
                )
            )
        elif roll < 0.55:
            user = rng.choice(plain)
            records.append(
                audit(
                    rng,
                    moment(),
                    "Reset user password",
                    "UserManagement",
                    "Update",
                    by_user(helpdesk, helpdesk_ip),
                    [target_user(user)],
                )
            )
        elif roll < 0.68:
            user = rng.choice(plain)
            records.append(
                audit(
                    rng,
                    moment(),
                    "Update user",
                    "UserManagement",
                    "Update",
                    by_user(admin, admin_ip),
                    [
                        target_user(
                            user,
                            prop("JobTitle", None, user["jobTitle"]),
                            prop("Included Updated Properties", None, "JobTitle"),
                        )
                    ],
                )
            )
        elif roll < 0.80:
            user = rng.choice(plain)
            records.append(
                audit(
                    rng,
                    moment(),
                    "User registered security info",
                    "UserManagement",
                    "Add",
                    by_user(user, host(rng, "73.53")),
                    [target_user(user)],
                    service="Authentication Methods",
                    reason="User registered Authenticator App with Notification and Code",
                )
            )
        elif roll < 0.86:
            group = rng.choice(static_groups)
            owner = group["owners"][0]
            records.append(
                audit(
                    rng,
                    moment(),
                    "Add owner to group",
                    "GroupManagement",
                    "Assign",
                    by_user(admin, admin_ip),
                    [
                        target(
                            "User",
                            owner["id"],
                            owner["displayName"],
                            prop("Group.ObjectID", None, group["id"]),
                            prop("Group.DisplayName", None, group["displayName"]),
                        ),
                        target("Group", group["id"], group["displayName"]),
                    ],
                )
            )
        elif roll < 0.93:
            uid = guid(rng)
            upn = f"{uid.replace('-', '')}former.employee{rng.randint(10, 99)}@{DOMAIN}"
            records.append(
                audit(
                    rng,
                    moment(),
                    "Delete user",
                    "UserManagement",
                    "Delete",
                    by_user(admin, admin_ip),
                    [
                        {
                            "id": uid,
                            "displayName": None,
                            "type": "User",
                            "userPrincipalName": upn,
                            "groupType": None,
                            "modifiedProperties": [],
                        }
                    ],
                )
            )
        elif new_hires:
            user = new_hires.pop()
            when = moment()
            user["createdDateTime"] = iso(when)
            records.append(
                audit(
                    rng,
                    when,
                    "Add user",
                    "UserManagement",
                    "Add",
                    by_user(admin, admin_ip),
                    [
                        target_user(
                            user,
                            prop("AccountEnabled", None, [True]),
                            prop("DisplayName", None, [user["displayName"]]),
                            prop("UserPrincipalName", None, [user["userPrincipalName"]]),
                        )
                    ],
                )
            )
    _config_changes(rng, tenant, admin, admin_ip, moment, records)
    tenant.directory_audits.extend(records)


def _config_changes(rng, tenant, admin, admin_ip, moment, records) -> None:
    # Routine role work by the IT admin (so a role change by anyone else stands out).
    readers = [a for a in tenant.role_assignments if a["roleDefinitionId"] == GLOBAL_READER]
    for assignment in readers[:2]:
        user = tenant.user(assignment["principalId"])
        records.append(
            audit(
                rng,
                moment(),
                "Add member to role",
                "RoleManagement",
                "Assign",
                by_user(admin, admin_ip),
                [
                    target_user(
                        user,
                        prop("Role.DisplayName", None, role_name(GLOBAL_READER)),
                        prop("Role.TemplateId", None, GLOBAL_READER),
                    ),
                    target("Role", GLOBAL_READER, role_name(GLOBAL_READER)),
                ],
            )
        )
    policy = tenant.policies_by_key["mfa_all_users"]
    when = moment()
    policy["modifiedDateTime"] = iso(when)
    records.append(
        audit(
            rng,
            when,
            "Update conditional access policy",
            "Policy",
            "Update",
            by_user(admin, admin_ip),
            [
                target(
                    "Policy",
                    policy["id"],
                    policy["displayName"],
                    prop(
                        "ConditionalAccessPolicy",
                        {"state": "enabled"},
                        {"state": policy["state"], "conditions": policy["conditions"]},
                    ),
                )
            ],
            service="Conditional Access",
        )
    )
    app = tenant.app_objects["crm_sync"]
    when = moment()
    secret = password_credential(rng, "rotation-" + iso(when)[:7], 0, 365)
    secret["startDateTime"], secret["endDateTime"] = iso(when), iso(when + timedelta(days=365))
    app["passwordCredentials"].append(secret)
    records.append(
        audit(
            rng,
            when,
            "Update application – Certificates and secrets management ",
            "ApplicationManagement",
            "Update",
            by_user(admin, admin_ip),
            [
                target(
                    "Application",
                    app["id"],
                    app["displayName"],
                    prop("KeyDescription", [], [key_description(secret)]),
                )
            ],
        )
    )
    fabrikam = tenant.apps["fabrikam_signer"]
    bob = tenant.personas["bob"]
    records.append(
        audit(
            rng,
            moment(),
            "Consent to application",
            "ApplicationManagement",
            "Assign",
            by_user(bob, host(rng, "64.124.9")),
            [
                target(
                    "ServicePrincipal",
                    fabrikam["id"],
                    fabrikam["displayName"],
                    prop("ConsentContext.IsAdminConsent", None, "False"),
                    prop(
                        "ConsentAction.Permissions",
                        None,
                        "Scope: User.Read Mail.Read offline_access",
                    ),
                )
            ],
        )
    )
