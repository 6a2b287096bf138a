# Disable devices that have not checked in for 120 days, after writing them to a log.
Connect-MgGraph -Scopes "Device.ReadWrite.All" -NoWelcome
$threshold = (Get-Date).AddDays(-120)
$stale = Get-MgDevice -All | Where-Object { $_.ApproximateLastSignInDateTime -lt $threshold }
$stale | Select-Object DisplayName, DeviceId | Export-Csv "E:\Logs\stale-devices.csv" -NoTypeInformation
foreach ($device in $stale) {
    Update-MgDevice -DeviceId $device.Id -AccountEnabled:$false
}
