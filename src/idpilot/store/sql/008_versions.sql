-- History over time: every ingest (and sync) is a version of the store, and each directory
-- object (every collection without an event time: users, groups, applications, policies,
-- settings...) keeps each state it had, with the versions it held in. The collection tables stay
-- the current version, as every skill reads them; only `idpilot diff` and the changes skill read
-- the history. Events (sign-ins, audits, risk detections) are never rewritten, so they have none.
CREATE TABLE store_versions (
    version INTEGER PRIMARY KEY,
    started_at TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ,
    captured_at TIMESTAMPTZ,      -- the snapshot's capturedDateTime, when it says
    source VARCHAR NOT NULL,      -- the folder ingested (or what a sync read)
    kind VARCHAR NOT NULL,        -- ingest, sync, or baseline (a store from before history)
    collections VARCHAR[] NOT NULL  -- the directory collections it listed in full
);
-- One row per state of an object: held from `first_version` until `until_version` (exclusive;
-- NULL while it is the current state). An object deleted in version V has its last state
-- closed at V and no later row.
CREATE TABLE object_versions (
    collection VARCHAR NOT NULL,
    id VARCHAR NOT NULL,
    first_version INTEGER NOT NULL,
    until_version INTEGER,
    raw JSON USING COMPRESSION zstd NOT NULL
);
CREATE INDEX object_versions_id ON object_versions (id);
-- A store that already holds data starts its history with it, as version 1.
INSERT INTO store_versions
SELECT 1, coalesce(min(started_at), now()), max(finished_at), NULL,
       'the store before history was kept', 'baseline', []
FROM ingests HAVING count(*) > 0;
INSERT INTO object_versions SELECT 'users', id, 1, NULL, raw FROM "users"
WHERE EXISTS (SELECT 1 FROM store_versions);
INSERT INTO object_versions SELECT 'groups', id, 1, NULL, raw FROM "groups"
WHERE EXISTS (SELECT 1 FROM store_versions);
INSERT INTO object_versions SELECT 'servicePrincipals', id, 1, NULL, raw FROM "servicePrincipals"
WHERE EXISTS (SELECT 1 FROM store_versions);
INSERT INTO object_versions SELECT 'applications', id, 1, NULL, raw FROM "applications"
WHERE EXISTS (SELECT 1 FROM store_versions);
INSERT INTO object_versions SELECT 'appRoleAssignments', id, 1, NULL, raw FROM "appRoleAssignments"
WHERE EXISTS (SELECT 1 FROM store_versions);
INSERT INTO object_versions SELECT 'oauth2PermissionGrants', id, 1, NULL, raw FROM "oauth2PermissionGrants"
WHERE EXISTS (SELECT 1 FROM store_versions);
INSERT INTO object_versions SELECT 'roleDefinitions', id, 1, NULL, raw FROM "roleDefinitions"
WHERE EXISTS (SELECT 1 FROM store_versions);
INSERT INTO object_versions SELECT 'roleAssignments', id, 1, NULL, raw FROM "roleAssignments"
WHERE EXISTS (SELECT 1 FROM store_versions);
INSERT INTO object_versions SELECT 'roleEligibilitySchedules', id, 1, NULL, raw FROM "roleEligibilitySchedules"
WHERE EXISTS (SELECT 1 FROM store_versions);
INSERT INTO object_versions SELECT 'riskyUsers', id, 1, NULL, raw FROM "riskyUsers"
WHERE EXISTS (SELECT 1 FROM store_versions);
INSERT INTO object_versions SELECT 'riskyServicePrincipals', id, 1, NULL, raw FROM "riskyServicePrincipals"
WHERE EXISTS (SELECT 1 FROM store_versions);
INSERT INTO object_versions SELECT 'conditionalAccessPolicies', id, 1, NULL, raw FROM "conditionalAccessPolicies"
WHERE EXISTS (SELECT 1 FROM store_versions);
INSERT INTO object_versions SELECT 'namedLocations', id, 1, NULL, raw FROM "namedLocations"
WHERE EXISTS (SELECT 1 FROM store_versions);
INSERT INTO object_versions SELECT 'userRegistrationDetails', id, 1, NULL, raw FROM "userRegistrationDetails"
WHERE EXISTS (SELECT 1 FROM store_versions);
INSERT INTO object_versions SELECT 'lifecycleWorkflows', id, 1, NULL, raw FROM "lifecycleWorkflows"
WHERE EXISTS (SELECT 1 FROM store_versions);
INSERT INTO object_versions SELECT 'organization', id, 1, NULL, raw FROM "organization"
WHERE EXISTS (SELECT 1 FROM store_versions);
INSERT INTO object_versions SELECT 'domains', id, 1, NULL, raw FROM "domains"
WHERE EXISTS (SELECT 1 FROM store_versions);
INSERT INTO object_versions SELECT 'authorizationPolicy', id, 1, NULL, raw FROM "authorizationPolicy"
WHERE EXISTS (SELECT 1 FROM store_versions);
INSERT INTO object_versions SELECT 'authenticationMethodsPolicy', id, 1, NULL, raw FROM "authenticationMethodsPolicy"
WHERE EXISTS (SELECT 1 FROM store_versions);
INSERT INTO object_versions SELECT 'identitySecurityDefaultsEnforcementPolicy', id, 1, NULL, raw FROM "identitySecurityDefaultsEnforcementPolicy"
WHERE EXISTS (SELECT 1 FROM store_versions);
INSERT INTO object_versions SELECT 'adminConsentRequestPolicy', id, 1, NULL, raw FROM "adminConsentRequestPolicy"
WHERE EXISTS (SELECT 1 FROM store_versions);
INSERT INTO object_versions SELECT 'permissionGrantPolicies', id, 1, NULL, raw FROM "permissionGrantPolicies"
WHERE EXISTS (SELECT 1 FROM store_versions);
INSERT INTO object_versions SELECT 'groupSettings', id, 1, NULL, raw FROM "groupSettings"
WHERE EXISTS (SELECT 1 FROM store_versions);
INSERT INTO object_versions SELECT 'crossTenantAccessPolicyDefault', id, 1, NULL, raw FROM "crossTenantAccessPolicyDefault"
WHERE EXISTS (SELECT 1 FROM store_versions);
INSERT INTO object_versions SELECT 'crossTenantAccessPolicyPartners', id, 1, NULL, raw FROM "crossTenantAccessPolicyPartners"
WHERE EXISTS (SELECT 1 FROM store_versions);
INSERT INTO object_versions SELECT 'roleManagementPolicies', id, 1, NULL, raw FROM "roleManagementPolicies"
WHERE EXISTS (SELECT 1 FROM store_versions);
INSERT INTO object_versions SELECT 'roleManagementPolicyAssignments', id, 1, NULL, raw FROM "roleManagementPolicyAssignments"
WHERE EXISTS (SELECT 1 FROM store_versions);
INSERT INTO object_versions SELECT 'authenticationStrengthPolicies', id, 1, NULL, raw FROM "authenticationStrengthPolicies"
WHERE EXISTS (SELECT 1 FROM store_versions);
INSERT INTO object_versions SELECT 'defaultAppManagementPolicy', id, 1, NULL, raw FROM "defaultAppManagementPolicy"
WHERE EXISTS (SELECT 1 FROM store_versions);
INSERT INTO object_versions SELECT 'subscribedSkus', id, 1, NULL, raw FROM "subscribedSkus"
WHERE EXISTS (SELECT 1 FROM store_versions);
INSERT INTO object_versions SELECT 'roleAssignmentScheduleInstances', id, 1, NULL, raw FROM "roleAssignmentScheduleInstances"
WHERE EXISTS (SELECT 1 FROM store_versions);
INSERT INTO object_versions SELECT 'roleEligibilityScheduleInstances', id, 1, NULL, raw FROM "roleEligibilityScheduleInstances"
WHERE EXISTS (SELECT 1 FROM store_versions);
INSERT INTO object_versions SELECT 'administrativeUnits', id, 1, NULL, raw FROM "administrativeUnits"
WHERE EXISTS (SELECT 1 FROM store_versions);
