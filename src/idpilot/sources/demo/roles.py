"""Directory roles: built-in definitions, active assignments and PIM eligibility schedules."""

from __future__ import annotations

import random

from .ids import days_before, guid, iso, role_assignment_id
from .tenant import Tenant

GLOBAL_ADMIN = "62e90394-69f5-4237-9190-012177145e10"
PRIVILEGED_ROLE_ADMIN = "e8611ab8-c189-46e8-94e1-60213ab1f814"
SECURITY_ADMIN = "194ae4cb-b126-40b2-bd5b-6091b380977d"
USER_ADMIN = "fe930be7-5e62-47db-91af-98c3a49a38b1"
EXCHANGE_ADMIN = "29232cdf-9323-42fd-ade2-1d097af3e4de"
SHAREPOINT_ADMIN = "f28a1f50-f6e7-4571-818b-6a12f2af6b6c"
CA_ADMIN = "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9"
APP_ADMIN = "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3"
CLOUD_APP_ADMIN = "158c047a-c907-4556-b7ef-446551a6b5f7"
GLOBAL_READER = "f2ef992c-3afb-46b9-b7cf-a126ee74c451"
HELPDESK_ADMIN = "729827e3-9c14-49f7-bb1b-9608f156bbb8"
AUTH_ADMIN = "c4e39bd9-1100-46d3-8c65-fb160da0071f"
PRIVILEGED_AUTH_ADMIN = "7be44c8a-adaf-4e2a-84d6-ab2649e08a13"
SECURITY_READER = "5d6b6bb7-de71-4623-b4af-96380a352509"
INTUNE_ADMIN = "3a2c62db-5318-420d-8d74-23affee5d9d5"
BILLING_ADMIN = "b0f54661-2d74-4c50-afa3-1ec803f12efe"

# template id -> (displayName, description, a few of its real resource actions)
BUILT_IN_ROLES = {
    GLOBAL_ADMIN: (
        "Global Administrator",
        "Can manage all aspects of Microsoft Entra ID and Microsoft services that use "
        "Microsoft Entra identities.",
        ["microsoft.directory/allEntities/allProperties/allTasks"],
    ),
    PRIVILEGED_ROLE_ADMIN: (
        "Privileged Role Administrator",
        "Can manage role assignments in Microsoft Entra ID, and all aspects of Privileged "
        "Identity Management.",
        ["microsoft.directory/roleAssignments/allProperties/allTasks"],
    ),
    SECURITY_ADMIN: (
        "Security Administrator",
        "Can read security information and reports, and manage configuration in Microsoft "
        "Entra ID and Office 365.",
        ["microsoft.directory/conditionalAccessPolicies/create"],
    ),
    USER_ADMIN: (
        "User Administrator",
        "Can manage all aspects of users and groups, including resetting passwords for "
        "limited admins.",
        ["microsoft.directory/users/create", "microsoft.directory/groups/create"],
    ),
    EXCHANGE_ADMIN: (
        "Exchange Administrator",
        "Can manage all aspects of the Exchange product.",
        ["microsoft.office365.exchange/allEntities/basic/allTasks"],
    ),
    SHAREPOINT_ADMIN: (
        "SharePoint Administrator",
        "Can manage all aspects of the SharePoint service.",
        ["microsoft.office365.sharePoint/allEntities/allTasks"],
    ),
    CA_ADMIN: (
        "Conditional Access Administrator",
        "Can manage Conditional Access capabilities.",
        ["microsoft.directory/conditionalAccessPolicies/basic/update"],
    ),
    APP_ADMIN: (
        "Application Administrator",
        "Can create and manage all aspects of app registrations and enterprise apps.",
        ["microsoft.directory/applications/create"],
    ),
    CLOUD_APP_ADMIN: (
        "Cloud Application Administrator",
        "Can create and manage all aspects of app registrations and enterprise apps except "
        "App Proxy.",
        ["microsoft.directory/applications/credentials/update"],
    ),
    GLOBAL_READER: (
        "Global Reader",
        "Can read everything that a Global Administrator can, but not update anything.",
        ["microsoft.directory/users/standard/read"],
    ),
    HELPDESK_ADMIN: (
        "Helpdesk Administrator",
        "Can reset passwords for non-administrators and Helpdesk Administrators.",
        ["microsoft.directory/users/password/update"],
    ),
    AUTH_ADMIN: (
        "Authentication Administrator",
        "Can access to view, set and reset authentication method information for any "
        "non-admin user.",
        ["microsoft.directory/users/authenticationMethods/create"],
    ),
    PRIVILEGED_AUTH_ADMIN: (
        "Privileged Authentication Administrator",
        "Can access to view, set and reset authentication method information for any user "
        "(admin or non-admin).",
        ["microsoft.directory/users/authenticationMethods/allProperties/allTasks"],
    ),
    SECURITY_READER: (
        "Security Reader",
        "Can read security information and reports in Microsoft Entra ID and Office 365.",
        ["microsoft.directory/auditLogs/allProperties/read"],
    ),
    INTUNE_ADMIN: (
        "Intune Administrator",
        "Can manage all aspects of the Intune product.",
        ["microsoft.intune/allEntities/allTasks"],
    ),
    BILLING_ADMIN: (
        "Billing Administrator",
        "Can perform common billing related tasks like updating payment information.",
        ["microsoft.commerce.billing/allEntities/allProperties/allTasks"],
    ),
}

PRIVILEGED_ROLES = (
    GLOBAL_ADMIN,
    PRIVILEGED_ROLE_ADMIN,
    SECURITY_ADMIN,
    PRIVILEGED_AUTH_ADMIN,
    CA_ADMIN,
    APP_ADMIN,
    CLOUD_APP_ADMIN,
    USER_ADMIN,
    EXCHANGE_ADMIN,
)


def role_name(template_id: str) -> str:
    return BUILT_IN_ROLES[template_id][0]


def build_role_definitions(tenant: Tenant) -> None:
    for template_id, (name, description, actions) in BUILT_IN_ROLES.items():
        tenant.role_definitions.append(
            {
                "id": template_id,
                "description": description,
                "displayName": name,
                "isBuiltIn": True,
                "isEnabled": True,
                "resourceScopes": ["/"],
                "templateId": template_id,
                "version": "1",
                "rolePermissions": [{"allowedResourceActions": actions, "condition": None}],
            }
        )


def assign_role(tenant: Tenant, principal_id: str, role_id: str, scope: str = "/") -> dict:
    """Add an active unifiedRoleAssignment."""
    assignment = {
        "id": role_assignment_id(role_id, principal_id),
        "principalId": principal_id,
        "resourceScope": scope,
        "directoryScopeId": scope,
        "appScopeId": None,
        "roleDefinitionId": role_id,
    }
    if scope != "/":  # Graph derives the id differently for scoped assignments; keep it unique
        assignment["id"] = assignment["id"][:-2] + f"-{len(tenant.role_assignments) + 2}"
    tenant.role_assignments.append(assignment)
    return assignment


def build_role_assignments(rng: random.Random, tenant: Tenant) -> None:
    """Active assignments (3 Global Admins before the planted one) and PIM eligibility."""
    p = tenant.personas
    persona_ids = {x["id"] for x in p.values()}
    pool = [
        u
        for u in tenant.members()
        if u["department"] == "IT" and u["accountEnabled"] and u["id"] not in persona_ids
    ] or [p["it_admin"]]

    def pick(i: int) -> dict:
        return pool[i % len(pool)]

    for key in ("breakglass01", "breakglass02", "it_admin"):
        assign_role(tenant, p[key]["id"], GLOBAL_ADMIN)
    assign_role(tenant, p["admin_without_phishing_resistant_mfa"]["id"], PRIVILEGED_ROLE_ADMIN)
    assign_role(tenant, p["eve_role_actor"]["id"], HELPDESK_ADMIN)
    assign_role(tenant, p["eve_role_actor"]["id"], PRIVILEGED_ROLE_ADMIN)
    assign_role(tenant, tenant.groups_by_key["privileged_security_operators"]["id"], SECURITY_ADMIN)
    au_id = guid(rng)
    finance_app = tenant.app_objects["finance_portal"]
    singles = (
        (USER_ADMIN, "/"),
        (USER_ADMIN, f"/administrativeUnits/{au_id}"),
        (EXCHANGE_ADMIN, "/"),
        (SHAREPOINT_ADMIN, "/"),
        (CA_ADMIN, "/"),
        (APP_ADMIN, "/"),
        (CLOUD_APP_ADMIN, f"/{finance_app['id']}"),
        (GLOBAL_READER, "/"),
        (GLOBAL_READER, "/"),
        (HELPDESK_ADMIN, "/"),
        (AUTH_ADMIN, "/"),
        (SECURITY_READER, "/"),
        (INTUNE_ADMIN, "/"),
        (BILLING_ADMIN, "/"),
    )
    for i, (role_id, scope) in enumerate(singles):
        assign_role(tenant, pick(i)["id"], role_id, scope)
    eligible = (
        (GLOBAL_ADMIN, pick(2)),
        (GLOBAL_ADMIN, p["admin_without_phishing_resistant_mfa"]),
        (PRIVILEGED_ROLE_ADMIN, pick(3)),
        (SECURITY_ADMIN, pick(4)),
        (SECURITY_ADMIN, pick(5)),
        (EXCHANGE_ADMIN, pick(6)),
        (PRIVILEGED_AUTH_ADMIN, p["it_admin"]),
    )
    for role_id, user in eligible:
        start = days_before(rng.uniform(60, 500))
        permanent = rng.random() < 0.5
        tenant.role_eligibility_schedules.append(
            {
                "id": guid(rng),
                "principalId": user["id"],
                "roleDefinitionId": role_id,
                "directoryScopeId": "/",
                "appScopeId": None,
                "createdUsing": guid(rng),
                "createdDateTime": iso(start),
                "modifiedDateTime": None,
                "status": "Provisioned",
                "memberType": "Direct",
                "scheduleInfo": {
                    "startDateTime": iso(start),
                    "recurrence": None,
                    "expiration": {
                        "type": "noExpiration" if permanent else "afterDateTime",
                        "endDateTime": None if permanent else iso(days_before(-365)),
                        "duration": None,
                    },
                },
            }
        )
