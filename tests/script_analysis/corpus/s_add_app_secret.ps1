# Add a client secret to the reporting app.
Connect-MgGraph -TenantId "6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b" -Scopes "Application.ReadWrite.All"
$app = Get-MgApplication -Filter "appId eq '2b8e6f4a-7c1d-4e9b-a3f2-8d7c6b5a4e3f'"
$secret = Add-MgApplicationPassword -ApplicationId $app.Id -PasswordCredential @{ displayName = "rotation" }
Write-Output $secret.SecretText
