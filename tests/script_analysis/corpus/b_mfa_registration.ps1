# Who has not registered an MFA method yet.
Connect-MgGraph -Scopes "AuditLog.Read.All" -NoWelcome
$uri = "https://graph.microsoft.com/v1.0/reports/authenticationMethods/userRegistrationDetails"
$details = Invoke-MgGraphRequest -Method GET -Uri $uri
$missing = $details.value | Where-Object { -not $_.isMfaRegistered }
$missing | ForEach-Object { $_.userPrincipalName } | Set-Content -Path "$env:USERPROFILE\Documents\mfa-missing.txt"
