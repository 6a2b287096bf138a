' Record the operating system version for the inventory.
Dim wmi, items, item
Set wmi = GetObject("winmgmts:\\.\root\cimv2")
Set items = wmi.ExecQuery("SELECT Caption, Version FROM Win32_OperatingSystem")
For Each item In items
    WScript.Echo item.Caption & " " & item.Version
Next
