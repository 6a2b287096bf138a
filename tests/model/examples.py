"""Graph-shaped examples for the model tests: published references and hand-written records."""

from __future__ import annotations

import json
from typing import Any

from idpilot.model import Collection
from tests.helpers import GRAPH_EXAMPLES

# Published example (by the resource its file is named after) -> the collection it belongs to.
EXAMPLE_COLLECTIONS = {
    "application": Collection.applications,
    "conditionalAccessPolicy": Collection.conditional_access_policies,
    "directoryAudit": Collection.directory_audits,
    "group": Collection.groups,
    "ipNamedLocation": Collection.named_locations,
    "namedLocation": Collection.named_locations,
    "riskDetection": Collection.risk_detections,
    "riskyServicePrincipal": Collection.risky_service_principals,
    "riskyUser": Collection.risky_users,
    "servicePrincipal": Collection.service_principals,
    "signIn": Collection.sign_ins,
    "unifiedRoleAssignment": Collection.role_assignments,
    "user": Collection.users,
    "userRegistrationDetails": Collection.user_registration_details,
    "workflow": Collection.lifecycle_workflows,
    "workflowVersion": Collection.workflow_versions,
    "run": Collection.workflow_runs,
    "userProcessingResult": Collection.workflow_user_results,
    "taskProcessingResult": Collection.workflow_task_results,
    "taskReport": Collection.workflow_task_reports,
    "adminConsentRequestPolicy": Collection.admin_consent_request_policy,
    "administrativeUnit": Collection.administrative_units,
    "authenticationMethodsPolicy": Collection.authentication_methods_policy,
    "authenticationStrengthPolicy": Collection.authentication_strength_policies,
    "authorizationPolicy": Collection.authorization_policy,
    "crossTenantAccessPolicyConfigurationDefault": Collection.cross_tenant_access_default,
    "crossTenantAccessPolicyConfigurationPartner": Collection.cross_tenant_access_partners,
    "domain": Collection.domains,
    "groupSetting": Collection.group_settings,
    "identitySecurityDefaultsEnforcementPolicy": Collection.security_defaults_policy,
    "permissionGrantPolicy": Collection.permission_grant_policies,
    "subscribedSku": Collection.subscribed_skus,
    "tenantAppManagementPolicy": Collection.default_app_management_policy,
    "unifiedRoleAssignmentScheduleInstance": Collection.role_assignment_schedule_instances,
    "unifiedRoleEligibilityScheduleInstance": Collection.role_eligibility_schedule_instances,
    "unifiedRoleManagementPolicy": Collection.role_management_policies,
    "unifiedRoleManagementPolicyAssignment": Collection.role_management_policy_assignments,
}
# Not valid JSON as published (trailing commas); ingest refuses them, so the models never see them.
INVALID_AS_PUBLISHED = {
    "signIn.list.json",
    "unifiedRoleAssignment.list.expandPrincipal.json",
    "crossTenantAccessPolicyConfigurationDefault.get.json",
}


def reference_examples() -> list[tuple[str, Collection, dict[str, Any]]]:
    """(file name, collection, object) for every published object of one of our collections."""
    found = []
    for path in sorted(GRAPH_EXAMPLES.glob("*.json")):
        collection = EXAMPLE_COLLECTIONS.get(path.name.split(".")[0])
        if collection is None or path.name in INVALID_AS_PUBLISHED:
            continue
        document = json.loads(path.read_text())
        for item in document.get("value", [document]):
            found.append((path.name, collection, item))
    return found


def examples_in(file_name: str) -> list[dict[str, Any]]:
    """Every published object of the example file `file_name` (as `reference_examples` reads
    it)."""
    return [item for file, _, item in reference_examples() if file == file_name]


def first_example(file_name: str) -> dict[str, Any]:
    """The first published object of the example file `file_name`."""
    return examples_in(file_name)[0]


# Collections with no published example in the reference set, written in Graph's documented shape.
HAND_WRITTEN: dict[Collection, dict[str, Any]] = {
    Collection.app_role_assignments: {
        "id": "41W1zT6z1U-kJxf62svfp1HFE8pMZhxDun-ThPczmJE",
        "deletedDateTime": None,
        "appRoleId": "ef7437e6-4f94-4a0a-a110-a439eb2aa8f7",
        "createdDateTime": "2021-02-15T16:39:38.2975029Z",
        "principalDisplayName": "Megan Bowen",
        "principalId": "cde330e5-2150-4c11-9c5b-14bfdc948c79",
        "principalType": "User",
        "resourceDisplayName": "dxprovisioning-graphapi-client",
        "resourceId": "8e881353-1735-45af-af21-ee1344582a4d",
    },
    Collection.oauth2_permission_grants: {
        "clientId": "ef969797-201d-4f6b-960c-e9ed5f31dab5",
        "consentType": "AllPrincipals",
        "id": "l5eW7x0ga0-WDOntXzHateQDNpSH5-lPk9HjD3Sarjk",
        "principalId": None,
        "resourceId": "943603e4-e787-4fe9-93d1-e30f749aae39",
        "scope": "User.Read Group.ReadWrite.All",
    },
    Collection.role_definitions: {
        "id": "62e90394-69f5-4237-9190-012177145e10",
        "description": "Can manage all aspects of Microsoft Entra ID.",
        "displayName": "Global Administrator",
        "isBuiltIn": True,
        "isEnabled": True,
        "resourceScopes": ["/"],
        "templateId": "62e90394-69f5-4237-9190-012177145e10",
        "version": "1",
        "rolePermissions": [
            {
                "allowedResourceActions": ["microsoft.directory/users/allProperties/allTasks"],
                "condition": None,
            }
        ],
    },
    Collection.role_eligibility_schedules: {
        "id": "b7c4b4f5-6d5c-4c84-8fcf-0b8e7c3d0c0a",
        "principalId": "3fbd929d-8c56-4462-851e-0eb9a7b3a2a5",
        "roleDefinitionId": "fdd7a751-b60b-444a-984c-02652fe8fa1c",
        "directoryScopeId": "/",
        "appScopeId": None,
        "createdUsing": "b7c4b4f5-6d5c-4c84-8fcf-0b8e7c3d0c0a",
        "createdDateTime": "2022-04-12T14:44:50.287Z",
        "modifiedDateTime": None,
        "status": "Provisioned",
        "memberType": "Direct",
        "scheduleInfo": {
            "startDateTime": "2022-04-12T14:44:50.287Z",
            "recurrence": None,
            "expiration": {"type": "noExpiration", "endDateTime": None, "duration": None},
        },
    },
    Collection.service_principal_risk_detections: {
        "id": "9b0a9c1c-8b7e-4e4a-9a6b-3e2f1d0c9b8a",
        "requestId": None,
        "correlationId": None,
        "riskEventType": "investigationsThreatIntelligence",
        "riskState": "atRisk",
        "riskLevel": "high",
        "riskDetail": "none",
        "source": "IdentityProtection",
        "detectionTimingType": "offline",
        "activity": "servicePrincipal",
        "tokenIssuerType": "AzureAD",
        "ipAddresses": ["192.0.2.10"],
        "location": None,
        "activityDateTime": "2022-04-01T21:05:21.1934947Z",
        "detectedDateTime": "2022-04-01T21:11:20.1386927Z",
        "lastUpdatedDateTime": "2022-04-01T21:12:22.1352462Z",
        "servicePrincipalId": "9089a539-a539-9089-39a5-899039a58990",
        "servicePrincipalDisplayName": "Contoso App",
        "appId": "b55552fe-a272-4b56-990b-95038d917878",
        "keyIds": ["6d8e8c0a-1d41-4bb2-a92b-0a7a2fb34b4d"],
        "additionalInfo": '[{"Key":"alertUrl","Value":null}]',
    },
    Collection.organization: {
        "id": "84841066-274d-4ec0-a5c1-276be684bdd3",
        "displayName": "Contoso",
        "createdDateTime": "2019-01-15T21:13:18Z",
        "countryLetterCode": "US",
        "tenantType": "AAD",
        "onPremisesSyncEnabled": None,
        "verifiedDomains": [
            {
                "capabilities": "Email, OfficeCommunicationsOnline",
                "isDefault": True,
                "isInitial": False,
                "name": "contoso.com",
                "type": "Managed",
            }
        ],
    },
    Collection.cross_tenant_access_default: {
        # The published example with its one trailing comma removed (as published it is not JSON).
        "isServiceDefault": True,
        "inboundTrust": {
            "isMfaAccepted": False,
            "isCompliantDeviceAccepted": False,
            "isHybridAzureADJoinedDeviceAccepted": False,
        },
        "b2bCollaborationOutbound": {
            "usersAndGroups": {
                "accessType": "allowed",
                "targets": [{"target": "AllUsers", "targetType": "user"}],
            },
            "applications": {
                "accessType": "allowed",
                "targets": [{"target": "AllApplications", "targetType": "application"}],
            },
        },
    },
    Collection.domains: {
        "id": "contoso.com",
        "authenticationType": "Managed",
        "availabilityStatus": None,
        "isAdminManaged": True,
        "isDefault": True,
        "isInitial": False,
        "isRoot": True,
        "isVerified": True,
        "passwordNotificationWindowInDays": 14,
        "passwordValidityPeriodInDays": 2147483647,
        "supportedServices": ["Email", "OfficeCommunicationsOnline"],
    },
}
