-- One table per Graph collection. Columns are named exactly as Graph names the property they
-- are read from (so a column's JSON path is its name); `raw` keeps the whole object as published.
CREATE TABLE users (
    id VARCHAR NOT NULL, displayName VARCHAR, userPrincipalName VARCHAR, mail VARCHAR,
    givenName VARCHAR, surname VARCHAR, jobTitle VARCHAR, department VARCHAR,
    officeLocation VARCHAR, city VARCHAR, country VARCHAR, usageLocation VARCHAR,
    companyName VARCHAR, employeeId VARCHAR, accountEnabled BOOLEAN, userType VARCHAR,
    createdDateTime TIMESTAMPTZ, externalUserState VARCHAR, onPremisesSyncEnabled BOOLEAN,
    assignedLicenses JSON, signInActivity JSON, manager JSON, raw JSON NOT NULL
);
CREATE TABLE groups (
    id VARCHAR NOT NULL, displayName VARCHAR, description VARCHAR, mail VARCHAR,
    mailEnabled BOOLEAN, securityEnabled BOOLEAN, groupTypes JSON, membershipRule VARCHAR,
    membershipRuleProcessingState VARCHAR, isAssignableToRole BOOLEAN, visibility VARCHAR,
    createdDateTime TIMESTAMPTZ, members JSON, owners JSON, raw JSON NOT NULL
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
    appOwnerOrganizationId VARCHAR, accountEnabled BOOLEAN, appRoles JSON,
    passwordCredentials JSON, keyCredentials JSON, owners JSON, tags JSON, raw JSON NOT NULL
);
CREATE TABLE applications (
    id VARCHAR NOT NULL, appId VARCHAR, displayName VARCHAR, signInAudience VARCHAR,
    publisherDomain VARCHAR, createdDateTime TIMESTAMPTZ, passwordCredentials JSON,
    keyCredentials JSON, requiredResourceAccess JSON, owners JSON, raw JSON NOT NULL
);
CREATE TABLE appRoleAssignments (
    id VARCHAR NOT NULL, principalId VARCHAR, principalType VARCHAR,
    principalDisplayName VARCHAR, resourceId VARCHAR, resourceDisplayName VARCHAR,
    appRoleId VARCHAR, createdDateTime TIMESTAMPTZ, raw JSON NOT NULL
);
CREATE TABLE oauth2PermissionGrants (
    id VARCHAR NOT NULL, clientId VARCHAR, consentType VARCHAR, principalId VARCHAR,
    resourceId VARCHAR, scope VARCHAR, raw JSON NOT NULL
);
CREATE TABLE roleDefinitions (
    id VARCHAR NOT NULL, displayName VARCHAR, description VARCHAR, templateId VARCHAR,
    isBuiltIn BOOLEAN, isEnabled BOOLEAN, raw JSON NOT NULL
);
CREATE TABLE roleAssignments (
    id VARCHAR NOT NULL, principalId VARCHAR, roleDefinitionId VARCHAR,
    directoryScopeId VARCHAR, appScopeId VARCHAR, principal JSON, raw JSON NOT NULL
);
CREATE TABLE roleEligibilitySchedules (
    id VARCHAR NOT NULL, principalId VARCHAR, roleDefinitionId VARCHAR,
    directoryScopeId VARCHAR, memberType VARCHAR, status VARCHAR,
    createdDateTime TIMESTAMPTZ, scheduleInfo JSON, raw JSON NOT NULL
);
CREATE TABLE signIns (
    id VARCHAR NOT NULL, createdDateTime TIMESTAMPTZ, userId VARCHAR, userPrincipalName VARCHAR,
    userDisplayName VARCHAR, appId VARCHAR, appDisplayName VARCHAR, ipAddress VARCHAR,
    clientAppUsed VARCHAR, correlationId VARCHAR, conditionalAccessStatus VARCHAR,
    isInteractive BOOLEAN, resourceId VARCHAR, resourceDisplayName VARCHAR,
    riskLevelDuringSignIn VARCHAR, riskLevelAggregated VARCHAR, riskState VARCHAR,
    riskDetail VARCHAR, authenticationRequirement VARCHAR, status JSON, deviceDetail JSON,
    location JSON, appliedConditionalAccessPolicies JSON, mfaDetail JSON,
    errorCode INTEGER, raw JSON NOT NULL
);
CREATE TABLE directoryAudits (
    id VARCHAR NOT NULL, activityDateTime TIMESTAMPTZ, activityDisplayName VARCHAR,
    category VARCHAR, correlationId VARCHAR, result VARCHAR, resultReason VARCHAR,
    loggedByService VARCHAR, operationType VARCHAR, initiatedBy JSON, targetResources JSON,
    additionalDetails JSON, raw JSON NOT NULL
);
CREATE TABLE riskyUsers (
    id VARCHAR NOT NULL, userPrincipalName VARCHAR, userDisplayName VARCHAR, riskLevel VARCHAR,
    riskState VARCHAR, riskDetail VARCHAR, riskLastUpdatedDateTime TIMESTAMPTZ,
    isDeleted BOOLEAN, isProcessing BOOLEAN, raw JSON NOT NULL
);
CREATE TABLE riskDetections (
    id VARCHAR NOT NULL, requestId VARCHAR, correlationId VARCHAR, riskEventType VARCHAR,
    riskState VARCHAR, riskLevel VARCHAR, riskDetail VARCHAR, source VARCHAR,
    detectionTimingType VARCHAR, activity VARCHAR, ipAddress VARCHAR,
    activityDateTime TIMESTAMPTZ, detectedDateTime TIMESTAMPTZ, lastUpdatedDateTime TIMESTAMPTZ,
    userId VARCHAR, userDisplayName VARCHAR, userPrincipalName VARCHAR, location JSON,
    additionalInfo VARCHAR, raw JSON NOT NULL
);
CREATE TABLE riskyServicePrincipals (
    id VARCHAR NOT NULL, appId VARCHAR, displayName VARCHAR, servicePrincipalType VARCHAR,
    riskLevel VARCHAR, riskState VARCHAR, riskDetail VARCHAR,
    riskLastUpdatedDateTime TIMESTAMPTZ, isEnabled BOOLEAN, isProcessing BOOLEAN,
    raw JSON NOT NULL
);
CREATE TABLE servicePrincipalRiskDetections (
    id VARCHAR NOT NULL, servicePrincipalId VARCHAR, servicePrincipalDisplayName VARCHAR,
    appId VARCHAR, riskEventType VARCHAR, riskState VARCHAR, riskLevel VARCHAR,
    riskDetail VARCHAR, source VARCHAR, detectionTimingType VARCHAR, activity VARCHAR,
    ipAddresses JSON, activityDateTime TIMESTAMPTZ, detectedDateTime TIMESTAMPTZ,
    lastUpdatedDateTime TIMESTAMPTZ, correlationId VARCHAR, requestId VARCHAR,
    raw JSON NOT NULL
);
CREATE TABLE conditionalAccessPolicies (
    id VARCHAR NOT NULL, displayName VARCHAR, state VARCHAR, createdDateTime TIMESTAMPTZ,
    modifiedDateTime TIMESTAMPTZ, conditions JSON, grantControls JSON, sessionControls JSON,
    raw JSON NOT NULL
);
CREATE TABLE namedLocations (
    id VARCHAR NOT NULL, displayName VARCHAR, createdDateTime TIMESTAMPTZ,
    modifiedDateTime TIMESTAMPTZ, isTrusted BOOLEAN, ipRanges JSON, countriesAndRegions JSON,
    includeUnknownCountriesAndRegions BOOLEAN, raw JSON NOT NULL
);
CREATE TABLE userRegistrationDetails (
    id VARCHAR NOT NULL, userPrincipalName VARCHAR, userDisplayName VARCHAR, userType VARCHAR,
    isAdmin BOOLEAN, isMfaRegistered BOOLEAN, isMfaCapable BOOLEAN,
    isPasswordlessCapable BOOLEAN, isSsprRegistered BOOLEAN, isSsprEnabled BOOLEAN,
    isSsprCapable BOOLEAN, methodsRegistered JSON, defaultMfaMethod VARCHAR,
    lastUpdatedDateTime TIMESTAMPTZ, raw JSON NOT NULL
);
CREATE TABLE lifecycleWorkflows (
    id VARCHAR NOT NULL, displayName VARCHAR, description VARCHAR, category VARCHAR,
    isEnabled BOOLEAN, isSchedulingEnabled BOOLEAN, createdDateTime TIMESTAMPTZ,
    lastModifiedDateTime TIMESTAMPTZ, executionConditions JSON, tasks JSON, raw JSON NOT NULL
);
CREATE TABLE organization (
    id VARCHAR NOT NULL, displayName VARCHAR, verifiedDomains JSON,
    createdDateTime TIMESTAMPTZ, raw JSON NOT NULL
);
CREATE TABLE domains (
    id VARCHAR NOT NULL, isDefault BOOLEAN, isVerified BOOLEAN, isInitial BOOLEAN,
    authenticationType VARCHAR, raw JSON NOT NULL
);
-- What the store holds: the tenant, the snapshot time, each ingest.
CREATE TABLE snapshot_info (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE ingests (
    started_at TIMESTAMPTZ NOT NULL, finished_at TIMESTAMPTZ NOT NULL, source VARCHAR NOT NULL,
    files INTEGER NOT NULL, records INTEGER NOT NULL, changed INTEGER NOT NULL
);
