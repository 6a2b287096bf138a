"""Log collection (CISA SCuBA MS.AAD.4.1): where Entra ID sends its logs lives in Azure."""

from __future__ import annotations

from idpilot.posture.base import Baseline, Outcome, check, unknown
from idpilot.posture.data import PostureData
from idpilot.security.severity import Severity

DIAGNOSTIC_SETTINGS = (
    "Entra ID diagnostic settings (Azure Monitor microsoft.aadiam/diagnosticSettings)"
)


@check(
    "IDP-LOG-001",
    "Security logs are sent to the security operations center",
    Severity.high,
    Baseline.cisa_scuba,
    "MS.AAD.4.1v1 Security logs SHALL be sent to the agency's security operations center for "
    "monitoring",
    "In Microsoft Entra ID > Diagnostic settings, send AuditLogs, SignInLogs, "
    "NonInteractiveUserSignInLogs, ServicePrincipalSignInLogs, ManagedIdentitySignInLogs, "
    "RiskyUsers, UserRiskEvents, RiskyServicePrincipals, ServicePrincipalRiskEvents and "
    "MicrosoftGraphActivityLogs to the SOC's workspace or event hub.",
)
def logs_sent_to_soc(data: PostureData) -> Outcome:
    """Undecidable from Microsoft Graph: diagnostic settings are an Azure resource."""
    return unknown([DIAGNOSTIC_SETTINGS])
