# Report accounts that have not signed in for 90 days (read-only).
Connect-MgGraph -Scopes "User.Read.All", "AuditLog.Read.All" -NoWelcome
$cutoff = (Get-Date).AddDays(-90)
$users = Get-MgUser -All -Property Id, DisplayName, UserPrincipalName, SignInActivity
$stale = $users | Where-Object { $_.SignInActivity.LastSignInDateTime -lt $cutoff }
$stale | Select-Object DisplayName, UserPrincipalName | Export-Csv -Path "C:\Reports\inactive-users.csv" -NoTypeInformation
Write-Output "Found $($stale.Count) inactive accounts"
