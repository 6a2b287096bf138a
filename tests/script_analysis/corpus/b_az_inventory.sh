#!/bin/bash
# Export users and groups with the Azure CLI for the audit.
az login --tenant contoso.onmicrosoft.com
az ad user list --query "[].{upn:userPrincipalName,enabled:accountEnabled}" -o json > /tmp/audit/users.json
az ad group list --query "[].displayName" -o tsv > /tmp/audit/groups.txt
curl -s -H "Authorization: Bearer $TOKEN" https://graph.microsoft.com/v1.0/organization > /tmp/audit/org.json
echo "done"
