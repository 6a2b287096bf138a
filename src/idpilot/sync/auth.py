"""Graph tokens for a sync from `azure-identity` (the `sync` extra), by the way the admin signs in.

App-only: a client secret or a certificate of an app registration (the application permissions
of `endpoints`, admin-consented). Delegated: device code or an interactive browser sign-in (the
same permissions as delegated ones, and a role that can read them). Managed identity: the
identity of the Azure host the sync runs on. `azure-identity` is imported only here, and only
when a sync signs in.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any

from idpilot.errors import IdpilotError

TokenSource = Callable[[], str]
"""Returns a bearer token for Graph (called from a worker thread; may block)."""


class AuthMode(StrEnum):
    """How the sync signs in."""

    secret = "secret"
    certificate = "certificate"
    device_code = "device-code"
    interactive = "interactive"
    managed_identity = "managed-identity"


def graph_scope(base_url: str) -> str:
    """The `.default` scope of the Graph cloud at `base_url`."""
    return f"{base_url.rstrip('/')}/.default"


def token_source(
    mode: AuthMode,
    tenant: str,
    client_id: str,
    *,
    secret: str = "",
    certificate: str = "",
    scope: str = "https://graph.microsoft.com/.default",
    service: str = "Graph",
) -> TokenSource:
    """A function returning a bearer token for `scope` (Graph unless said), signed in the way
    `mode` says; `service` names what the token is for in a failed sign-in's message."""
    credential = _credential(mode, tenant, client_id, secret, certificate)

    def token() -> str:
        try:
            return credential.get_token(scope).token
        except Exception as error:  # azure-identity raises its own kinds; all mean "no token"
            raise IdpilotError(f"could not sign in to {service} ({mode.value}): {error}") from None

    return token


def _credential(mode: AuthMode, tenant: str, client_id: str, secret: str, certificate: str) -> Any:
    try:
        import azure.identity as identity
    except ImportError:
        raise IdpilotError(
            "signing in to Microsoft services needs azure-identity: pip install 'idpilot[sync]'"
        ) from None
    needs_app = mode in (AuthMode.secret, AuthMode.certificate)
    if needs_app and not tenant:
        raise IdpilotError(f"--auth {mode.value} needs the tenant: --tenant ID or domain")
    if needs_app and not client_id:
        raise IdpilotError(
            f"--auth {mode.value} needs the app's client id (IDPILOT_GRAPH_CLIENT_ID)"
        )
    if mode is AuthMode.secret:
        if not secret:
            raise IdpilotError(
                "--auth secret needs the client secret (IDPILOT_GRAPH_CLIENT_SECRET)"
            )
        return identity.ClientSecretCredential(tenant, client_id, secret)
    if mode is AuthMode.certificate:
        if not certificate:
            raise IdpilotError(
                "--auth certificate needs a PEM or PFX file (IDPILOT_GRAPH_CERTIFICATE)"
            )
        return identity.CertificateCredential(tenant, client_id, certificate_path=certificate)
    chosen = {"client_id": client_id} if client_id else {}  # else the library's default app
    if tenant:  # else the account's home tenant
        chosen["tenant_id"] = tenant
    if mode is AuthMode.device_code:
        return identity.DeviceCodeCredential(**chosen)
    if mode is AuthMode.interactive:
        return identity.InteractiveBrowserCredential(**chosen)
    if client_id:  # a user-assigned identity; the host's own one otherwise
        return identity.ManagedIdentityCredential(client_id=client_id)
    return identity.ManagedIdentityCredential()
