"""Graph's string enums, as `StrEnum`s; fields use them through `Open[...]` (evolvable)."""

from __future__ import annotations

from enum import StrEnum


class RiskLevel(StrEnum):
    """Graph `riskLevel`."""

    low = "low"
    medium = "medium"
    high = "high"
    hidden = "hidden"
    none = "none"
    unknown_future_value = "unknownFutureValue"


class RiskState(StrEnum):
    """Graph `riskState`."""

    none = "none"
    confirmed_safe = "confirmedSafe"
    remediated = "remediated"
    dismissed = "dismissed"
    at_risk = "atRisk"
    confirmed_compromised = "confirmedCompromised"
    unknown_future_value = "unknownFutureValue"


class RiskDetail(StrEnum):
    """Graph `riskDetail`: why a risk state was last changed."""

    none = "none"
    admin_generated_temporary_password = "adminGeneratedTemporaryPassword"
    user_performed_secured_password_change = "userPerformedSecuredPasswordChange"
    user_performed_secured_password_reset = "userPerformedSecuredPasswordReset"
    admin_confirmed_sign_in_safe = "adminConfirmedSigninSafe"
    ai_confirmed_sign_in_safe = "aiConfirmedSigninSafe"
    user_passed_mfa_driven_by_risk_based_policy = "userPassedMFADrivenByRiskBasedPolicy"
    admin_dismissed_all_risk_for_user = "adminDismissedAllRiskForUser"
    admin_confirmed_sign_in_compromised = "adminConfirmedSigninCompromised"
    hidden = "hidden"
    admin_confirmed_user_compromised = "adminConfirmedUserCompromised"
    unknown_future_value = "unknownFutureValue"
    admin_confirmed_service_principal_compromised = "adminConfirmedServicePrincipalCompromised"
    admin_dismissed_all_risk_for_service_principal = "adminDismissedAllRiskForServicePrincipal"
    m365d_admin_dismissed_detection = "m365DAdminDismissedDetection"
    user_changed_password_on_premises = "userChangedPasswordOnPremises"
    admin_dismissed_risk_for_sign_in = "adminDismissedRiskForSignIn"
    admin_confirmed_account_safe = "adminConfirmedAccountSafe"


class RiskEventType(StrEnum):
    """Graph `riskEventType` of a user or workload-identity risk detection."""

    admin_confirmed_user_compromised = "adminConfirmedUserCompromised"
    anomalous_token = "anomalousToken"
    anomalous_user_activity = "anomalousUserActivity"
    anonymized_ip_address = "anonymizedIPAddress"
    attacker_in_the_middle = "attackerinTheMiddle"
    generic = "generic"
    impossible_travel = "impossibleTravel"
    investigations_threat_intelligence = "investigationsThreatIntelligence"
    leaked_credentials = "leakedCredentials"
    malicious_ip_address = "maliciousIPAddress"
    malware_infected_ip_address = "malwareInfectedIPAddress"
    mcas_suspicious_inbox_manipulation_rules = "mcasSuspiciousInboxManipulationRules"
    mfa_fraud = "mfaFraud"
    nation_state_ip = "nationStateIP"
    new_country = "newCountry"
    password_spray = "passwordSpray"
    risky_ip_address = "riskyIPAddress"
    suspicious_api_traffic = "suspiciousAPITraffic"
    suspicious_browser = "suspiciousBrowser"
    suspicious_inbox_forwarding = "suspiciousInboxForwarding"
    suspicious_ip_address = "suspiciousIPAddress"
    suspicious_sending_patterns = "suspiciousSendingPatterns"
    token_issuer_anomaly = "tokenIssuerAnomaly"
    unfamiliar_features = "unfamiliarFeatures"
    unlikely_travel = "unlikelyTravel"
    user_reported_suspicious_activity = "userReportedSuspiciousActivity"
    # Workload identities (servicePrincipalRiskDetection).
    suspicious_sign_ins = "suspiciousSignins"
    anomalous_service_principal_activity = "anomalousServicePrincipalActivity"
    malicious_application = "maliciousApplication"
    suspicious_application = "suspiciousApplication"


class DetectionTimingType(StrEnum):
    """Graph `riskDetectionTimingType`."""

    not_defined = "notDefined"
    realtime = "realtime"
    near_realtime = "nearRealtime"
    offline = "offline"
    unknown_future_value = "unknownFutureValue"


class RiskActivity(StrEnum):
    """Graph `activityType` of a risk detection."""

    sign_in = "signin"
    user = "user"
    unknown_future_value = "unknownFutureValue"
    service_principal = "servicePrincipal"


class TokenIssuerType(StrEnum):
    """Graph `tokenIssuerType`."""

    azure_ad = "AzureAD"
    ad_federation_services = "ADFederationServices"
    unknown_future_value = "UnknownFutureValue"
    azure_ad_backup_auth = "AzureADBackupAuth"
    ad_federation_services_mfa_adapter = "ADFederationServicesMFAAdapter"
    nps_extension = "NPSExtension"


class ConditionalAccessStatus(StrEnum):
    """Graph `conditionalAccessStatus` of a sign-in."""

    success = "success"
    failure = "failure"
    not_applied = "notApplied"
    unknown_future_value = "unknownFutureValue"


class AppliedConditionalAccessPolicyResult(StrEnum):
    """Graph `appliedConditionalAccessPolicyResult`."""

    success = "success"
    failure = "failure"
    not_applied = "notApplied"
    not_enabled = "notEnabled"
    unknown = "unknown"
    unknown_future_value = "unknownFutureValue"
    report_only_success = "reportOnlySuccess"
    report_only_failure = "reportOnlyFailure"
    report_only_not_applied = "reportOnlyNotApplied"
    report_only_interrupted = "reportOnlyInterrupted"


class ConditionalAccessPolicyState(StrEnum):
    """Graph `conditionalAccessPolicyState`."""

    enabled = "enabled"
    disabled = "disabled"
    report_only = "enabledForReportingButNotEnforced"


class UserType(StrEnum):
    """`user.userType` (capitalised, as the user resource writes it)."""

    member = "Member"
    guest = "Guest"


class SignInUserType(StrEnum):
    """Graph `signInUserType` (signIn, userRegistrationDetails)."""

    member = "member"
    guest = "guest"
    unknown_future_value = "unknownFutureValue"


class AuthenticationRequirement(StrEnum):
    """`signIn.authenticationRequirement`."""

    single_factor = "singleFactorAuthentication"
    multi_factor = "multiFactorAuthentication"


class OperationResult(StrEnum):
    """Graph `operationResult` of a directory audit."""

    success = "success"
    failure = "failure"
    timeout = "timeout"
    unknown_future_value = "unknownFutureValue"


class ServicePrincipalType(StrEnum):
    """`servicePrincipal.servicePrincipalType`."""

    application = "Application"
    managed_identity = "ManagedIdentity"
    legacy = "Legacy"
    social_idp = "SocialIdp"


class SignInAudience(StrEnum):
    """`application.signInAudience`."""

    my_org = "AzureADMyOrg"
    multiple_orgs = "AzureADMultipleOrgs"
    multiple_orgs_and_personal = "AzureADandPersonalMicrosoftAccount"
    personal = "PersonalMicrosoftAccount"


class ConsentType(StrEnum):
    """`oAuth2PermissionGrant.consentType`."""

    all_principals = "AllPrincipals"
    principal = "Principal"


class CountryLookupMethod(StrEnum):
    """Graph `countryLookupMethodType` of a country named location."""

    client_ip_address = "clientIpAddress"
    authenticator_app_gps = "authenticatorAppGps"
    unknown_future_value = "unknownFutureValue"


class WorkflowCategory(StrEnum):
    """Graph `lifecycleWorkflowCategory`."""

    joiner = "joiner"
    leaver = "leaver"
    unknown_future_value = "unknownFutureValue"
    mover = "mover"


class LifecycleWorkflowProcessingStatus(StrEnum):
    """Graph `lifecycleWorkflowProcessingStatus`: how a run, a user's or a task's processing
    ended (or that it has not)."""

    queued = "queued"
    in_progress = "inProgress"
    completed = "completed"
    completed_with_errors = "completedWithErrors"
    canceled = "canceled"
    failed = "failed"
    unknown_future_value = "unknownFutureValue"


class WorkflowExecutionType(StrEnum):
    """Graph `workflowExecutionType`: whether a run was scheduled or started on demand."""

    scheduled = "scheduled"
    on_demand = "onDemand"
    unknown_future_value = "unknownFutureValue"


class AllowInvitesFrom(StrEnum):
    """Graph `allowInvitesFrom` of the authorization policy: who may invite guests."""

    none = "none"
    admins_and_guest_inviters = "adminsAndGuestInviters"
    admins_guest_inviters_and_all_members = "adminsGuestInvitersAndAllMembers"
    everyone = "everyone"
    unknown_future_value = "unknownFutureValue"


class AuthenticationMethodState(StrEnum):
    """Graph `authenticationMethodState`: whether a method is enabled in the tenant."""

    enabled = "enabled"
    disabled = "disabled"


class AdvancedConfigState(StrEnum):
    """Graph `advancedConfigState` of an Authenticator feature setting."""

    default = "default"
    enabled = "enabled"
    disabled = "disabled"
    unknown_future_value = "unknownFutureValue"


class AuthenticationMethodsPolicyMigrationState(StrEnum):
    """Graph `authenticationMethodsPolicyMigrationState` (legacy MFA and SSPR policies)."""

    pre_migration = "preMigration"
    migration_in_progress = "migrationInProgress"
    migration_complete = "migrationComplete"
    unknown_future_value = "unknownFutureValue"


class RoleAssignmentType(StrEnum):
    """Graph `assignmentType` of an active role assignment instance."""

    assigned = "Assigned"
    activated = "Activated"
