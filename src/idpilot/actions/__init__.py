"""Write actions idpilot can propose (never execute): typed Microsoft Graph requests."""

from idpilot.actions.proposals import (
    GraphRequest,
    HttpMethod,
    Proposal,
    ProposalKind,
    conditional_access_policy_request,
    confirm_compromised,
    confirm_service_principal_compromised,
    create_conditional_access_policy,
    create_group,
    create_lifecycle_workflow,
    disable_account,
    dismiss_risk,
    remove_application_password,
    remove_service_principal_password,
    require_password_reset,
    revoke_sessions,
)

__all__ = [
    "GraphRequest",
    "HttpMethod",
    "Proposal",
    "ProposalKind",
    "conditional_access_policy_request",
    "confirm_compromised",
    "confirm_service_principal_compromised",
    "create_conditional_access_policy",
    "create_group",
    "create_lifecycle_workflow",
    "disable_account",
    "dismiss_risk",
    "remove_application_password",
    "remove_service_principal_password",
    "require_password_reset",
    "revoke_sessions",
]
