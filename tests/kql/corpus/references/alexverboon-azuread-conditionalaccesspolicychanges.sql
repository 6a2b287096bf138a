-- Conditional Access policy changes: when, what, which policy, by whom.
SELECT TimeGenerated, OperationName,
    json_extract(TargetResources, '$[0].displayName') AS policy,
    json_extract(InitiatedBy, '$.user.userPrincipalName') AS modifiedBy
FROM AuditLogs
WHERE regexp_matches(OperationName, '(?i)(^|[^[:alnum:]])conditional access policy([^[:alnum:]]|$)')
