# Licence usage for the monthly review.
Connect-MgGraph -Scopes "Organization.Read.All" -NoWelcome
$skus = Get-MgSubscribedSku
$rows = foreach ($sku in $skus) {
    [pscustomobject]@{
        Sku      = $sku.SkuPartNumber
        Assigned = $sku.ConsumedUnits
        Total    = $sku.PrepaidUnits.Enabled
    }
}
$rows | Export-Csv -Path "\\fileserver01\reports\licences.csv" -NoTypeInformation
