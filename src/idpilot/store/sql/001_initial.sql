-- One table per Graph collection. Columns are named exactly as Graph names the property they
-- are read from (so a column's JSON path is its name); `raw` keeps the whole object as published.
-- JSON columns use zstd: DuckDB's default string compression costs ten times more to write
-- for large JSON documents and stores them ten times larger (measured in bench/).
CREATE TABLE users (
    id VARCHAR NOT NULL, displayName VARCHAR, userPrincipalName VARCHAR, mail VARCHAR,
    givenName VARCHAR, surname VARCHAR, jobTitle VARCHAR, department VARCHAR,
    officeLocation VARCHAR, city VARCHAR, country VARCHAR, usageLocation VARCHAR,
    companyName VARCHAR, employeeId VARCHAR, accountEnabled BOOLEAN, userType VARCHAR,
    createdDateTime TIMESTAMPTZ, externalUserState VARCHAR, onPremisesSyncEnabled BOOLEAN,
    assignedLicenses JSON USING COMPRESSION zstd, signInActivity JSON USING COMPRESSION zstd, manager JSON USING COMPRESSION zstd, raw JSON USING COMPRESSION zstd NOT NULL
);
CREATE TABLE groups (
    id VARCHAR NOT NULL, displayName VARCHAR, description VARCHAR, mail VARCHAR,
    mailEnabled BOOLEAN, securityEnabled BOOLEAN, groupTypes JSON USING COMPRESSION zstd, membershipRule VARCHAR,
    membershipRuleProcessingState VARCHAR, isAssignableToRole BOOLEAN, visibility VARCHAR,
    createdDateTime TIMESTAMPTZ, members JSON USING COMPRESSION zstd, owners JSON USING COMPRESSION zstd, raw JSON USING COMPRESSION zstd NOT NULL
);
-- Derived from groups.members / groups.owners at ingest, for fast membership queries.
CREATE TABLE group_members (
    group_id VARCHAR NOT NULL, member_id VARCHAR NOT NULL, member_type VARCHAR,
    member_display_name VARCHAR
);
CREATE TABLE group_owners (
    group_id VARCHAR NOT NULL, owner_id VARCHAR NOT NULL, owner_type VARCHAR,
    owner_display_name VARCHAR
);
CREATE TABLE servicePrincipals (
    id VARCHAR NOT NULL, appId VARCHAR, displayName VARCHAR, servicePrincipalType VARCHAR,
    appOwnerOrganizationId VARCHAR, accountEnabled BOOLEAN, appRoles JSON USING COMPRESSION zstd,
    passwordCredentials JSON USING COMPRESSION zstd, keyCredentials JSON USING COMPRESSION zstd, owners JSON USING COMPRESSION zstd, tags JSON USING COMPRESSION zstd, raw JSON USING COMPRESSION zstd NOT NULL
);
CREATE TABLE applications (
    id VARCHAR NOT NULL, appId VARCHAR, displayName VARCHAR, signInAudience VARCHAR,
    publisherDomain VARCHAR, createdDateTime TIMESTAMPTZ, passwordCredentials JSON USING COMPRESSION zstd,
    keyCredentials JSON USING COMPRESSION zstd, requiredResourceAccess JSON USING COMPRESSION zstd, owners JSON USING COMPRESSION zstd, raw JSON USING COMPRESSION zstd NOT NULL
);
CREATE TABLE appRoleAssignments (
    id VARCHAR NOT NULL, principalId VARCHAR, principalType VARCHAR,
    principalDisplayName VARCHAR, resourceId VARCHAR, resourceDisplayName VARCHAR,
    appRoleId VARCHAR, createdDateTime TIMESTAMPTZ, raw JSON USING COMPRESSION zstd NOT NULL
);
CREATE TABLE oauth2PermissionGrants (
    id VARCHAR NOT NULL, clientId VARCHAR, consentType VARCHAR, principalId VARCHAR,
    resourceId VARCHAR, scope VARCHAR, raw JSON USING COMPRESSION zstd NOT NULL
);
CREATE TABLE roleDefinitions (
    id VARCHAR NOT NULL, displayName VARCHAR, description VARCHAR, templateId VARCHAR,
    isBuiltIn BOOLEAN, isEnabled BOOLEAN, raw JSON USING COMPRESSION zstd NOT NULL
);
CREATE TABLE roleAssignments (
    id VARCHAR NOT NULL, principalId VARCHAR, roleDefinitionId VARCHAR,
    directoryScopeId VARCHAR, appScopeId VARCHAR, principal JSON USING COMPRESSION zstd, raw JSON USING COMPRESSION zstd NOT NULL
);
CREATE TABLE roleEligibilitySchedules (
    id VARCHAR NOT NULL, principalId VARCHAR, roleDefinitionId VARCHAR,
    directoryScopeId VARCHAR, memberType VARCHAR, status VARCHAR,
    createdDateTime TIMESTAMPTZ, scheduleInfo JSON USING COMPRESSION zstd, raw JSON USING COMPRESSION zstd NOT NULL
);
CREATE TABLE signIns (
    id VARCHAR NOT NULL, createdDateTime TIMESTAMPTZ, userId VARCHAR, userPrincipalName VARCHAR,
    userDisplayName VARCHAR, appId VARCHAR, appDisplayName VARCHAR, ipAddress VARCHAR,
    clientAppUsed VARCHAR, correlationId VARCHAR, conditionalAccessStatus VARCHAR,
    isInteractive BOOLEAN, resourceId VARCHAR, resourceDisplayName VARCHAR,
    riskLevelDuringSignIn VARCHAR, riskLevelAggregated VARCHAR, riskState VARCHAR,
    riskDetail VARCHAR, authenticationRequirement VARCHAR, status JSON USING COMPRESSION zstd, deviceDetail JSON USING COMPRESSION zstd,
    location JSON USING COMPRESSION zstd, appliedConditionalAccessPolicies JSON USING COMPRESSION zstd, mfaDetail JSON USING COMPRESSION zstd,
    errorCode INTEGER, raw JSON USING COMPRESSION zstd NOT NULL
);
CREATE TABLE directoryAudits (
    id VARCHAR NOT NULL, activityDateTime TIMESTAMPTZ, activityDisplayName VARCHAR,
    category VARCHAR, correlationId VARCHAR, result VARCHAR, resultReason VARCHAR,
    loggedByService VARCHAR, operationType VARCHAR, initiatedBy JSON USING COMPRESSION zstd, targetResources JSON USING COMPRESSION zstd,
    additionalDetails JSON USING COMPRESSION zstd, raw JSON USING COMPRESSION zstd NOT NULL
);
CREATE TABLE riskyUsers (
    id VARCHAR NOT NULL, userPrincipalName VARCHAR, userDisplayName VARCHAR, riskLevel VARCHAR,
    riskState VARCHAR, riskDetail VARCHAR, riskLastUpdatedDateTime TIMESTAMPTZ,
    isDeleted BOOLEAN, isProcessing BOOLEAN, raw JSON USING COMPRESSION zstd NOT NULL
);
CREATE TABLE riskDetections (
    id VARCHAR NOT NULL, requestId VARCHAR, correlationId VARCHAR, riskEventType VARCHAR,
    riskState VARCHAR, riskLevel VARCHAR, riskDetail VARCHAR, source VARCHAR,
    detectionTimingType VARCHAR, activity VARCHAR, ipAddress VARCHAR,
    activityDateTime TIMESTAMPTZ, detectedDateTime TIMESTAMPTZ, lastUpdatedDateTime TIMESTAMPTZ,
    userId VARCHAR, userDisplayName VARCHAR, userPrincipalName VARCHAR, location JSON USING COMPRESSION zstd,
    additionalInfo VARCHAR, raw JSON USING COMPRESSION zstd NOT NULL
);
CREATE TABLE riskyServicePrincipals (
    id VARCHAR NOT NULL, appId VARCHAR, displayName VARCHAR, servicePrincipalType VARCHAR,
    riskLevel VARCHAR, riskState VARCHAR, riskDetail VARCHAR,
    riskLastUpdatedDateTime TIMESTAMPTZ, isEnabled BOOLEAN, isProcessing BOOLEAN,
    raw JSON USING COMPRESSION zstd NOT NULL
);
CREATE TABLE servicePrincipalRiskDetections (
    id VARCHAR NOT NULL, servicePrincipalId VARCHAR, servicePrincipalDisplayName VARCHAR,
    appId VARCHAR, riskEventType VARCHAR, riskState VARCHAR, riskLevel VARCHAR,
    riskDetail VARCHAR, source VARCHAR, detectionTimingType VARCHAR, activity VARCHAR,
    ipAddresses JSON USING COMPRESSION zstd, activityDateTime TIMESTAMPTZ, detectedDateTime TIMESTAMPTZ,
    lastUpdatedDateTime TIMESTAMPTZ, correlationId VARCHAR, requestId VARCHAR,
    raw JSON USING COMPRESSION zstd NOT NULL
);
CREATE TABLE conditionalAccessPolicies (
    id VARCHAR NOT NULL, displayName VARCHAR, state VARCHAR, createdDateTime TIMESTAMPTZ,
    modifiedDateTime TIMESTAMPTZ, conditions JSON USING COMPRESSION zstd, grantControls JSON USING COMPRESSION zstd, sessionControls JSON USING COMPRESSION zstd,
    raw JSON USING COMPRESSION zstd NOT NULL
);
CREATE TABLE namedLocations (
    id VARCHAR NOT NULL, displayName VARCHAR, createdDateTime TIMESTAMPTZ,
    modifiedDateTime TIMESTAMPTZ, isTrusted BOOLEAN, ipRanges JSON USING COMPRESSION zstd, countriesAndRegions JSON USING COMPRESSION zstd,
    includeUnknownCountriesAndRegions BOOLEAN, raw JSON USING COMPRESSION zstd NOT NULL
);
CREATE TABLE userRegistrationDetails (
    id VARCHAR NOT NULL, userPrincipalName VARCHAR, userDisplayName VARCHAR, userType VARCHAR,
    isAdmin BOOLEAN, isMfaRegistered BOOLEAN, isMfaCapable BOOLEAN,
    isPasswordlessCapable BOOLEAN, isSsprRegistered BOOLEAN, isSsprEnabled BOOLEAN,
    isSsprCapable BOOLEAN, methodsRegistered JSON USING COMPRESSION zstd, defaultMfaMethod VARCHAR,
    lastUpdatedDateTime TIMESTAMPTZ, raw JSON USING COMPRESSION zstd NOT NULL
);
CREATE TABLE lifecycleWorkflows (
    id VARCHAR NOT NULL, displayName VARCHAR, description VARCHAR, category VARCHAR,
    isEnabled BOOLEAN, isSchedulingEnabled BOOLEAN, createdDateTime TIMESTAMPTZ,
    lastModifiedDateTime TIMESTAMPTZ, executionConditions JSON USING COMPRESSION zstd, tasks JSON USING COMPRESSION zstd, raw JSON USING COMPRESSION zstd NOT NULL
);
CREATE TABLE organization (
    id VARCHAR NOT NULL, displayName VARCHAR, verifiedDomains JSON USING COMPRESSION zstd,
    createdDateTime TIMESTAMPTZ, raw JSON USING COMPRESSION zstd NOT NULL
);
CREATE TABLE domains (
    id VARCHAR NOT NULL, isDefault BOOLEAN, isVerified BOOLEAN, isInitial BOOLEAN,
    authenticationType VARCHAR, raw JSON USING COMPRESSION zstd NOT NULL
);
-- What the store holds: the tenant, the snapshot time, each ingest.
CREATE TABLE snapshot_info (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE ingests (
    started_at TIMESTAMPTZ NOT NULL, finished_at TIMESTAMPTZ NOT NULL, source VARCHAR NOT NULL,
    files INTEGER NOT NULL, records INTEGER NOT NULL, changed INTEGER NOT NULL
);
