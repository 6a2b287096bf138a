-- Lifecycle workflows' versions and runs (issue 14: "version comparison of an existing workflow,
-- and troubleshooting of runs"). As in 001 and 007, each table is named after its snapshot file
-- and its columns after the Graph properties they are read from; `raw` keeps the object as
-- published. Graph lists these under their workflow (/workflows/{workflowId}/versions, /runs,
-- /runs/{runId}/userProcessingResults, ...) and their records do not name it: `workflowId`,
-- `runId` and `userProcessingResultId` are read from the list response's @odata.context at
-- ingest. A version has no `id`: it is keyed `{workflowId}/versions/{versionNumber}`.
CREATE TABLE lifecycleWorkflowVersions (
    id VARCHAR NOT NULL, workflowId VARCHAR, versionNumber INTEGER, displayName VARCHAR,
    description VARCHAR, category VARCHAR, isEnabled BOOLEAN, isSchedulingEnabled BOOLEAN,
    createdDateTime TIMESTAMPTZ, lastModifiedDateTime TIMESTAMPTZ,
    executionConditions JSON USING COMPRESSION zstd, tasks JSON USING COMPRESSION zstd,
    createdBy JSON USING COMPRESSION zstd, lastModifiedBy JSON USING COMPRESSION zstd,
    raw JSON USING COMPRESSION zstd NOT NULL
);
CREATE TABLE lifecycleWorkflowRuns (
    id VARCHAR NOT NULL, workflowId VARCHAR, processingStatus VARCHAR,
    workflowExecutionType VARCHAR, scheduledDateTime TIMESTAMPTZ, startedDateTime TIMESTAMPTZ,
    completedDateTime TIMESTAMPTZ, lastUpdatedDateTime TIMESTAMPTZ, totalUsersCount INTEGER,
    successfulUsersCount INTEGER, failedUsersCount INTEGER, totalTasksCount INTEGER,
    failedTasksCount INTEGER, totalUnprocessedTasksCount INTEGER,
    raw JSON USING COMPRESSION zstd NOT NULL
);
CREATE TABLE lifecycleWorkflowUserProcessingResults (
    id VARCHAR NOT NULL, workflowId VARCHAR, runId VARCHAR, subjectId VARCHAR,
    processingStatus VARCHAR, workflowExecutionType VARCHAR, workflowVersion INTEGER,
    scheduledDateTime TIMESTAMPTZ, startedDateTime TIMESTAMPTZ, completedDateTime TIMESTAMPTZ,
    totalTasksCount INTEGER, failedTasksCount INTEGER, totalUnprocessedTasksCount INTEGER,
    taskProcessingResults JSON USING COMPRESSION zstd, raw JSON USING COMPRESSION zstd NOT NULL
);
CREATE TABLE lifecycleWorkflowTaskProcessingResults (
    id VARCHAR NOT NULL, workflowId VARCHAR, runId VARCHAR, userProcessingResultId VARCHAR,
    subjectId VARCHAR, processingStatus VARCHAR, failureReason VARCHAR,
    createdDateTime TIMESTAMPTZ, startedDateTime TIMESTAMPTZ, completedDateTime TIMESTAMPTZ,
    task JSON USING COMPRESSION zstd, raw JSON USING COMPRESSION zstd NOT NULL
);
CREATE TABLE lifecycleWorkflowTaskReports (
    id VARCHAR NOT NULL, workflowId VARCHAR, runId VARCHAR, processingStatus VARCHAR,
    successfulUsersCount INTEGER, failedUsersCount INTEGER, unprocessedUsersCount INTEGER,
    totalUsersCount INTEGER, startedDateTime TIMESTAMPTZ, completedDateTime TIMESTAMPTZ,
    lastUpdatedDateTime TIMESTAMPTZ, task JSON USING COMPRESSION zstd,
    raw JSON USING COMPRESSION zstd NOT NULL
);
-- Versioned like every directory collection (a run's status changes as it proceeds); the
-- tables are new, so there is no state to start their history with.
INSERT INTO object_versions SELECT 'lifecycleWorkflowVersions', id, 1, NULL, raw FROM "lifecycleWorkflowVersions"
WHERE EXISTS (SELECT 1 FROM store_versions);
INSERT INTO object_versions SELECT 'lifecycleWorkflowRuns', id, 1, NULL, raw FROM "lifecycleWorkflowRuns"
WHERE EXISTS (SELECT 1 FROM store_versions);
INSERT INTO object_versions SELECT 'lifecycleWorkflowUserProcessingResults', id, 1, NULL, raw FROM "lifecycleWorkflowUserProcessingResults"
WHERE EXISTS (SELECT 1 FROM store_versions);
INSERT INTO object_versions SELECT 'lifecycleWorkflowTaskProcessingResults', id, 1, NULL, raw FROM "lifecycleWorkflowTaskProcessingResults"
WHERE EXISTS (SELECT 1 FROM store_versions);
INSERT INTO object_versions SELECT 'lifecycleWorkflowTaskReports', id, 1, NULL, raw FROM "lifecycleWorkflowTaskReports"
WHERE EXISTS (SELECT 1 FROM store_versions);
