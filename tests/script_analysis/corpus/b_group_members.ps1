# Members of the helpdesk group, for the quarterly attestation.
Connect-MgGraph -Scopes "GroupMember.Read.All" -NoWelcome
$groupId = "5f3c2e1a-9b8d-4c7e-a6f5-0e1d2c3b4a59"
Get-MgGroupMember -GroupId $groupId -All | ForEach-Object {
    Get-MgUser -UserId $_.Id -Property DisplayName, UserPrincipalName
} | Sort-Object DisplayName | Format-Table DisplayName, UserPrincipalName
