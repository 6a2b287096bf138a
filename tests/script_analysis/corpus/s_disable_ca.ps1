# Switch off the MFA policy for a maintenance window.
Connect-MgGraph -Scopes "Policy.ReadWrite.ConditionalAccess"
$policyId = "7d6c5b4a-3e2f-4a1b-9c8d-7e6f5a4b3c2d"
Update-MgIdentityConditionalAccessPolicy -ConditionalAccessPolicyId $policyId -State "disabled"
