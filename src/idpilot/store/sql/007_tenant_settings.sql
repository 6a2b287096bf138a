-- Tenant-wide settings, PIM, licences and administrative units (issue 14). As in 001, each
-- table is named after its snapshot file, its columns exactly as the Graph properties they
-- are read from, and `raw` keeps the whole object as published. Settings Graph returns as one
-- object (authorizationPolicy, ...) hold one row; one without `id` is keyed by the file name.
CREATE TABLE authorizationPolicy (
    id VARCHAR NOT NULL, displayName VARCHAR, description VARCHAR, allowInvitesFrom VARCHAR,
    allowedToSignUpEmailBasedSubscriptions BOOLEAN, allowedToUseSSPR BOOLEAN,
    allowEmailVerifiedUsersToJoinOrganization BOOLEAN, allowUserConsentForRiskyApps BOOLEAN,
    blockMsolPowerShell BOOLEAN, guestUserRoleId VARCHAR,
    defaultUserRolePermissions JSON USING COMPRESSION zstd, raw JSON USING COMPRESSION zstd NOT NULL
);
CREATE TABLE authenticationMethodsPolicy (
    id VARCHAR NOT NULL, displayName VARCHAR, description VARCHAR,
    lastModifiedDateTime TIMESTAMPTZ, policyVersion VARCHAR, policyMigrationState VARCHAR,
    registrationEnforcement JSON USING COMPRESSION zstd,
    authenticationMethodConfigurations JSON USING COMPRESSION zstd,
    raw JSON USING COMPRESSION zstd NOT NULL
);
CREATE TABLE identitySecurityDefaultsEnforcementPolicy (
    id VARCHAR NOT NULL, displayName VARCHAR, description VARCHAR, isEnabled BOOLEAN,
    raw JSON USING COMPRESSION zstd NOT NULL
);
CREATE TABLE adminConsentRequestPolicy (
    id VARCHAR NOT NULL, isEnabled BOOLEAN, notifyReviewers BOOLEAN, remindersEnabled BOOLEAN,
    requestDurationInDays INTEGER, version INTEGER, reviewers JSON USING COMPRESSION zstd,
    raw JSON USING COMPRESSION zstd NOT NULL
);
CREATE TABLE permissionGrantPolicies (
    id VARCHAR NOT NULL, displayName VARCHAR, description VARCHAR,
    includes JSON USING COMPRESSION zstd, excludes JSON USING COMPRESSION zstd,
    raw JSON USING COMPRESSION zstd NOT NULL
);
CREATE TABLE groupSettings (
    id VARCHAR NOT NULL, displayName VARCHAR, templateId VARCHAR,
    "values" JSON USING COMPRESSION zstd, raw JSON USING COMPRESSION zstd NOT NULL
);
CREATE TABLE crossTenantAccessPolicyDefault (
    id VARCHAR NOT NULL, isServiceDefault BOOLEAN, inboundTrust JSON USING COMPRESSION zstd,
    b2bCollaborationInbound JSON USING COMPRESSION zstd,
    b2bCollaborationOutbound JSON USING COMPRESSION zstd,
    b2bDirectConnectInbound JSON USING COMPRESSION zstd,
    b2bDirectConnectOutbound JSON USING COMPRESSION zstd,
    raw JSON USING COMPRESSION zstd NOT NULL
);
CREATE TABLE crossTenantAccessPolicyPartners (
    id VARCHAR NOT NULL, tenantId VARCHAR, isServiceProvider BOOLEAN,
    inboundTrust JSON USING COMPRESSION zstd,
    b2bCollaborationInbound JSON USING COMPRESSION zstd,
    b2bCollaborationOutbound JSON USING COMPRESSION zstd,
    b2bDirectConnectInbound JSON USING COMPRESSION zstd,
    b2bDirectConnectOutbound JSON USING COMPRESSION zstd,
    raw JSON USING COMPRESSION zstd NOT NULL
);
CREATE TABLE roleManagementPolicies (
    id VARCHAR NOT NULL, displayName VARCHAR, description VARCHAR,
    isOrganizationDefault BOOLEAN, scopeId VARCHAR, scopeType VARCHAR,
    lastModifiedDateTime TIMESTAMPTZ, rules JSON USING COMPRESSION zstd,
    raw JSON USING COMPRESSION zstd NOT NULL
);
CREATE TABLE roleManagementPolicyAssignments (
    id VARCHAR NOT NULL, policyId VARCHAR, scopeId VARCHAR, scopeType VARCHAR,
    roleDefinitionId VARCHAR, raw JSON USING COMPRESSION zstd NOT NULL
);
CREATE TABLE authenticationStrengthPolicies (
    id VARCHAR NOT NULL, displayName VARCHAR, description VARCHAR, policyType VARCHAR,
    requirementsSatisfied VARCHAR, createdDateTime TIMESTAMPTZ, modifiedDateTime TIMESTAMPTZ,
    allowedCombinations JSON USING COMPRESSION zstd, raw JSON USING COMPRESSION zstd NOT NULL
);
CREATE TABLE defaultAppManagementPolicy (
    id VARCHAR NOT NULL, displayName VARCHAR, description VARCHAR, isEnabled BOOLEAN,
    applicationRestrictions JSON USING COMPRESSION zstd,
    servicePrincipalRestrictions JSON USING COMPRESSION zstd,
    raw JSON USING COMPRESSION zstd NOT NULL
);
CREATE TABLE subscribedSkus (
    id VARCHAR NOT NULL, accountId VARCHAR, accountName VARCHAR, appliesTo VARCHAR,
    capabilityStatus VARCHAR, consumedUnits INTEGER, skuId VARCHAR, skuPartNumber VARCHAR,
    prepaidUnits JSON USING COMPRESSION zstd, servicePlans JSON USING COMPRESSION zstd,
    raw JSON USING COMPRESSION zstd NOT NULL
);
CREATE TABLE roleAssignmentScheduleInstances (
    id VARCHAR NOT NULL, principalId VARCHAR, roleDefinitionId VARCHAR,
    directoryScopeId VARCHAR, appScopeId VARCHAR, startDateTime TIMESTAMPTZ,
    endDateTime TIMESTAMPTZ, assignmentType VARCHAR, memberType VARCHAR,
    roleAssignmentOriginId VARCHAR, roleAssignmentScheduleId VARCHAR,
    raw JSON USING COMPRESSION zstd NOT NULL
);
CREATE TABLE roleEligibilityScheduleInstances (
    id VARCHAR NOT NULL, principalId VARCHAR, roleDefinitionId VARCHAR,
    directoryScopeId VARCHAR, appScopeId VARCHAR, startDateTime TIMESTAMPTZ,
    endDateTime TIMESTAMPTZ, memberType VARCHAR, roleEligibilityScheduleId VARCHAR,
    raw JSON USING COMPRESSION zstd NOT NULL
);
CREATE TABLE administrativeUnits (
    id VARCHAR NOT NULL, displayName VARCHAR, description VARCHAR, visibility VARCHAR,
    membershipType VARCHAR, membershipRule VARCHAR, membershipRuleProcessingState VARCHAR,
    isMemberManagementRestricted BOOLEAN, members JSON USING COMPRESSION zstd,
    raw JSON USING COMPRESSION zstd NOT NULL
);
-- Domains: password expiry (MS.AAD.6.1) and the rest of the published shape, filled for the
-- rows an older store already holds.
ALTER TABLE domains ADD COLUMN isRoot BOOLEAN;
ALTER TABLE domains ADD COLUMN isAdminManaged BOOLEAN;
ALTER TABLE domains ADD COLUMN passwordValidityPeriodInDays INTEGER;
ALTER TABLE domains ADD COLUMN passwordNotificationWindowInDays INTEGER;
ALTER TABLE domains ADD COLUMN supportedServices JSON USING COMPRESSION zstd;
UPDATE domains SET
    isRoot = TRY_CAST(raw -> '$.isRoot' AS BOOLEAN),
    isAdminManaged = TRY_CAST(raw -> '$.isAdminManaged' AS BOOLEAN),
    passwordValidityPeriodInDays = TRY_CAST(raw -> '$.passwordValidityPeriodInDays' AS INTEGER),
    passwordNotificationWindowInDays =
        TRY_CAST(raw -> '$.passwordNotificationWindowInDays' AS INTEGER),
    supportedServices = CASE WHEN json_type(raw, '$.supportedServices') = 'ARRAY'
                             THEN raw -> '$.supportedServices' END;
-- Which collections a snapshot brought, even empty (a check needing a collection says
-- `unknown` only when no file of it was ever ingested). Filled by every ingest.
CREATE TABLE snapshot_collections (name VARCHAR PRIMARY KEY, records BIGINT NOT NULL);
