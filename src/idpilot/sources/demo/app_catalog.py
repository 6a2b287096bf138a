"""The demo tenant's app catalogue: Graph permission ids, first-party apps, Contoso's apps."""

from __future__ import annotations

from dataclasses import dataclass

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
