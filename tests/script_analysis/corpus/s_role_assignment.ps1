# Give an account the Global Administrator role.
Connect-MgGraph -Scopes "RoleManagement.ReadWrite.Directory"
$user = Get-MgUser -UserId "svc-sync@contoso.com"
New-MgRoleManagementDirectoryRoleAssignment -PrincipalId $user.Id -RoleDefinitionId "62e90394-69f5-4237-9190-012177145e10" -DirectoryScopeId "/"
