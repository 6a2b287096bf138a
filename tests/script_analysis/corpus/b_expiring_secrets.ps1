# App registrations whose client secrets expire within 30 days (read-only).
Connect-MgGraph -Scopes "Application.Read.All" -NoWelcome
$limit = (Get-Date).AddDays(30)
foreach ($app in Get-MgApplication -All) {
    foreach ($secret in $app.PasswordCredentials) {
        if ($secret.EndDateTime -lt $limit) {
            Write-Output ("{0} ({1}): secret {2} expires {3}" -f $app.DisplayName, $app.AppId, $secret.DisplayName, $secret.EndDateTime)
        }
    }
}
