# Back up every Conditional Access policy as JSON before a change window.
Connect-MgGraph -Scopes "Policy.Read.All" -NoWelcome
$folder = "D:\Backups\ConditionalAccess"
New-Item -ItemType Directory -Path $folder -Force | Out-Null
Get-MgIdentityConditionalAccessPolicy -All | ForEach-Object {
    $_ | ConvertTo-Json -Depth 10 | Out-File -FilePath (Join-Path $folder "$($_.Id).json")
}
Write-Output "Backed up policies to $folder"
