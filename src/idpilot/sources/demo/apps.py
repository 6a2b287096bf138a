"""Applications and service principals: Microsoft first-party apps and Contoso's own."""

from __future__ import annotations

import random
from dataclasses import dataclass

from .ids import (
    MICROSOFT_TENANT_ID,
    app_role_assignment_id,
    days_before,
    grant_id,
    guid,
    hex_id,
    iso,
)
from .tenant import DOMAIN, Tenant, user_ref

# Real Microsoft Graph application permission (app role) ids.
GRAPH_APP_ROLES = {
    "Directory.ReadWrite.All": "19dbc75e-c2e2-444c-a770-ec69d8559fc7",
    "RoleManagement.ReadWrite.Directory": "9e3f62cf-ca93-4989-b6ce-bf83c28f9fe8",
    "Application.ReadWrite.All": "1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9",
    "AppRoleAssignment.ReadWrite.All": "06b708a9-e830-4db3-a914-8e69da51d44f",
    "User.Read.All": "df021288-bdef-4463-88db-98f22de89214",
    "Group.Read.All": "5b567255-7703-4780-807c-7be8301ae99b",
    "Mail.Read": "810c84a8-4a9e-49e6-bf7d-12d183f40d01",
    "Mail.ReadWrite": "e2a3a72e-5f79-4c64-b1b1-878b674786c9",
    "Sites.Read.All": "332a536c-c7ef-4017-ab91-336970924f0d",
}
# Real Microsoft Graph delegated permission (oauth2PermissionScope) ids.
GRAPH_SCOPES = {
    "User.Read": "e1fe6dd8-ba31-4d61-89e7-88639da4683d",
    "Mail.Read": "570282fd-fa5c-430d-a7fd-fc8dc98a9dca",
    "openid": "37f7f235-527c-4136-accd-4a02d197296e",
    "profile": "14dad69e-099b-42c9-810b-d002981feec1",
    "offline_access": "7427e0e9-2fba-42fe-b0c0-848c9e6a8182",
    "email": "64a6cdd6-aab1-4aaf-94b8-3cc8405e90d0",
}

FIRST_PARTY = (
    ("graph", "00000003-0000-0000-c000-000000000000", "Microsoft Graph"),
    ("exchange", "00000002-0000-0ff1-ce00-000000000000", "Office 365 Exchange Online"),
    ("sharepoint", "00000003-0000-0ff1-ce00-000000000000", "Office 365 SharePoint Online"),
    ("teams", "1fec8e78-bce4-4aaf-ab1b-5451cc387264", "Microsoft Teams"),
    ("azure_portal", "c44b4083-3bb0-49c1-b47d-974e53cbdf3c", "Azure Portal"),
    ("azure_cli", "04b07795-8ddb-461a-bbee-02f9e1bf7b46", "Microsoft Azure CLI"),
    ("azure_powershell", "1950a258-227b-4e31-a9cf-717495945fc2", "Microsoft Azure PowerShell"),
    ("office", "d3590ed6-52b3-4102-aeff-aad2292ab01c", "Microsoft Office"),
    ("admin_center", "00000006-0000-0ff1-ce00-000000000000", "Microsoft 365 admin center"),
    (
        "azure_management",
        "797f4846-ba00-4fd7-ba43-dac1f8f63013",
        "Windows Azure Service Management API",
    ),
)


@dataclass(frozen=True)
class LobApp:
    key: str
    name: str
    kind: str  # web | daemon | public
    graph_roles: tuple[str, ...] = ()
    app_roles: tuple[str, ...] = ()
    owner_key: str | None = "it_admin"
    secret_age_days: int | None = 200  # when the current secret was created
    secret_life_days: int = 365
    certificate_life_days: int | None = None


LOB_APPS = (
    LobApp(
        "finance_portal",
        "Contoso Finance Portal",
        "web",
        (),
        ("Finance.Reader", "Finance.Approver"),
        "finance_manager",
    ),
    LobApp(
        "hr_portal",
        "Contoso HR Portal",
        "web",
        (),
        ("HR.Employee", "HR.Manager"),
        secret_age_days=None,
        certificate_life_days=730,
    ),
    LobApp("expenses", "Contoso Expenses", "web"),
    LobApp("intranet", "Contoso Intranet", "web", secret_age_days=None),
    LobApp("field_service", "Contoso Field Service", "public", secret_age_days=None),
    LobApp("crm_sync", "Contoso CRM Sync", "daemon", ("User.Read.All", "Group.Read.All")),
    LobApp(
        "identity_sync",
        "Contoso Identity Sync",
        "daemon",
        ("Directory.ReadWrite.All",),
        secret_age_days=None,
        certificate_life_days=1095,
    ),
    LobApp(
        "reporting",
        "Contoso Reporting Service",
        "daemon",
        ("Group.Read.All", "Sites.Read.All"),
        secret_age_days=400,
        secret_life_days=1825,
    ),
    LobApp(
        "mail_archiver",
        "Contoso Mail Archiver",
        "daemon",
        ("Mail.Read",),
        secret_age_days=420,
        secret_life_days=365,
    ),
    LobApp(
        "devtest",
        "Contoso DevTest Sandbox",
        "daemon",
        ("User.Read.All",),
        owner_key=None,
        secret_age_days=800,
        secret_life_days=730,
    ),
    LobApp(
        "automation",
        "Contoso Automation Runbook",
        "daemon",
        ("AppRoleAssignment.ReadWrite.All",),
        secret_age_days=300,
    ),
    LobApp(
        "legacy_sync",
        "Contoso Legacy Sync",
        "daemon",
        ("Mail.ReadWrite", "User.Read.All"),
        secret_age_days=600,
        secret_life_days=1095,
    ),
)

FABRIKAM_TENANT_ID = "a9b1c7d2-4e6f-4a8b-9c0d-1e2f3a4b5c6d"


def password_credential(rng: random.Random, name: str, start_days: float, life: int) -> dict:
    return {
        "customKeyIdentifier": None,
        "displayName": name,
        "endDateTime": iso(days_before(start_days - life)),
        "hint": hex_id(rng, 2)[:3],
        "keyId": guid(rng),
        "secretText": None,
        "startDateTime": iso(days_before(start_days)),
    }


def key_credential(rng: random.Random, subject: str, start_days: float, life: int) -> dict:
    return {
        "customKeyIdentifier": hex_id(rng, 20).upper(),
        "displayName": f"CN={subject}",
        "endDateTime": iso(days_before(start_days - life)),
        "key": None,
        "keyId": guid(rng),
        "startDateTime": iso(days_before(start_days)),
        "type": "AsymmetricX509Cert",
        "usage": "Verify",
    }


def _app_role(rng: random.Random, value: str, members: list[str]) -> dict:
    return {
        "allowedMemberTypes": members,
        "description": f"Allows {value}",
        "displayName": value,
        "id": guid(rng),
        "isEnabled": True,
        "origin": "Application",
        "value": value,
    }


def _service_principal(rng: random.Random, app_id: str, name: str, owner_org: str, **extra) -> dict:
    return {
        "id": guid(rng),
        "deletedDateTime": None,
        "accountEnabled": True,
        "appDisplayName": name,
        "appId": app_id,
        "appOwnerOrganizationId": owner_org,
        "appRoleAssignmentRequired": extra.get("assignment_required", False),
        "displayName": name,
        "homepage": extra.get("homepage"),
        "publisherName": extra.get("publisher", "Microsoft Services"),
        "replyUrls": extra.get("reply_urls", []),
        "servicePrincipalNames": [app_id],
        "servicePrincipalType": "Application",
        "signInAudience": extra.get("audience", "AzureADMultipleOrgs"),
        "tags": extra.get("tags", []),
        "appRoles": extra.get("app_roles", []),
        "oauth2PermissionScopes": extra.get("scopes", []),
        "keyCredentials": [],
        "passwordCredentials": [],
        "owners": extra.get("owners", []),
    }


def build_apps(rng: random.Random, tenant: Tenant) -> None:
    """First-party service principals, Contoso app registrations and a foreign multi-tenant app."""
    for key, app_id, name in FIRST_PARTY:
        extra: dict = {}
        if key == "graph":
            extra["app_roles"] = [
                {
                    "allowedMemberTypes": ["Application"],
                    "description": f"Allows the app to {perm} without a signed-in user.",
                    "displayName": perm,
                    "id": role_id,
                    "isEnabled": True,
                    "origin": "Application",
                    "value": perm,
                }
                for perm, role_id in GRAPH_APP_ROLES.items()
            ]
            extra["scopes"] = [
                {
                    "adminConsentDescription": f"Allows the app to use {scope} for the user.",
                    "adminConsentDisplayName": scope,
                    "id": scope_id,
                    "isEnabled": True,
                    "type": "User",
                    "userConsentDescription": f"Allows the app to use {scope} as you.",
                    "userConsentDisplayName": scope,
                    "value": scope,
                }
                for scope, scope_id in GRAPH_SCOPES.items()
            ]
        sp = _service_principal(rng, app_id, name, MICROSOFT_TENANT_ID, **extra)
        tenant.service_principals.append(sp)
        tenant.apps[key] = sp

    for spec in LOB_APPS:
        _lob_app(rng, tenant, spec)

    fabrikam = _service_principal(
        rng,
        guid(rng),
        "Fabrikam Document Signer",
        FABRIKAM_TENANT_ID,
        publisher="Fabrikam, Inc.",
        homepage="https://sign.fabrikam.com",
        reply_urls=["https://sign.fabrikam.com/auth/callback"],
        tags=["WindowsAzureActiveDirectoryIntegratedApp"],
    )
    tenant.service_principals.append(fabrikam)
    tenant.apps["fabrikam_signer"] = fabrikam
    _grants(rng, tenant)


def _lob_app(rng: random.Random, tenant: Tenant, spec: LobApp) -> None:
    app_id = guid(rng)
    owner = tenant.personas[spec.owner_key] if spec.owner_key else None
    created = rng.uniform(500, 1400)
    app_roles = [_app_role(rng, v, ["User"]) for v in spec.app_roles]
    passwords = []
    if spec.secret_age_days is not None:
        passwords.append(
            password_credential(rng, "prod-secret", spec.secret_age_days, spec.secret_life_days)
        )
    keys = []
    if spec.certificate_life_days:
        keys.append(key_credential(rng, f"{spec.key}.{DOMAIN}", 250, spec.certificate_life_days))
    web = spec.kind == "web"
    slug = spec.key.replace("_", "")
    application = {
        "id": guid(rng),
        "deletedDateTime": None,
        "appId": app_id,
        "createdDateTime": iso(days_before(created)),
        "displayName": spec.name,
        "description": None,
        "identifierUris": [f"api://{app_id}"] if web else [],
        "isFallbackPublicClient": spec.kind == "public",
        "publisherDomain": DOMAIN,
        "signInAudience": "AzureADMyOrg",
        "appRoles": app_roles,
        "keyCredentials": keys,
        "passwordCredentials": passwords,
        "requiredResourceAccess": [
            {
                "resourceAppId": "00000003-0000-0000-c000-000000000000",
                "resourceAccess": [
                    {"id": GRAPH_APP_ROLES[r], "type": "Role"} for r in spec.graph_roles
                ]
                + [{"id": GRAPH_SCOPES["User.Read"], "type": "Scope"}],
            }
        ],
        "web": {
            "homePageUrl": f"https://{slug}.{DOMAIN}" if web else None,
            "redirectUris": [f"https://{slug}.{DOMAIN}/signin-oidc"] if web else [],
            "logoutUrl": None,
        },
        "publicClient": {
            "redirectUris": ["msauth.com.contoso.fieldservice://auth"]
            if spec.kind == "public"
            else []
        },
        "owners": [user_ref(owner)] if owner else [],
    }
    sp = _service_principal(
        rng,
        app_id,
        spec.name,
        tenant.tenant_id,
        publisher="Contoso",
        audience="AzureADMyOrg",
        homepage=application["web"]["homePageUrl"],
        reply_urls=application["web"]["redirectUris"],
        tags=["WindowsAzureActiveDirectoryIntegratedApp"],
        app_roles=app_roles,
        assignment_required=bool(app_roles),
        owners=[user_ref(owner)] if owner else [],
    )
    tenant.applications.append(application)
    tenant.service_principals.append(sp)
    tenant.apps[spec.key] = sp
    tenant.app_objects[spec.key] = application
    graph = tenant.apps["graph"]
    for perm in spec.graph_roles:
        add_app_role_assignment(
            rng, tenant, sp, graph, GRAPH_APP_ROLES[perm], days_before(created - 2)
        )


def add_app_role_assignment(
    rng: random.Random, tenant: Tenant, principal: dict, resource: dict, role_id: str, when
) -> dict:
    """Grant an app role of `resource` to a service principal, user or group."""
    if "appId" in principal:
        kind, name = "ServicePrincipal", principal["displayName"]
    elif "userPrincipalName" in principal:
        kind, name = "User", principal["displayName"]
    else:
        kind, name = "Group", principal["displayName"]
    assignment = {
        "id": app_role_assignment_id(rng, principal["id"]),
        "deletedDateTime": None,
        "appRoleId": role_id,
        "createdDateTime": iso(when),
        "principalDisplayName": name,
        "principalId": principal["id"],
        "principalType": kind,
        "resourceDisplayName": resource["displayName"],
        "resourceId": resource["id"],
    }
    tenant.app_role_assignments.append(assignment)
    return assignment


def _grants(rng: random.Random, tenant: Tenant) -> None:
    graph = tenant.apps["graph"]
    finance = tenant.apps["finance_portal"]
    roles = {r["value"]: r["id"] for r in finance["appRoles"]}
    add_app_role_assignment(
        rng,
        tenant,
        tenant.groups_by_key["finance_all"],
        finance,
        roles["Finance.Reader"],
        days_before(400),
    )
    add_app_role_assignment(
        rng,
        tenant,
        tenant.personas["finance_manager"],
        finance,
        roles["Finance.Approver"],
        days_before(390),
    )
    hr = tenant.apps["hr_portal"]
    hr_roles = {r["value"]: r["id"] for r in hr["appRoles"]}
    add_app_role_assignment(
        rng,
        tenant,
        tenant.groups_by_key["all_staff"],
        hr,
        hr_roles["HR.Employee"],
        days_before(600),
    )
    add_app_role_assignment(
        rng,
        tenant,
        tenant.groups_by_key["dynamic_human_resources"],
        hr,
        hr_roles["HR.Manager"],
        days_before(600),
    )
    for key, scope in (
        ("expenses", "User.Read openid profile offline_access"),
        ("intranet", "User.Read"),
        ("field_service", "User.Read offline_access"),
    ):
        client = tenant.apps[key]
        tenant.oauth2_permission_grants.append(
            {
                "id": grant_id(client["id"], graph["id"]),
                "clientId": client["id"],
                "consentType": "AllPrincipals",
                "principalId": None,
                "resourceId": graph["id"],
                "scope": scope,
            }
        )
    fabrikam = tenant.apps["fabrikam_signer"]
    for user in (tenant.personas["bob"], tenant.personas["alice_other"]):
        tenant.oauth2_permission_grants.append(
            {
                "id": grant_id(fabrikam["id"], graph["id"], user["id"]),
                "clientId": fabrikam["id"],
                "consentType": "Principal",
                "principalId": user["id"],
                "resourceId": graph["id"],
                "scope": "User.Read Mail.Read offline_access",
            }
        )
