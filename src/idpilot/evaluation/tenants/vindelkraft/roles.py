"""Directory roles at Vindelkraft: definitions, active assignments and PIM eligibilities."""

from __future__ import annotations

import base64
from datetime import datetime, timedelta

from idpilot.evaluation.tenants.vindelkraft._core import CAPTURED, Record, Tenant, at, iso

# Built-in role template ids, as Microsoft publishes them.
ROLES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "Global Administrator": (
        "62e90394-69f5-4237-9190-012177145e10",
        "Can manage all aspects of Microsoft Entra ID and Microsoft services "
        "that use Microsoft Entra identities.",
        (
            "microsoft.directory/users/allProperties/allTasks",
            "microsoft.directory/roleAssignments/allProperties/allTasks",
        ),
    ),
    "Privileged Role Administrator": (
        "e8611ab8-c189-46e8-94e1-60213ab1f814",
        "Can manage role assignments in Microsoft Entra ID, and all aspects of "
        "Privileged Identity Management.",
        ("microsoft.directory/roleAssignments/allProperties/allTasks",),
    ),
    "Security Administrator": (
        "194ae4cb-b126-40b2-bd5b-6091b380977d",
        "Can read security information and reports, and manage configuration "
        "in Microsoft Entra ID and Office 365.",
        ("microsoft.directory/conditionalAccessPolicies/create",),
    ),
    "Conditional Access Administrator": (
        "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9",
        "Can manage Conditional Access capabilities.",
        (
            "microsoft.directory/conditionalAccessPolicies/create",
            "microsoft.directory/conditionalAccessPolicies/basic/update",
        ),
    ),
    "User Administrator": (
        "fe930be7-5e62-47db-91af-98c3a49a38b1",
        "Can manage all aspects of users and groups, including resetting "
        "passwords for limited admins.",
        ("microsoft.directory/users/create", "microsoft.directory/users/password/update"),
    ),
    "Helpdesk Administrator": (
        "729827e3-9c14-49f7-bb1b-9608f156bbb8",
        "Can reset passwords for non-administrators and Helpdesk Administrators.",
        ("microsoft.directory/users/password/update",),
    ),
    "Cloud Application Administrator": (
        "158c047a-c907-4556-b7ef-446551a6b5f7",
        "Can create and manage all aspects of app registrations and enterprise "
        "apps except App Proxy.",
        ("microsoft.directory/applications/credentials/update",),
    ),
    "Application Administrator": (
        "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3",
        "Can create and manage all aspects of app registrations and enterprise apps.",
        ("microsoft.directory/applications/credentials/update",),
    ),
    "Exchange Administrator": (
        "29232cdf-9323-42fd-ade2-1d097af3e4de",
        "Can manage all aspects of the Exchange product.",
        ("microsoft.office365.exchange/allEntities/basic/allTasks",),
    ),
    "Billing Administrator": (
        "b0f54661-2d74-4c50-afa3-1ec803f12efe",
        "Can perform common billing related tasks like updating payment information.",
        ("microsoft.directory/organization/basic/update",),
    ),
    "Intune Administrator": (
        "3a2c62db-5318-420d-8d74-23affee5d9d5",
        "Can manage all aspects of the Intune product.",
        ("microsoft.intune/allEntities/allTasks",),
    ),
    "Security Reader": (
        "5d6b6bb7-de71-4623-b4af-96380a352509",
        "Can read security information and reports in Microsoft Entra ID and Office 365.",
        ("microsoft.directory/auditLogs/allProperties/read",),
    ),
    "Global Reader": (
        "f2ef992c-3afb-46b9-b7cf-a126ee74c451",
        "Can read everything that a Global Administrator can, but not update anything.",
        ("microsoft.directory/users/allProperties/read",),
    ),
    "Authentication Administrator": (
        "c4e39bd9-1100-46d3-8c65-fb160da0071f",
        "Can access to view, set and reset authentication method information "
        "for any non-admin user.",
        ("microsoft.directory/users/authenticationMethods/create",),
    ),
}
ADMIN_ROLES_IN_POLICY = (
    "Global Administrator",
    "Privileged Role Administrator",
    "Security Administrator",
    "Conditional Access Administrator",
    "User Administrator",
    "Helpdesk Administrator",
    "Cloud Application Administrator",
    "Application Administrator",
    "Exchange Administrator",
    "Authentication Administrator",
    "Intune Administrator",
)


def role_id(name: str) -> str:
    """The template id of a built-in role."""
    return ROLES[name][0]


def _assignment_id(tenant: Tenant) -> str:
    raw = tenant.rng.getrandbits(256).to_bytes(32, "big")
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")[:43] + "-1"


def _principal(record: Record, kind: str) -> Record:
    principal = {
        "@odata.type": f"#microsoft.graph.{kind}",
        "id": record["id"],
        "displayName": record["displayName"],
    }
    if kind == "user":
        principal["userPrincipalName"] = record["userPrincipalName"]
    return principal


def build_role_definitions(tenant: Tenant) -> None:
    """One unifiedRoleDefinition per built-in role used here (id = template id)."""
    for name, (template, description, actions) in ROLES.items():
        tenant.add(
            "roleDefinitions",
            {
                "id": template,
                "displayName": name,
                "description": description,
                "templateId": template,
                "version": "1",
                "isBuiltIn": True,
                "isEnabled": True,
                "resourceScopes": ["/"],
                "rolePermissions": [{"allowedResourceActions": list(actions), "condition": None}],
            },
        )


def assign(tenant: Tenant, principal: Record, role: str, kind: str = "user") -> Record:
    """An active role assignment at tenant scope, with the principal expanded."""
    return tenant.add(
        "roleAssignments",
        {
            "id": _assignment_id(tenant),
            "principalId": principal["id"],
            "roleDefinitionId": role_id(role),
            "directoryScopeId": "/",
            "appScopeId": None,
            "condition": None,
            "principal": _principal(principal, kind),
        },
    )


def make_eligible(tenant: Tenant, principal: Record, role: str, since: datetime) -> Record:
    """A PIM eligibility schedule without expiry."""
    return tenant.add(
        "roleEligibilitySchedules",
        {
            "id": tenant.new_id(),
            "principalId": principal["id"],
            "roleDefinitionId": role_id(role),
            "directoryScopeId": "/",
            "appScopeId": None,
            "memberType": "Direct",
            "status": "Provisioned",
            "createdUsing": tenant.new_id(),
            "createdDateTime": iso(since),
            "modifiedDateTime": None,
            "scheduleInfo": {
                "startDateTime": iso(since),
                "expiration": {"type": "noExpiration", "endDateTime": None, "duration": None},
            },
            "principal": _principal(principal, "user"),
        },
    )


def build_roles(tenant: Tenant, groups: dict[str, Record]) -> dict[str, Record]:
    """Assignments and eligibilities; returns the planted ones by key."""
    build_role_definitions(tenant)
    user = tenant.user
    planted: dict[str, Record] = {}
    for key in ("sven", "breakglass01", "breakglass02"):
        assign(tenant, user(key), "Global Administrator")
    planted["krzysztof_pra"] = assign(tenant, user("krzysztof"), "Privileged Role Administrator")
    planted["tier0_secadmin"] = assign(tenant, groups["tier0"], "Security Administrator", "group")
    assign(tenant, user("soren"), "Conditional Access Administrator")
    planted["lukasz_useradmin"] = assign(tenant, user("lukasz"), "User Administrator")
    assign(tenant, user("agnieszka"), "Helpdesk Administrator")
    planted["martin_cloudapp"] = assign(tenant, user("martin"), "Cloud Application Administrator")
    assign(tenant, user("tobias"), "Cloud Application Administrator")
    it_krakow = [
        u
        for u in tenant.records("users")
        if u.get("department") == "IT Operations"
        and u.get("city") == "Kraków"
        and u["id"] not in {user(k)["id"] for k in ("lukasz", "agnieszka", "krzysztof")}
    ]
    assign(tenant, it_krakow[0], "Helpdesk Administrator")
    assign(tenant, it_krakow[1], "Intune Administrator")
    assign(tenant, it_krakow[2], "Security Reader")
    since = CAPTURED - timedelta(days=210)
    planted["soren_eligible_ga"] = make_eligible(
        tenant, user("soren"), "Global Administrator", since
    )
    planted["gunter_eligible_appadmin"] = make_eligible(
        tenant, user("gunter"), "Application Administrator", at(2, 9, 30)
    )
    make_eligible(tenant, user("linnea"), "Billing Administrator", since)
    make_eligible(tenant, user("lukasz"), "Exchange Administrator", since)
    return planted


def active_role_ids(tenant: Tenant, user_id: str, group_ids: set[str]) -> set[str]:
    """Template ids of the roles a user holds actively, directly or through a group."""
    return {
        a["roleDefinitionId"]
        for a in tenant.records("roleAssignments")
        if a["principalId"] == user_id or a["principalId"] in group_ids
    }
