"""Write actions idpilot can propose (never execute): typed Microsoft Graph requests."""

from idpilot.actions.proposals import (
    GraphRequest,
    Proposal,
    ProposalKind,
    confirm_compromised,
    confirm_service_principal_compromised,
    disable_account,
    dismiss_risk,
    remove_application_password,
    remove_service_principal_password,
    require_password_reset,
    revoke_sessions,
)

__all__ = [
    "GraphRequest",
    "Proposal",
    "ProposalKind",
    "confirm_compromised",
    "confirm_service_principal_compromised",
    "disable_account",
    "dismiss_risk",
    "remove_application_password",
    "remove_service_principal_password",
    "require_password_reset",
    "revoke_sessions",
]
