"""Applications and service principals: Microsoft first-party apps and Contoso's own."""

from __future__ import annotations

import random

from .app_catalog import (
    FABRIKAM_TENANT_ID,
    FIRST_PARTY,
    GRAPH_APP_ROLES,
    GRAPH_SCOPES,
    LOB_APPS,
    LobApp,
)
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
