# Print the trusted named locations and their ranges.
Connect-MgGraph -Scopes "Policy.Read.All" -NoWelcome
Get-MgIdentityConditionalAccessNamedLocation | ForEach-Object {
    Write-Output $_.DisplayName
    $_.AdditionalProperties.ipRanges | ForEach-Object { Write-Output ("  " + $_.cidrAddress) }
}
Write-Output "Office egress: 192.0.2.0/24"
