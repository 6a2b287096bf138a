"""The Graph collections a snapshot holds: file name, Graph resource kind and event time."""

from __future__ import annotations

from enum import StrEnum


class Collection(StrEnum):
    """A Microsoft Graph collection, named as DESIGN.md's snapshot folder names its file."""

    users = "users"
    groups = "groups"
    service_principals = "servicePrincipals"
    applications = "applications"
    app_role_assignments = "appRoleAssignments"
    oauth2_permission_grants = "oauth2PermissionGrants"
    role_definitions = "roleDefinitions"
    role_assignments = "roleAssignments"
    role_eligibility_schedules = "roleEligibilitySchedules"
    sign_ins = "signIns"
    directory_audits = "directoryAudits"
    risky_users = "riskyUsers"
    risk_detections = "riskDetections"
    risky_service_principals = "riskyServicePrincipals"
    service_principal_risk_detections = "servicePrincipalRiskDetections"
    conditional_access_policies = "conditionalAccessPolicies"
    named_locations = "namedLocations"
    user_registration_details = "userRegistrationDetails"
    lifecycle_workflows = "lifecycleWorkflows"
    organization = "organization"
    domains = "domains"
    authorization_policy = "authorizationPolicy"
    authentication_methods_policy = "authenticationMethodsPolicy"
    security_defaults_policy = "identitySecurityDefaultsEnforcementPolicy"
    admin_consent_request_policy = "adminConsentRequestPolicy"
    permission_grant_policies = "permissionGrantPolicies"
    group_settings = "groupSettings"
    cross_tenant_access_default = "crossTenantAccessPolicyDefault"
    cross_tenant_access_partners = "crossTenantAccessPolicyPartners"
    role_management_policies = "roleManagementPolicies"
    role_management_policy_assignments = "roleManagementPolicyAssignments"
    authentication_strength_policies = "authenticationStrengthPolicies"
    default_app_management_policy = "defaultAppManagementPolicy"
    subscribed_skus = "subscribedSkus"
    role_assignment_schedule_instances = "roleAssignmentScheduleInstances"
    role_eligibility_schedule_instances = "roleEligibilityScheduleInstances"
    administrative_units = "administrativeUnits"
    workflow_versions = "lifecycleWorkflowVersions"
    workflow_runs = "lifecycleWorkflowRuns"
    workflow_user_results = "lifecycleWorkflowUserProcessingResults"
    workflow_task_results = "lifecycleWorkflowTaskProcessingResults"
    workflow_task_reports = "lifecycleWorkflowTaskReports"

    @property
    def kind(self) -> str:
        """The Graph resource name of one record, as Answer citations name it."""
        return _KINDS[self]

    @property
    def event_time_field(self) -> str | None:
        """The property that dates an event collection, or None for directory objects."""
        return _EVENT_TIME.get(self)

    @property
    def is_versioned(self) -> bool:
        """True for directory objects and settings, whose states the store keeps per version
        (events are never rewritten, so they have no history)."""
        return self not in _EVENT_TIME

    @property
    def is_singleton(self) -> bool:
        """True for a tenant-wide setting Graph returns as one object (a singleton GET)."""
        return self in SINGLETONS

    @classmethod
    def from_file_stem(cls, stem: str) -> Collection | None:
        """The collection a snapshot file belongs to (`users.json`, `users.2.jsonl.gz`)."""
        base = stem.split(".", 1)[0]
        for collection in cls:
            if collection.value.lower() == base.lower():
                return collection
        return None


_KINDS: dict[Collection, str] = {
    Collection.users: "user",
    Collection.groups: "group",
    Collection.service_principals: "servicePrincipal",
    Collection.applications: "application",
    Collection.app_role_assignments: "appRoleAssignment",
    Collection.oauth2_permission_grants: "oAuth2PermissionGrant",
    Collection.role_definitions: "unifiedRoleDefinition",
    Collection.role_assignments: "unifiedRoleAssignment",
    Collection.role_eligibility_schedules: "unifiedRoleEligibilitySchedule",
    Collection.sign_ins: "signIn",
    Collection.directory_audits: "directoryAudit",
    Collection.risky_users: "riskyUser",
    Collection.risk_detections: "riskDetection",
    Collection.risky_service_principals: "riskyServicePrincipal",
    Collection.service_principal_risk_detections: "servicePrincipalRiskDetection",
    Collection.conditional_access_policies: "conditionalAccessPolicy",
    Collection.named_locations: "namedLocation",
    Collection.user_registration_details: "userRegistrationDetails",
    Collection.lifecycle_workflows: "workflow",
    Collection.organization: "organization",
    Collection.domains: "domain",
    Collection.authorization_policy: "authorizationPolicy",
    Collection.authentication_methods_policy: "authenticationMethodsPolicy",
    Collection.security_defaults_policy: "identitySecurityDefaultsEnforcementPolicy",
    Collection.admin_consent_request_policy: "adminConsentRequestPolicy",
    Collection.permission_grant_policies: "permissionGrantPolicy",
    Collection.group_settings: "groupSetting",
    Collection.cross_tenant_access_default: "crossTenantAccessPolicyConfigurationDefault",
    Collection.cross_tenant_access_partners: "crossTenantAccessPolicyConfigurationPartner",
    Collection.role_management_policies: "unifiedRoleManagementPolicy",
    Collection.role_management_policy_assignments: "unifiedRoleManagementPolicyAssignment",
    Collection.authentication_strength_policies: "authenticationStrengthPolicy",
    Collection.default_app_management_policy: "tenantAppManagementPolicy",
    Collection.subscribed_skus: "subscribedSku",
    Collection.role_assignment_schedule_instances: "unifiedRoleAssignmentScheduleInstance",
    Collection.role_eligibility_schedule_instances: "unifiedRoleEligibilityScheduleInstance",
    Collection.administrative_units: "administrativeUnit",
    Collection.workflow_versions: "workflowVersion",
    Collection.workflow_runs: "run",
    Collection.workflow_user_results: "userProcessingResult",
    Collection.workflow_task_results: "taskProcessingResult",
    Collection.workflow_task_reports: "taskReport",
}

SINGLETONS = frozenset(
    {
        Collection.authorization_policy,
        Collection.authentication_methods_policy,
        Collection.security_defaults_policy,
        Collection.admin_consent_request_policy,
        Collection.cross_tenant_access_default,
        Collection.default_app_management_policy,
    }
)
"""Settings a GET returns as one object; a record without `id` is keyed by the file's name."""

_EVENT_TIME: dict[Collection, str] = {
    Collection.sign_ins: "createdDateTime",
    Collection.directory_audits: "activityDateTime",
    Collection.risk_detections: "detectedDateTime",
    Collection.service_principal_risk_detections: "detectedDateTime",
}
