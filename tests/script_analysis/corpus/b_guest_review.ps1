# List guests invited more than a year ago, for the access review.
Connect-MgGraph -TenantId "contoso.onmicrosoft.com" -Scopes "User.Read.All" -NoWelcome
$guests = Get-MgUser -Filter "userType eq 'Guest'" -All -Property DisplayName, Mail, CreatedDateTime
$old = $guests | Where-Object { $_.CreatedDateTime -lt (Get-Date).AddYears(-1) }
foreach ($guest in $old) {
    Write-Output ("{0} <{1}> invited {2}" -f $guest.DisplayName, $guest.Mail, $guest.CreatedDateTime)
}
Send-MailMessage -To "it-security@contoso.com" -Subject "Guest review" -Body ($old | Out-String) -SmtpServer "smtp.contoso.com"
