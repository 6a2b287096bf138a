"""A small Graph-shaped tenant for the administration skills, written as a snapshot folder."""

from __future__ import annotations

import json
from pathlib import Path

CAPTURED = "2024-06-30T12:00:00Z"
GA, SECADMIN, USERADMIN, PRA, READERS = (
    "62e90394-69f5-4237-9190-012177145e10",
    "194ae4cb-b126-40b2-bd5b-6091b380977d",
    "fe930be7-5e62-47db-91af-98c3a49a38b1",
    "e8611ab8-c189-46e8-94e1-60213ab1f814",
    "88d8e3e3-8f55-4a1e-953a-9b9898b8876b",
)
GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000"
DIR_RW_ALL = "19dbc75e-c2e2-444c-a770-ec69d8559fc7"
E3 = "05e9a617-0261-4cee-bb44-138d3ef5d965"

ID = {
    "alice_j": "a1111111-0000-4000-8000-000000000001",
    "alice_o": "a2222222-0000-4000-8000-000000000002",
    "bob": "b0b00000-0000-4000-8000-000000000003",
    "eve": "e0e00000-0000-4000-8000-000000000004",
    "mallory": "d0d00000-0000-4000-8000-000000000005",
    "guest": "c0c00000-0000-4000-8000-000000000006",
    "dan": "d1d10000-0000-4000-8000-000000000007",
    "sales": "90000000-0000-4000-8000-000000000011",
    "tier0": "90000000-0000-4000-8000-000000000012",
    "helpdesk": "90000000-0000-4000-8000-000000000013",
    "night": "90000000-0000-4000-8000-000000000014",
    "empty": "90000000-0000-4000-8000-000000000015",
    "graph_sp": "50000000-0000-4000-8000-000000000021",
    "payroll_sp": "50000000-0000-4000-8000-000000000022",
    "payroll_app": "60000000-0000-4000-8000-000000000022",
    "payroll_appid": "70000000-0000-4000-8000-000000000022",
    "ca_mfa": "ca000000-0000-4000-8000-000000000031",
    "ca_legacy": "ca000000-0000-4000-8000-000000000032",
}


def _user(key, name, upn, **extra):
    return {"id": ID[key], "displayName": name, "userPrincipalName": upn,
            "givenName": name.split()[0], "surname": name.split()[-1], "userType": "Member",
            "accountEnabled": True, "createdDateTime": "2023-01-10T09:00:00Z",
            "assignedLicenses": [], **extra}  # fmt: skip


def _ref(kind, key, name, upn=None):
    ref = {"@odata.type": f"#microsoft.graph.{kind}", "id": ID[key], "displayName": name}
    if upn:
        ref["userPrincipalName"] = upn
    return ref


def _prop(name, old, new):
    return {"displayName": name, "oldValue": old, "newValue": new}


def _audit(audit_id, when, activity, category, actor, targets, ip="203.0.113.7", **extra):
    initiated = {"user": None, "app": None}
    if actor.get("app"):
        initiated["app"] = actor["app"]
    else:
        initiated["user"] = {**actor, "ipAddress": ip}
    return {"id": audit_id, "category": category, "correlationId": audit_id + "-c",
            "result": "success", "resultReason": "", "activityDisplayName": activity,
            "activityDateTime": when, "loggedByService": "Core Directory",
            "operationType": "Add", "initiatedBy": initiated, "targetResources": targets,
            "additionalDetails": [], **extra}  # fmt: skip


MALLORY = {"id": ID["mallory"], "displayName": "Mallory Admin",
           "userPrincipalName": "mallory@contoso.example"}  # fmt: skip


def tenant() -> dict[str, list[dict]]:
    """Every collection of the fixture tenant."""
    users = [
        _user("alice_j", "Alice Johnson", "alice.johnson@contoso.example", department="Sales",
              assignedLicenses=[{"skuId": E3, "disabledPlans": []}],
              createdDateTime="2024-06-03T09:00:00Z",
              signInActivity={"lastSignInDateTime": "2024-06-28T08:00:00Z",
                              "lastNonInteractiveSignInDateTime": "0001-01-01T00:00:00Z"}),
        _user("alice_o", "Alice Other", "alice.other@contoso.example", department="Finance",
              signInActivity={"lastSignInDateTime": "2024-01-05T08:00:00Z"}),
        _user("bob", "Bob Stone", "bob@contoso.example", department="Sales",
              signInActivity={"lastSignInDateTime": "2024-06-29T08:00:00Z"}),
        _user("eve", "Eve Marsh", "eve@contoso.example", department="IT",
              signInActivity={"lastSignInDateTime": "2024-06-29T10:00:00Z"}),
        _user("mallory", "Mallory Admin", "mallory@contoso.example", department="IT",
              signInActivity={"lastSignInDateTime": "2024-06-29T11:00:00Z"}),
        _user("guest", "Gina Guest", "gina_fabrikam.example#EXT#@contoso.example",
              userType="Guest", createdDateTime="2024-06-15T09:00:00Z",
              externalUserState="PendingAcceptance"),
        _user("dan", "Dan Gone", "dan@contoso.example", department="Sales", accountEnabled=False,
              assignedLicenses=[{"skuId": E3, "disabledPlans": []}],
              signInActivity={"lastSignInDateTime": "2023-11-01T08:00:00Z"}),
    ]  # fmt: skip
    groups = [
        {"id": ID["sales"], "displayName": "Sales Team", "securityEnabled": True,
         "mailEnabled": False, "groupTypes": ["DynamicMembership"],
         "membershipRule": '(user.department -eq "Sales") -and (user.accountEnabled -eq true)',
         "membershipRuleProcessingState": "On", "isAssignableToRole": False,
         "members": [_ref("user", "alice_j", "Alice Johnson", "alice.johnson@contoso.example")],
         "owners": [_ref("user", "bob", "Bob Stone", "bob@contoso.example")]},
        {"id": ID["tier0"], "displayName": "Tier0 Admins", "securityEnabled": True,
         "mailEnabled": False, "groupTypes": [], "isAssignableToRole": True,
         "members": [_ref("group", "helpdesk", "Helpdesk Leads")],
         "owners": [_ref("user", "mallory", "Mallory Admin", "mallory@contoso.example")]},
        {"id": ID["helpdesk"], "displayName": "Helpdesk Leads", "securityEnabled": True,
         "mailEnabled": False, "groupTypes": [], "isAssignableToRole": False,
         "members": [_ref("group", "night", "Night Shift")], "owners": []},
        {"id": ID["night"], "displayName": "Night Shift", "securityEnabled": True,
         "mailEnabled": False, "groupTypes": [], "isAssignableToRole": False,
         "members": [_ref("user", "bob", "Bob Stone", "bob@contoso.example"),
                     _ref("user", "guest", "Gina Guest")],
         "owners": [_ref("user", "eve", "Eve Marsh", "eve@contoso.example")]},
        {"id": ID["empty"], "displayName": "Old Project", "securityEnabled": True,
         "mailEnabled": False, "groupTypes": [], "isAssignableToRole": False,
         "members": [], "owners": []},
    ]  # fmt: skip
    role_definitions = [
        {"id": t, "templateId": t, "displayName": n, "isBuiltIn": True, "isEnabled": True}
        for t, n in ((GA, "Global Administrator"), (SECADMIN, "Security Administrator"),
                     (USERADMIN, "User Administrator"), (PRA, "Privileged Role Administrator"),
                     (READERS, "Directory Readers"))
    ]  # fmt: skip
    role_assignments = [
        {"id": "ra-eve-ga", "principalId": ID["eve"], "roleDefinitionId": GA,
         "directoryScopeId": "/"},
        {"id": "ra-tier0-sec", "principalId": ID["tier0"], "roleDefinitionId": SECADMIN,
         "directoryScopeId": "/"},
        {"id": "ra-alice-ua", "principalId": ID["alice_o"], "roleDefinitionId": USERADMIN,
         "directoryScopeId": "/administrativeUnits/au-0001"},
    ]  # fmt: skip
    eligibilities = [
        {"id": "es-mallory-pra", "principalId": ID["mallory"], "roleDefinitionId": PRA,
         "directoryScopeId": "/", "memberType": "Direct", "status": "Provisioned",
         "scheduleInfo": {"startDateTime": "2024-01-01T00:00:00Z"}},
    ]  # fmt: skip
    service_principals = [
        {"id": ID["graph_sp"], "appId": GRAPH_APP_ID, "displayName": "Microsoft Graph",
         "servicePrincipalType": "Application",
         "appOwnerOrganizationId": "f8cdef31-a31e-4b4a-93e4-5f571e91255a",
         "appRoles": [{"id": DIR_RW_ALL, "value": "Directory.ReadWrite.All",
                       "displayName": "Read and write directory data",
                       "allowedMemberTypes": ["Application"], "isEnabled": True}]},
        {"id": ID["payroll_sp"], "appId": ID["payroll_appid"], "displayName": "Payroll Sync",
         "servicePrincipalType": "Application", "accountEnabled": True,
         "appRoles": [{"id": "a0000000-0000-4000-8000-0000000000a1", "value": "Payroll.Admin",
                       "displayName": "Payroll administrator",
                       "allowedMemberTypes": ["User"], "isEnabled": True}],
         "owners": [_ref("user", "eve", "Eve Marsh", "eve@contoso.example")],
         "passwordCredentials": [], "keyCredentials": [
             {"keyId": "k0000000-0000-4000-8000-000000000001", "displayName": "cert",
              "startDateTime": "2024-01-01T00:00:00Z", "endDateTime": "2027-01-01T00:00:00Z",
              "type": "AsymmetricX509Cert", "usage": "Verify"}]},
    ]  # fmt: skip
    applications = [
        {"id": ID["payroll_app"], "appId": ID["payroll_appid"], "displayName": "Payroll Sync",
         "signInAudience": "AzureADMyOrg", "createdDateTime": "2023-05-01T00:00:00Z",
         "owners": [_ref("user", "eve", "Eve Marsh", "eve@contoso.example")],
         "passwordCredentials": [
             {"keyId": "p0000000-0000-4000-8000-000000000001", "displayName": "old secret",
              "startDateTime": "2023-05-01T00:00:00Z", "endDateTime": "2024-05-01T00:00:00Z"},
             {"keyId": "p0000000-0000-4000-8000-000000000002", "displayName": "new secret",
              "startDateTime": "2024-06-25T00:00:00Z", "endDateTime": "2024-07-10T00:00:00Z"}],
         "keyCredentials": []},
    ]  # fmt: skip
    app_role_assignments = [
        {"id": "ara-payroll-graph", "principalId": ID["payroll_sp"],
         "principalType": "ServicePrincipal", "principalDisplayName": "Payroll Sync",
         "resourceId": ID["graph_sp"], "resourceDisplayName": "Microsoft Graph",
         "appRoleId": DIR_RW_ALL, "createdDateTime": "2024-06-25T10:00:00Z"},
        {"id": "ara-bob-payroll", "principalId": ID["bob"], "principalType": "User",
         "principalDisplayName": "Bob Stone", "resourceId": ID["payroll_sp"],
         "resourceDisplayName": "Payroll Sync",
         "appRoleId": "a0000000-0000-4000-8000-0000000000a1",
         "createdDateTime": "2024-02-01T10:00:00Z"},
    ]  # fmt: skip
    grants = [
        {"id": "grant-all", "clientId": ID["payroll_sp"], "consentType": "AllPrincipals",
         "principalId": None, "resourceId": ID["graph_sp"], "scope": "User.Read Mail.Read"},
        {"id": "grant-bob", "clientId": ID["payroll_sp"], "consentType": "Principal",
         "principalId": ID["bob"], "resourceId": ID["graph_sp"], "scope": "Calendars.Read"},
    ]  # fmt: skip
    sign_ins = [
        {"id": "si-1", "createdDateTime": "2024-06-28T08:00:00Z", "userId": ID["alice_j"],
         "userPrincipalName": "alice.johnson@contoso.example", "userDisplayName": "Alice Johnson",
         "appId": ID["payroll_appid"], "appDisplayName": "Payroll Sync",
         "ipAddress": "198.51.100.4", "status": {"errorCode": 0}, "isInteractive": True},
        {"id": "si-2", "createdDateTime": "2024-06-29T08:00:00Z", "userId": ID["bob"],
         "userPrincipalName": "bob@contoso.example", "userDisplayName": "Bob Stone",
         "appId": "00000002-0000-0ff1-ce00-000000000000", "appDisplayName": "Office 365 Exchange",
         "ipAddress": "198.51.100.5", "status": {"errorCode": 0}, "isInteractive": True},
    ]  # fmt: skip
    ga_props = [_prop("Role.ObjectID", None, f'"{GA}"'),
                _prop("Role.DisplayName", None, '"Global Administrator"'),
                _prop("Role.TemplateId", None, f'"{GA}"'),
                _prop("Role.WellKnownObjectName", None, '"CompanyAdministrator"')]  # fmt: skip
    audits = [
        _audit("aud-ga-eve", "2024-06-10T14:00:00Z", "Add member to role", "RoleManagement",
               MALLORY, [{"id": ID["eve"], "displayName": None, "type": "User",
                          "userPrincipalName": "eve@contoso.example",
                          "modifiedProperties": ga_props},
                         {"id": GA, "displayName": "Global Administrator", "type": "Role",
                          "modifiedProperties": []}]),
        _audit("aud-bob-dept", "2024-06-12T09:30:00Z", "Update user", "UserManagement",
               MALLORY, [{"id": ID["bob"], "displayName": None, "type": "User",
                          "userPrincipalName": "bob@contoso.example", "modifiedProperties": [
                              _prop("Department", '["Marketing"]', '["Sales"]'),
                              _prop("Included Updated Properties", '""', '"Department"')]}]),
        _audit("aud-bob-night", "2024-06-14T09:30:00Z", "Add member to group", "GroupManagement",
               MALLORY, [{"id": ID["bob"], "displayName": None, "type": "User",
                          "userPrincipalName": "bob@contoso.example", "modifiedProperties": [
                              _prop("Group.ObjectID", None, f'"{ID["night"]}"'),
                              _prop("Group.DisplayName", None, '"Night Shift"')]},
                         {"id": ID["night"], "displayName": "Night Shift", "type": "Group",
                          "modifiedProperties": []}]),
        _audit("aud-ca-update", "2024-06-20T16:00:00Z", "Update conditional access policy",
               "Policy", MALLORY, [{"id": ID["ca_mfa"], "displayName": "Require MFA for all",
                                    "type": "Policy", "modifiedProperties": [
                   _prop("ConditionalAccessPolicy", '{"state":"enabled"}',
                         '{"state":"enabledForReportingButNotEnforced"}')]}]),
        _audit("aud-ca-add", "2024-05-20T16:00:00Z", "Add conditional access policy", "Policy",
               {"id": ID["eve"], "displayName": "Eve Marsh",
                "userPrincipalName": "eve@contoso.example"},
               [{"id": ID["ca_legacy"], "displayName": "Block legacy authentication",
                 "type": "Policy", "modifiedProperties": []}], ip="198.51.100.9"),
        _audit("aud-consent", "2024-06-05T11:00:00Z", "Consent to application",
               "ApplicationManagement", {"id": ID["alice_j"], "displayName": "Alice Johnson",
                                         "userPrincipalName": "alice.johnson@contoso.example"},
               [{"id": ID["payroll_sp"], "displayName": "Payroll Sync",
                 "type": "ServicePrincipal", "modifiedProperties": [
                     _prop("ConsentContext.IsAdminConsent", None, '"True"'),
                     _prop("ConsentAction.Permissions", None,
                           '"[] => [[Id: grant-all, ClientId: x, PrincipalId: , '
                           'ResourceId: y, ConsentType: AllPrincipals, '
                           'Scope: User.Read Mail.Read]]"'
                           )]}], ip="198.51.100.4"),
        _audit("aud-sp-cred", "2024-06-25T10:00:00Z",
               "Update application – Certificates and secrets management ",
               "ApplicationManagement",
               {"app": {"appId": "ffff0000-0000-4000-8000-000000000099",
                        "displayName": "Automation Runner",
                        "servicePrincipalId": "ffff0000-0000-4000-8000-000000000098",
                        "servicePrincipalName": None}},
               [{"id": ID["payroll_app"], "displayName": "Payroll Sync", "type": "Application",
                 "modifiedProperties": [_prop("KeyDescription", "[]",
                                              '["[KeyIdentifier=p0000000, KeyType=Password]"]')]}]),
        _audit("aud-pra-elig", "2024-06-01T08:00:00Z", "Add eligible member to role",
               "RoleManagement", {"id": ID["eve"], "displayName": "Eve Marsh",
                                  "userPrincipalName": "eve@contoso.example"},
               [{"id": ID["mallory"], "displayName": "Mallory Admin", "type": "User",
                 "userPrincipalName": "mallory@contoso.example", "modifiedProperties": [
                     _prop("Role.DisplayName", None, '"Privileged Role Administrator"'),
                     _prop("Role.TemplateId", None, f'"{PRA}"')]}], ip="198.51.100.9"),
    ]  # fmt: skip
    policies = [
        {"id": ID["ca_mfa"], "displayName": "Require MFA for all", "state": "enabled",
         "conditions": {"users": {"includeUsers": ["All"]}}, "grantControls": None},
        {"id": ID["ca_legacy"], "displayName": "Block legacy authentication", "state": "enabled",
         "conditions": {"users": {"includeUsers": ["All"]}}, "grantControls": None},
    ]  # fmt: skip
    return {
        "users": users, "groups": groups, "roleDefinitions": role_definitions,
        "roleAssignments": role_assignments, "roleEligibilitySchedules": eligibilities,
        "servicePrincipals": service_principals, "applications": applications,
        "appRoleAssignments": app_role_assignments, "oauth2PermissionGrants": grants,
        "signIns": sign_ins, "directoryAudits": audits, "conditionalAccessPolicies": policies,
    }  # fmt: skip


def write_tenant(folder: Path, collections: dict[str, list[dict]] | None = None) -> Path:
    """Write the tenant (or `collections`) as a snapshot folder with a manifest."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, records in (collections or tenant()).items():
        (folder / f"{name}.json").write_text(json.dumps({"value": records}))
    (folder / "manifest.json").write_text(json.dumps({"capturedDateTime": CAPTURED}))
    return folder
