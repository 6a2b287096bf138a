# Grant tenant-wide delegated permissions to an application.
Connect-MgGraph -Scopes "DelegatedPermissionGrant.ReadWrite.All"
$params = @{
    clientId    = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"
    consentType = "AllPrincipals"
    resourceId  = "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f"
    scope       = "Mail.Read Files.Read.All"
}
New-MgOauth2PermissionGrant -BodyParameter $params
