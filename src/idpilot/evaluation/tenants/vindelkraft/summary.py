"""Whole-tenant facts for counting questions ("how many guests?"), computed from the records."""

from __future__ import annotations

from idpilot.evaluation.tenants.vindelkraft._core import Record, Tenant
from idpilot.evaluation.tenants.vindelkraft.apps import App
from idpilot.evaluation.tenants.vindelkraft.roles import role_id

WRONG_PASSWORD = 50126
SPRAY_DAY = "2026-11-09"


def tenant_facts(tenant: Tenant, groups: dict[str, Record], apps: dict[str, App]) -> Record:
    """A scenario named `tenant` holding counts and lists every counting case relies on."""
    users = tenant.records("users")
    guests = [u for u in users if u.get("userType") == "Guest"]
    disabled = [u for u in users if not u["accountEnabled"]]
    policies = tenant.records("conditionalAccessPolicies")
    report_only = [p for p in policies if p["state"] == "enabledForReportingButNotEnforced"]
    off = [p for p in policies if p["state"] == "disabled"]
    global_admins = [
        a
        for a in tenant.records("roleAssignments")
        if a["roleDefinitionId"] == role_id("Global Administrator")
    ]
    all_groups = tenant.records("groups")
    dynamic = [g for g in all_groups if "DynamicMembership" in g["groupTypes"]]
    ownerless = [g for g in all_groups if not g["owners"]]
    empty = [g for g in all_groups if not g["members"]]
    assignable = [g for g in all_groups if g.get("isAssignableToRole")]
    sign_ins = tenant.records("signIns")
    munich = groups["munich"]
    return {
        "id": "tenant",
        "description": "Counts and lists over the whole tenant",
        "entities": {
            "guests": [g["displayName"] for g in guests],
            "disabled_users": [u["displayName"] for u in disabled],
            "report_only_policies": [p["displayName"] for p in report_only],
            "disabled_policies": [p["displayName"] for p in off],
            "global_admins": [a["principal"]["displayName"] for a in global_admins],
            "dynamic_group": munich["displayName"],
            "dynamic_group_id": munich["id"],
            "role_assignable_group": assignable[0]["displayName"],
            "role_assignable_group_id": assignable[0]["id"],
            "empty_group": empty[0]["displayName"],
            "empty_group_id": empty[0]["id"],
            "nested_parent_group": groups["field_all"]["displayName"],
            "nested_child_group": groups["field_bergen"]["displayName"],
            "finance_apps_group": groups["finance_apps"]["displayName"],
            "finance_team_group": groups["finance_team"]["displayName"],
            "expenses_app": apps["kvitto"].display_name,
            "expenses_sp_id": apps["kvitto"].service_principal["id"],
            "payroll_app": apps["lonn"].display_name,
            "ownerless_app": apps["telemetry"].display_name,
            "ownerless_app_sp_id": apps["telemetry"].service_principal["id"],
            "hr_connector": apps["hrconnector"].display_name,
        },
        "facts": {
            "members": sum(1 for u in users if u.get("userType") == "Member"),
            "guests": len(guests),
            "disabled_users": len(disabled),
            "policies": len(policies),
            "report_only_policies": len(report_only),
            "disabled_policies": len(off),
            "global_admins": len(global_admins),
            "groups": len(all_groups),
            "dynamic_groups": len(dynamic),
            "ownerless_groups": len(ownerless),
            "empty_groups": len(empty),
            "dynamic_group_members": len(munich["members"]),
            "sign_ins": len(sign_ins),
            "failed_sign_ins": sum(1 for s in sign_ins if s["status"]["errorCode"]),
            "wrong_password_on_spray_day": sum(
                1
                for s in sign_ins
                if s["status"]["errorCode"] == WRONG_PASSWORD
                and s["createdDateTime"].startswith(SPRAY_DAY)
            ),
        },
        "evidence": {
            "conditionalAccessPolicy": [p["id"] for p in report_only],
            "unifiedRoleAssignment": [a["id"] for a in global_admins],
        },
    }
