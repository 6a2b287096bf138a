-- Updated Conditional Access policies with the actor.
SELECT TimeGenerated,
    json_extract(InitiatedBy, '$.user.userPrincipalName') AS Actor,
    json_extract(TargetResources, '$[0].displayName') AS DeletedPolicy,
    TargetResources
FROM AuditLogs
WHERE OperationName = 'Update conditional access policy'
