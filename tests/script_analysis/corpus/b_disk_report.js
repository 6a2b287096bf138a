// Report free space on each fixed drive.
var fso = new ActiveXObject("Scripting.FileSystemObject");
var drives = new Enumerator(fso.Drives);
for (; !drives.atEnd(); drives.moveNext()) {
    var d = drives.item();
    if (d.DriveType == 2) {
        WScript.Echo(d.DriveLetter + ": " + Math.round(d.FreeSpace / 1073741824) + " GB free");
    }
}
