-- Updated Conditional Access policies: the policy, who changed it, its old and new JSON.
SELECT TimeGenerated,
    OperationName,
    coalesce(json_extract_string(TargetResources, '$[0].displayName'), '') AS policy,
    coalesce(json_extract_string(InitiatedBy, '$.user.userPrincipalName'), '') AS modifiedBy,
    split_part(coalesce(json_extract_string(InitiatedBy, '$.user.userPrincipalName'), ''), '@', 1)
        AS accountName,
    split_part(coalesce(json_extract_string(InitiatedBy, '$.user.userPrincipalName'), ''), '@', 2)
        AS upnSuffix,
    coalesce(json_extract_string(TargetResources, '$[0].modifiedProperties[0].oldValue'), '')
        AS oldPolicy,
    coalesce(json_extract_string(TargetResources, '$[0].modifiedProperties[0].newValue'), '')
        AS newPolicy,
    Result
FROM AuditLogs
WHERE OperationName = 'Update conditional access policy'
