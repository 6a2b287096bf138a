-- The Sentinel / Log Analytics tables, as views over the snapshot tables, so KQL written for
-- Sentinel runs locally unchanged. Each view has exactly the published columns, in the published
-- order, with the published types (string -> VARCHAR, datetime -> TIMESTAMPTZ, bool -> BOOLEAN,
-- long -> BIGINT, dynamic -> JSON; see tests/store/schemas/). Values are mapped from the Graph
-- properties the way Microsoft's diagnostic-settings export fills the column; a column Graph has
-- no source for is NULL. Properties the typed tables do not keep are read from `raw`.
-- Sign-ins: ResultType is status.errorCode as text ('0' is success), ResultDescription is
-- status.failureReason, Location is location.countryOrRegion, LocationDetails the location object.
-- Shared conventions:
--   TimeGenerated  the event's own time (UTC TIMESTAMPTZ)
--   TenantId       Log Analytics puts its workspace id here; locally the snapshot's tenantId
--   SourceSystem   'Azure AD'; Resource, ResourceGroup, ResourceProvider 'Microsoft.aadiam'
--   Columns named after a Graph array but typed string hold the array's JSON text.

-- Which kind of sign-in a record is (signInEventTypes: interactiveUser, nonInteractiveUser,
-- servicePrincipal, managedIdentity) decides its table. It is kept as a column so the views need
-- not parse `raw` on every row (13x faster); ingest fills it like any other column, and this fills
-- the rows already stored.
ALTER TABLE signIns ADD COLUMN signInEventTypes JSON;
UPDATE signIns SET signInEventTypes = raw -> '$.signInEventTypes'
WHERE json_type(raw, '$.signInEventTypes') = 'ARRAY';

-- SigninLogs: interactive user sign-ins: isInteractive true, or unknown and not an application's
-- sign-in.
CREATE VIEW SigninLogs AS
SELECT
    t.tenant AS "AADTenantId",  -- the tenant of the snapshot (manifest tenantId)
    raw ->> '$.alternateSignInName' AS "AlternateSignInName",  -- beta alternateSignInName
    appDisplayName AS "AppDisplayName",
    appId AS "AppId",
    -- JSON text of the array
    raw ->> '$.authenticationContextClassReferences' AS "AuthenticationContextClassReferences",
    raw ->> '$.authenticationDetails' AS "AuthenticationDetails",  -- JSON text of the beta array
    raw ->> '$.authenticationMethodsUsed' AS "AuthenticationMethodsUsed",  -- JSON text of the array
    -- JSON text of the array
    raw ->> '$.authenticationProcessingDetails' AS "AuthenticationProcessingDetails",
    authenticationRequirement AS "AuthenticationRequirement",
    -- JSON text of the array
    raw ->> '$.authenticationRequirementPolicies' AS "AuthenticationRequirementPolicies",
    raw ->> '$.autonomousSystemNumber' AS "AutonomousSystemNumber",  -- a number in Graph, text here
    'SignInLogs' AS "Category",  -- the diagnostic-settings category
    clientAppUsed AS "ClientAppUsed",
    -- appliedConditionalAccessPolicies
    appliedConditionalAccessPolicies AS "ConditionalAccessPolicies",
    conditionalAccessStatus AS "ConditionalAccessStatus",
    correlationId AS "CorrelationId",
    createdDateTime AS "CreatedDateTime",
    deviceDetail AS "DeviceDetail",
    CAST(NULL AS BIGINT) AS "DurationMs",  -- no Graph source
    TRY_CAST(raw ->> '$.flaggedForReview' AS BOOLEAN) AS "FlaggedForReview",
    raw ->> '$.homeTenantId' AS "HomeTenantId",
    id AS "Id",
    userDisplayName AS "Identity",  -- the user signing in
    ipAddress AS "IPAddress",
    raw ->> '$.ipAddressFromResourceProvider' AS "IPAddressFromResourceProvider",
    isInteractive AS "IsInteractive",
    TRY_CAST(raw ->> '$.isRisky' AS BOOLEAN) AS "IsRisky",
    CAST(NULL AS VARCHAR) AS "Level",  -- no Graph source
    location ->> '$.countryOrRegion' AS "Location",  -- location.countryOrRegion
    location AS "LocationDetails",  -- the whole location object
    mfaDetail AS "MfaDetail",
    raw ->> '$.networkLocationDetails' AS "NetworkLocationDetails",  -- JSON text of the array
    'Sign-in activity' AS "OperationName",
    '1.0' AS "OperationVersion",  -- the export schema version
    raw ->> '$.originalRequestId' AS "OriginalRequestId",
    -- a number in Graph, text here
    raw ->> '$.processingTimeInMilliseconds' AS "ProcessingTimeInMilliseconds",
    'Microsoft.aadiam' AS "Resource",  -- the export names the Entra ID resource provider
    resourceDisplayName AS "ResourceDisplayName",
    'Microsoft.aadiam' AS "ResourceGroup",
    '/tenants/' || t.tenant || '/providers/Microsoft.aadiam' AS "ResourceId",
    resourceId AS "ResourceIdentity",  -- Graph's resourceId is the resource application's appId
    'Microsoft.aadiam' AS "ResourceProvider",
    raw ->> '$.resourceServicePrincipalId' AS "ResourceServicePrincipalId",
    raw ->> '$.resourceTenantId' AS "ResourceTenantId",
    status ->> '$.failureReason' AS "ResultDescription",  -- status.failureReason
    CAST(NULL AS VARCHAR) AS "ResultSignature",  -- no Graph source
    CAST(errorCode AS VARCHAR) AS "ResultType",  -- status.errorCode as text: '0' is success
    riskDetail AS "RiskDetail",
    raw ->> '$.riskEventTypes' AS "RiskEventTypes",  -- JSON text of the array
    raw ->> '$.riskEventTypes_v2' AS "RiskEventTypes_V2",  -- JSON text of riskEventTypes_v2
    riskLevelAggregated AS "RiskLevelAggregated",
    riskLevelDuringSignIn AS "RiskLevelDuringSignIn",
    riskState AS "RiskState",
    raw ->> '$.servicePrincipalId' AS "ServicePrincipalId",
    raw ->> '$.servicePrincipalName' AS "ServicePrincipalName",
    raw ->> '$.sessionLifetimePolicies' AS "SessionLifetimePolicies",  -- JSON text of the array
    raw ->> '$.signInIdentifier' AS "SignInIdentifier",
    raw ->> '$.signInIdentifierType' AS "SignInIdentifierType",
    'Azure AD' AS "SourceSystem",
    status AS "Status",  -- errorCode, failureReason, additionalDetails
    createdDateTime AS "TimeGenerated",
    raw ->> '$.tokenIssuerName' AS "TokenIssuerName",
    raw ->> '$.tokenIssuerType' AS "TokenIssuerType",
    'SigninLogs' AS "Type",
    raw ->> '$.uniqueTokenIdentifier' AS "UniqueTokenIdentifier",
    raw ->> '$.userAgent' AS "UserAgent",
    userDisplayName AS "UserDisplayName",
    userId AS "UserId",
    userPrincipalName AS "UserPrincipalName",
    raw ->> '$.userType' AS "UserType"
FROM signIns
LEFT JOIN (SELECT value AS tenant FROM snapshot_info WHERE key = 'tenantId') AS t ON true
WHERE isInteractive
   OR isInteractive IS NULL
      AND NOT list_has_any(json_extract_string(signInEventTypes, '$[*]'),
                           ['servicePrincipal', 'managedIdentity']);

-- AADNonInteractiveUserSignInLogs: non-interactive user sign-ins (isInteractive false), not an
-- application's. The published schema types the nested columns (ConditionalAccessPolicies,
-- DeviceDetail, LocationDetails, Status, MfaDetail) as string: they hold JSON text, as in Log
-- Analytics, so queries use parse_json() on them.
CREATE VIEW AADNonInteractiveUserSignInLogs AS
SELECT
    raw ->> '$.alternateSignInName' AS "AlternateSignInName",  -- beta alternateSignInName
    appDisplayName AS "AppDisplayName",
    appId AS "AppId",
    raw -> '$.appliedEventListeners' AS "AppliedEventListeners",  -- beta appliedEventListeners
    -- JSON text of the array
    raw ->> '$.authenticationContextClassReferences' AS "AuthenticationContextClassReferences",
    raw ->> '$.authenticationDetails' AS "AuthenticationDetails",  -- JSON text of the beta array
    raw ->> '$.authenticationMethodsUsed' AS "AuthenticationMethodsUsed",  -- JSON text of the array
    -- JSON text of the array
    raw ->> '$.authenticationProcessingDetails' AS "AuthenticationProcessingDetails",
    raw ->> '$.authenticationProtocol' AS "AuthenticationProtocol",
    authenticationRequirement AS "AuthenticationRequirement",
    -- JSON text of the array
    raw ->> '$.authenticationRequirementPolicies' AS "AuthenticationRequirementPolicies",
    raw ->> '$.autonomousSystemNumber' AS "AutonomousSystemNumber",  -- a number in Graph, text here
    'NonInteractiveUserSignInLogs' AS "Category",  -- the diagnostic-settings category
    clientAppUsed AS "ClientAppUsed",
    -- appliedConditionalAccessPolicies
    CAST(appliedConditionalAccessPolicies AS VARCHAR) AS "ConditionalAccessPolicies",
    conditionalAccessStatus AS "ConditionalAccessStatus",
    correlationId AS "CorrelationId",
    createdDateTime AS "CreatedDateTime",
    raw ->> '$.crossTenantAccessType' AS "CrossTenantAccessType",
    CAST(deviceDetail AS VARCHAR) AS "DeviceDetail",
    CAST(NULL AS BIGINT) AS "DurationMs",  -- no Graph source
    raw ->> '$.homeTenantId' AS "HomeTenantId",
    id AS "Id",
    userDisplayName AS "Identity",  -- the user signing in
    ipAddress AS "IPAddress",
    isInteractive AS "IsInteractive",
    TRY_CAST(raw ->> '$.isRisky' AS BOOLEAN) AS "IsRisky",
    CAST(NULL AS VARCHAR) AS "Level",  -- no Graph source
    location ->> '$.countryOrRegion' AS "Location",  -- location.countryOrRegion
    CAST(location AS VARCHAR) AS "LocationDetails",  -- the whole location object
    CAST(mfaDetail AS VARCHAR) AS "MfaDetail",
    raw ->> '$.networkLocationDetails' AS "NetworkLocationDetails",  -- JSON text of the array
    'Sign-in activity' AS "OperationName",
    '1.0' AS "OperationVersion",  -- the export schema version
    raw ->> '$.originalRequestId' AS "OriginalRequestId",
    -- processingTimeInMilliseconds, as text
    raw ->> '$.processingTimeInMilliseconds' AS "ProcessingTimeInMs",
    resourceDisplayName AS "ResourceDisplayName",
    'Microsoft.aadiam' AS "ResourceGroup",
    resourceId AS "ResourceIdentity",  -- Graph's resourceId is the resource application's appId
    raw ->> '$.resourceServicePrincipalId' AS "ResourceServicePrincipalId",
    raw ->> '$.resourceTenantId' AS "ResourceTenantId",
    status ->> '$.failureReason' AS "ResultDescription",  -- status.failureReason
    CAST(NULL AS VARCHAR) AS "ResultSignature",  -- no Graph source
    CAST(errorCode AS VARCHAR) AS "ResultType",  -- status.errorCode as text: '0' is success
    riskDetail AS "RiskDetail",
    raw ->> '$.riskEventTypes' AS "RiskEventTypes",  -- JSON text of the array
    raw ->> '$.riskEventTypes_v2' AS "RiskEventTypes_V2",  -- JSON text of riskEventTypes_v2
    riskLevelAggregated AS "RiskLevelAggregated",
    riskLevelDuringSignIn AS "RiskLevelDuringSignIn",
    riskState AS "RiskState",
    raw ->> '$.servicePrincipalId' AS "ServicePrincipalId",
    raw ->> '$.sessionLifetimePolicies' AS "SessionLifetimePolicies",  -- JSON text of the array
    CAST(signInEventTypes AS VARCHAR) AS "SignInEventTypes",  -- JSON text of the array
    raw ->> '$.signInIdentifierType' AS "SignInIdentifierType",
    'Azure AD' AS "SourceSystem",
    CAST(status AS VARCHAR) AS "Status",  -- errorCode, failureReason, additionalDetails
    t.tenant AS "TenantId",  -- Log Analytics puts the workspace id here; locally, the tenant id
    createdDateTime AS "TimeGenerated",
    raw ->> '$.tokenIssuerName' AS "TokenIssuerName",
    raw ->> '$.tokenIssuerType' AS "TokenIssuerType",
    'AADNonInteractiveUserSignInLogs' AS "Type",
    raw ->> '$.uniqueTokenIdentifier' AS "UniqueTokenIdentifier",
    raw ->> '$.userAgent' AS "UserAgent",
    userDisplayName AS "UserDisplayName",
    userId AS "UserId",
    userPrincipalName AS "UserPrincipalName",
    raw ->> '$.userType' AS "UserType"
FROM signIns
LEFT JOIN (SELECT value AS tenant FROM snapshot_info WHERE key = 'tenantId') AS t ON true
WHERE NOT isInteractive
  AND NOT list_has_any(json_extract_string(signInEventTypes, '$[*]'),
                       ['servicePrincipal', 'managedIdentity']);

-- AADServicePrincipalSignInLogs: service principal sign-ins. Graph (beta) lists them among signIns
-- with signInEventTypes holding 'servicePrincipal'. A snapshot without any still has this view,
-- with no rows.
-- Managed identity sign-ins go to AADManagedIdentitySignInLogs, which idpilot does not model.
CREATE VIEW AADServicePrincipalSignInLogs AS
SELECT
    appId AS "AppId",
    -- JSON text of the array
    raw ->> '$.authenticationContextClassReferences' AS "AuthenticationContextClassReferences",
    -- JSON text of the array
    raw ->> '$.authenticationProcessingDetails' AS "AuthenticationProcessingDetails",
    'ServicePrincipalSignInLogs' AS "Category",  -- the diagnostic-settings category
    -- appliedConditionalAccessPolicies
    CAST(appliedConditionalAccessPolicies AS VARCHAR) AS "ConditionalAccessPolicies",
    conditionalAccessStatus AS "ConditionalAccessStatus",
    correlationId AS "CorrelationId",
    CAST(NULL AS BIGINT) AS "DurationMs",  -- no Graph source
    raw ->> '$.federatedCredentialId' AS "FederatedCredentialId",
    id AS "Id",
    raw ->> '$.servicePrincipalName' AS "Identity",  -- the service principal signing in
    ipAddress AS "IPAddress",
    CAST(NULL AS VARCHAR) AS "Level",  -- no Graph source
    location ->> '$.countryOrRegion' AS "Location",  -- location.countryOrRegion
    CAST(location AS VARCHAR) AS "LocationDetails",  -- the whole location object
    'Sign-in activity' AS "OperationName",
    '1.0' AS "OperationVersion",  -- the export schema version
    resourceDisplayName AS "ResourceDisplayName",
    'Microsoft.aadiam' AS "ResourceGroup",
    resourceId AS "ResourceIdentity",  -- Graph's resourceId is the resource application's appId
    raw ->> '$.resourceServicePrincipalId' AS "ResourceServicePrincipalId",
    status ->> '$.failureReason' AS "ResultDescription",  -- status.failureReason
    CAST(NULL AS VARCHAR) AS "ResultSignature",  -- no Graph source
    CAST(errorCode AS VARCHAR) AS "ResultType",  -- status.errorCode as text: '0' is success
    raw ->> '$.servicePrincipalCredentialKeyId' AS "ServicePrincipalCredentialKeyId",
    raw ->> '$.servicePrincipalCredentialThumbprint' AS "ServicePrincipalCredentialThumbprint",
    raw ->> '$.servicePrincipalId' AS "ServicePrincipalId",
    raw ->> '$.servicePrincipalName' AS "ServicePrincipalName",
    'Azure AD' AS "SourceSystem",
    t.tenant AS "TenantId",  -- Log Analytics puts the workspace id here; locally, the tenant id
    createdDateTime AS "TimeGenerated",
    'AADServicePrincipalSignInLogs' AS "Type",
    raw ->> '$.uniqueTokenIdentifier' AS "UniqueTokenIdentifier"
FROM signIns
LEFT JOIN (SELECT value AS tenant FROM snapshot_info WHERE key = 'tenantId') AS t ON true
WHERE isInteractive IS NOT TRUE
  AND list_contains(json_extract_string(signInEventTypes, '$[*]'), 'servicePrincipal');

-- AuditLogs: Directory audits (Graph directoryAudit).
CREATE VIEW AuditLogs AS
SELECT
    operationType AS "AADOperationType",
    t.tenant AS "AADTenantId",
    activityDateTime AS "ActivityDateTime",
    activityDisplayName AS "ActivityDisplayName",
    additionalDetails AS "AdditionalDetails",
    category AS "Category",  -- Graph's category (UserManagement, RoleManagement, ...)
    correlationId AS "CorrelationId",
    CAST(NULL AS BIGINT) AS "DurationMs",  -- no Graph source
    id AS "Id",
    -- who initiated: the user, else the app
    coalesce(initiatedBy ->> '$.user.displayName',
             initiatedBy ->> '$.app.displayName') AS "Identity",
    initiatedBy AS "InitiatedBy",
    'Informational' AS "Level",  -- always Informational (published description)
    CAST(NULL AS VARCHAR) AS "Location",  -- no Graph source
    loggedByService AS "LoggedByService",
    activityDisplayName AS "OperationName",
    '1.0' AS "OperationVersion",
    'Microsoft.aadiam' AS "Resource",
    'Microsoft.aadiam' AS "ResourceGroup",
    '/tenants/' || t.tenant || '/providers/Microsoft.aadiam' AS "ResourceId",
    'Microsoft.aadiam' AS "ResourceProvider",
    result AS "Result",  -- success, failure, timeout
    CAST(NULL AS VARCHAR) AS "ResultDescription",  -- no Graph source
    resultReason AS "ResultReason",
    CAST(NULL AS VARCHAR) AS "ResultSignature",  -- no Graph source
    -- Success / Failure
    CASE result WHEN 'success' THEN 'Success' WHEN 'failure' THEN 'Failure'
                WHEN 'timeout' THEN 'Timeout' ELSE result END AS "ResultType",
    'Azure AD' AS "SourceSystem",
    targetResources AS "TargetResources",
    activityDateTime AS "TimeGenerated",
    'AuditLogs' AS "Type"
FROM directoryAudits
LEFT JOIN (SELECT value AS tenant FROM snapshot_info WHERE key = 'tenantId') AS t ON true;

-- AADRiskyUsers: Risky users (Graph riskyUser).
CREATE VIEW AADRiskyUsers AS
SELECT
    CAST(NULL AS VARCHAR) AS "CorrelationId",  -- no Graph source
    id AS "Id",
    isDeleted AS "IsDeleted",
    isProcessing AS "IsProcessing",
    'Risky user' AS "OperationName",
    riskDetail AS "RiskDetail",
    riskLastUpdatedDateTime AS "RiskLastUpdatedDateTime",
    riskLevel AS "RiskLevel",
    riskState AS "RiskState",
    'Azure AD' AS "SourceSystem",
    t.tenant AS "TenantId",
    riskLastUpdatedDateTime AS "TimeGenerated",  -- each export row is a state of the risky user
    'AADRiskyUsers' AS "Type",
    userDisplayName AS "UserDisplayName",
    userPrincipalName AS "UserPrincipalName"
FROM riskyUsers
LEFT JOIN (SELECT value AS tenant FROM snapshot_info WHERE key = 'tenantId') AS t ON true;

-- AADUserRiskEvents: User risk detections (Graph riskDetection).
CREATE VIEW AADUserRiskEvents AS
SELECT
    activity AS "Activity",
    activityDateTime AS "ActivityDateTime",
    -- Graph holds JSON text in a string; parsed here
    CASE WHEN json_valid(additionalInfo) THEN CAST(additionalInfo AS JSON)
         ELSE to_json(additionalInfo) END AS "AdditionalInfo",
    correlationId AS "CorrelationId",
    detectedDateTime AS "DetectedDateTime",
    detectionTimingType AS "DetectionTimingType",
    id AS "Id",
    ipAddress AS "IpAddress",
    lastUpdatedDateTime AS "LastUpdatedDateTime",
    location AS "Location",
    'User Risk Detection' AS "OperationName",
    requestId AS "RequestId",
    riskDetail AS "RiskDetail",
    riskEventType AS "RiskEventType",
    riskLevel AS "RiskLevel",
    riskState AS "RiskState",
    source AS "Source",
    'Azure AD' AS "SourceSystem",
    t.tenant AS "TenantId",
    -- a detection is exported again when it changes
    coalesce(lastUpdatedDateTime, detectedDateTime, activityDateTime) AS "TimeGenerated",
    raw ->> '$.tokenIssuerType' AS "TokenIssuerType",
    'AADUserRiskEvents' AS "Type",
    userDisplayName AS "UserDisplayName",
    userId AS "UserId",
    userPrincipalName AS "UserPrincipalName"
FROM riskDetections
LEFT JOIN (SELECT value AS tenant FROM snapshot_info WHERE key = 'tenantId') AS t ON true;

-- AADRiskyServicePrincipals: Risky service principals (Graph riskyServicePrincipal).
CREATE VIEW AADRiskyServicePrincipals AS
SELECT
    isEnabled AS "AccountEnabled",
    appId AS "AppId",
    CAST(NULL AS VARCHAR) AS "CorrelationId",  -- no Graph source
    displayName AS "DisplayName",
    id AS "Id",
    isProcessing AS "IsProcessing",
    'Risky service principal' AS "OperationName",
    riskDetail AS "RiskDetail",
    riskLastUpdatedDateTime AS "RiskLastUpdatedDateTime",
    riskLevel AS "RiskLevel",
    riskState AS "RiskState",
    servicePrincipalType AS "ServicePrincipalType",
    'Azure AD' AS "SourceSystem",
    t.tenant AS "TenantId",
    riskLastUpdatedDateTime AS "TimeGenerated",
    'AADRiskyServicePrincipals' AS "Type"
FROM riskyServicePrincipals
LEFT JOIN (SELECT value AS tenant FROM snapshot_info WHERE key = 'tenantId') AS t ON true;
