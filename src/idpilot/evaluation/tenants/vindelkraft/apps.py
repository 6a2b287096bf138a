"""Applications at Vindelkraft: Microsoft's first-party service principals and its own apps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from idpilot.evaluation.tenants.vindelkraft._core import (
    CAPTURED,
    MICROSOFT_TENANT_ID,
    TENANT_ID,
    Record,
    Tenant,
    at,
    iso,
)
from idpilot.evaluation.tenants.vindelkraft.people import expanded

GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000"
# Microsoft Graph application permissions (appRole ids as Microsoft publishes them).
GRAPH_ROLES = {
    "Directory.ReadWrite.All": "19dbc75e-c2e2-444c-a770-ec69d8559fc7",
    "User.ReadWrite.All": "741f803b-c850-494e-b5df-cde7c675a1ca",
    "User.Read.All": "df021288-bdef-4463-88db-98f22de89214",
    "Sites.Read.All": "332a536c-c7ef-4017-ab91-336970924f0d",
    "Files.ReadWrite.All": "75359482-378d-4052-8f01-80520e7db3cd",
    "Mail.Read": "810c84a8-4a9e-49e6-bf7d-12d183f40d01",
    "Application.ReadWrite.All": "1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9",
}
FIRST_PARTY = {
    "graph": ("Microsoft Graph", GRAPH_APP_ID),
    "exchange": ("Office 365 Exchange Online", "00000002-0000-0ff1-ce00-000000000000"),
    "sharepoint": ("Office 365 SharePoint Online", "00000003-0000-0ff1-ce00-000000000000"),
    "teams": ("Microsoft Teams", "1fec8e78-bce4-4aaf-ab1b-5451cc387264"),
    "portal": ("Azure Portal", "c44b4083-3bb0-49c1-b47d-974e53cbdf3c"),
    "officehome": ("OfficeHome", "4765445b-32c6-49b0-83e6-1d93765276ca"),
    "aad": ("Windows Azure Active Directory", "00000002-0000-0000-c000-000000000000"),
    "arm": ("Windows Azure Service Management API", "797f4846-ba00-4fd7-ba43-dac1f8f63013"),
    "teams_services": ("Microsoft Teams Services", "cc15fd57-2c6c-4117-a88c-83b1d56b4bbe"),
}
PROCURA_TENANT_ID = "0d4b8e27-91c3-4f6a-b5e2-7a19c3d8e640"


@dataclass
class App:
    """One app as the sign-ins and policies see it."""

    key: str
    display_name: str
    app_id: str
    service_principal: Record
    application: Record | None = None


def _service_principal(tenant: Tenant, name: str, app_id: str, owner_org: str) -> Record:
    return tenant.add(
        "servicePrincipals",
        {
            "id": tenant.new_id(),
            "appId": app_id,
            "displayName": name,
            "appDisplayName": name,
            "servicePrincipalType": "Application",
            "appOwnerOrganizationId": owner_org,
            "accountEnabled": True,
            "appRoleAssignmentRequired": False,
            "publisherName": "Microsoft Services" if owner_org == MICROSOFT_TENANT_ID else None,
            "signInAudience": "AzureADMultipleOrgs" if owner_org != TENANT_ID else "AzureADMyOrg",
            "servicePrincipalNames": [app_id],
            "tags": ["WindowsAzureActiveDirectoryIntegratedApp"],
            "appRoles": [],
            "passwordCredentials": [],
            "keyCredentials": [],
        },
    )


def _secret(tenant: Tenant, name: str, start_days_ago: int, months: int) -> Record:
    start = CAPTURED - timedelta(days=start_days_ago)
    return {
        "customKeyIdentifier": None,
        "displayName": name,
        "endDateTime": iso(start + timedelta(days=30 * months)),
        "hint": tenant.new_id()[:3],
        "keyId": tenant.new_id(),
        "secretText": None,
        "startDateTime": iso(start),
    }


def build_apps(tenant: Tenant) -> dict[str, App]:
    """First-party service principals, own registrations, permissions and consents."""
    apps: dict[str, App] = {}
    for key, (name, app_id) in FIRST_PARTY.items():
        apps[key] = App(
            key, name, app_id, _service_principal(tenant, name, app_id, MICROSOFT_TENANT_ID)
        )
    graph = apps["graph"].service_principal
    graph["appRoles"] = [
        {
            "allowedMemberTypes": ["Application"],
            "description": f"Allows the app to {name}",
            "displayName": name,
            "id": role,
            "isEnabled": True,
            "origin": "Application",
            "value": name,
        }
        for name, role in GRAPH_ROLES.items()
    ]
    own = (
        ("kvitto", "Kvitto Expenses", "linnea", [("prod", 200, 24)]),
        ("lonn", "Lønn Payroll", "kathe", [("payroll-sso", 300, 24)]),
        ("scada", "Windpark SCADA Viewer", "ingrid", []),
        ("hydra", "Hydra Field Service", "oystein", []),
        ("procura_portal", "Procura Supplier Portal", "jorg", []),
        ("bladescan", "BladeScan Analytics", "gunter", [("ci-2025", 380, 24)]),
        ("hrconnector", "Vindelkraft HR Connector", "kathe", [("sync", 700, 23)]),
        ("telemetry", "Turbine Telemetry Ingest", None, [("ingest", 900, 36)]),
    )
    for key, name, owner, secrets in own:
        app_id = tenant.new_id()
        application = tenant.add(
            "applications",
            {
                "id": tenant.new_id(),
                "appId": app_id,
                "displayName": name,
                "signInAudience": "AzureADMyOrg",
                "publisherDomain": "vindelkraft.eu",
                "createdDateTime": iso(CAPTURED - timedelta(days=tenant.rng.randrange(400, 1500))),
                "identifierUris": [f"api://{app_id}"],
                "tags": [],
                "appRoles": [],
                "passwordCredentials": [_secret(tenant, s, d, m) for s, d, m in secrets],
                "keyCredentials": [],
                "requiredResourceAccess": [],
                "owners": [expanded(tenant.user(owner))] if owner else [],
            },
        )
        sp = _service_principal(tenant, name, app_id, TENANT_ID)
        sp["owners"] = list(application["owners"])
        apps[key] = App(key, name, app_id, sp, application)
    procura_app = tenant.new_id()
    apps["procura_sync"] = App(
        "procura_sync",
        "Procura Supplier Sync",
        procura_app,
        _service_principal(tenant, "Procura Supplier Sync", procura_app, PROCURA_TENANT_ID),
    )
    _permissions(tenant, apps)
    return apps


def _grant_app_role(
    tenant: Tenant, client: App, graph: Record, permission: str, day: int
) -> Record:
    application = client.application
    if application is not None:
        application["requiredResourceAccess"].append(
            {
                "resourceAppId": GRAPH_APP_ID,
                "resourceAccess": [{"id": GRAPH_ROLES[permission], "type": "Role"}],
            }
        )
    return tenant.add(
        "appRoleAssignments",
        {
            "id": tenant.new_id(),
            "appRoleId": GRAPH_ROLES[permission],
            "createdDateTime": iso(at(day, 10, 5) if day > 0 else CAPTURED - timedelta(days=500)),
            "deletedDateTime": None,
            "principalDisplayName": client.display_name,
            "principalId": client.service_principal["id"],
            "principalType": "ServicePrincipal",
            "resourceDisplayName": "Microsoft Graph",
            "resourceId": graph["id"],
        },
    )


def _permissions(tenant: Tenant, apps: dict[str, App]) -> None:
    graph = apps["graph"].service_principal
    tenant.planted.update(
        {
            "bladescan_files": _grant_app_role(
                tenant, apps["bladescan"], graph, "Files.ReadWrite.All", 16
            ),
            "bladescan_sites": _grant_app_role(
                tenant, apps["bladescan"], graph, "Sites.Read.All", 0
            ),
            "hr_users": _grant_app_role(
                tenant, apps["hrconnector"], graph, "User.ReadWrite.All", 0
            ),
            "procura_mail": _grant_app_role(tenant, apps["procura_sync"], graph, "Mail.Read", 0),
            "telemetry_dir": _grant_app_role(
                tenant, apps["telemetry"], graph, "Directory.ReadWrite.All", 0
            ),
        }
    )
    for key, scope in (("kvitto", "openid profile User.Read"), ("lonn", "openid User.Read")):
        tenant.add(
            "oauth2PermissionGrants",
            {
                "id": tenant.new_id(),
                "clientId": apps[key].service_principal["id"],
                "consentType": "AllPrincipals",
                "principalId": None,
                "resourceId": graph["id"],
                "scope": scope,
            },
        )
    tenant.add(
        "oauth2PermissionGrants",
        {
            "id": tenant.new_id(),
            "clientId": apps["hydra"].service_principal["id"],
            "consentType": "Principal",
            "principalId": tenant.user("oystein")["id"],
            "resourceId": graph["id"],
            "scope": "Calendars.ReadWrite User.Read offline_access",
        },
    )
