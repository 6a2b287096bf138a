"""Which record model each snapshot collection holds."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from idpilot.model.applications import (
    Application,
    AppRoleAssignment,
    OAuth2PermissionGrant,
    ServicePrincipal,
)
from idpilot.model.audits import DirectoryAudit
from idpilot.model.base import GraphRecord
from idpilot.model.collections import Collection
from idpilot.model.directory import AdministrativeUnit, Domain, Group, Organization, User
from idpilot.model.governance import UserRegistrationDetails, Workflow
from idpilot.model.licensing import SubscribedSku
from idpilot.model.policies import ConditionalAccessPolicy, NamedLocation
from idpilot.model.privileged_access import (
    UnifiedRoleAssignmentScheduleInstance,
    UnifiedRoleEligibilityScheduleInstance,
    UnifiedRoleManagementPolicy,
    UnifiedRoleManagementPolicyAssignment,
)
from idpilot.model.risk import (
    RiskDetection,
    RiskyServicePrincipal,
    RiskyUser,
    ServicePrincipalRiskDetection,
)
from idpilot.model.roles import (
    UnifiedRoleAssignment,
    UnifiedRoleDefinition,
    UnifiedRoleEligibilitySchedule,
)
from idpilot.model.sign_ins import SignIn
from idpilot.model.tenant_policies import (
    AdminConsentRequestPolicy,
    AuthenticationMethodsPolicy,
    AuthenticationStrengthPolicy,
    AuthorizationPolicy,
    CrossTenantAccessPolicyConfigurationDefault,
    CrossTenantAccessPolicyConfigurationPartner,
    GroupSetting,
    IdentitySecurityDefaultsEnforcementPolicy,
    PermissionGrantPolicy,
    TenantAppManagementPolicy,
)
from idpilot.model.workflow_history import (
    TaskProcessingResult,
    TaskReport,
    UserProcessingResult,
    WorkflowRun,
    WorkflowVersion,
)

_MODELS: dict[Collection, type[GraphRecord]] = {
    Collection.users: User,
    Collection.groups: Group,
    Collection.service_principals: ServicePrincipal,
    Collection.applications: Application,
    Collection.app_role_assignments: AppRoleAssignment,
    Collection.oauth2_permission_grants: OAuth2PermissionGrant,
    Collection.role_definitions: UnifiedRoleDefinition,
    Collection.role_assignments: UnifiedRoleAssignment,
    Collection.role_eligibility_schedules: UnifiedRoleEligibilitySchedule,
    Collection.sign_ins: SignIn,
    Collection.directory_audits: DirectoryAudit,
    Collection.risky_users: RiskyUser,
    Collection.risk_detections: RiskDetection,
    Collection.risky_service_principals: RiskyServicePrincipal,
    Collection.service_principal_risk_detections: ServicePrincipalRiskDetection,
    Collection.conditional_access_policies: ConditionalAccessPolicy,
    Collection.named_locations: NamedLocation,
    Collection.user_registration_details: UserRegistrationDetails,
    Collection.lifecycle_workflows: Workflow,
    Collection.organization: Organization,
    Collection.domains: Domain,
    Collection.authorization_policy: AuthorizationPolicy,
    Collection.authentication_methods_policy: AuthenticationMethodsPolicy,
    Collection.security_defaults_policy: IdentitySecurityDefaultsEnforcementPolicy,
    Collection.admin_consent_request_policy: AdminConsentRequestPolicy,
    Collection.permission_grant_policies: PermissionGrantPolicy,
    Collection.group_settings: GroupSetting,
    Collection.cross_tenant_access_default: CrossTenantAccessPolicyConfigurationDefault,
    Collection.cross_tenant_access_partners: CrossTenantAccessPolicyConfigurationPartner,
    Collection.role_management_policies: UnifiedRoleManagementPolicy,
    Collection.role_management_policy_assignments: UnifiedRoleManagementPolicyAssignment,
    Collection.authentication_strength_policies: AuthenticationStrengthPolicy,
    Collection.default_app_management_policy: TenantAppManagementPolicy,
    Collection.subscribed_skus: SubscribedSku,
    Collection.role_assignment_schedule_instances: UnifiedRoleAssignmentScheduleInstance,
    Collection.role_eligibility_schedule_instances: UnifiedRoleEligibilityScheduleInstance,
    Collection.administrative_units: AdministrativeUnit,
    Collection.workflow_versions: WorkflowVersion,
    Collection.workflow_runs: WorkflowRun,
    Collection.workflow_user_results: UserProcessingResult,
    Collection.workflow_task_results: TaskProcessingResult,
    Collection.workflow_task_reports: TaskReport,
}


def record_model(collection: Collection | str) -> type[GraphRecord]:
    """The model of one record of `collection`."""
    return _MODELS[Collection(collection)]


def parse_record(collection: Collection | str, data: Mapping[str, Any]) -> GraphRecord:
    """Validate one Graph object of `collection` into its model (unknown properties kept)."""
    return record_model(collection).model_validate(dict(data))
