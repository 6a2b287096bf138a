# Check that a workstation can reach Entra ID and that WinRM policy is set.
$policy = Get-ItemProperty -Path "HKLM:\SOFTWARE\Policies\Microsoft\Windows\WinRM\Service" -ErrorAction SilentlyContinue
if ($policy) { Write-Output "WinRM policy present" }
Test-NetConnection -ComputerName "login.microsoftonline.com" -Port 443
Test-NetConnection -ComputerName "10.20.30.40" -Port 5985
Get-Content -Path "C:\Windows\Logs\DirectoryServices\setup.log" -Tail 20
