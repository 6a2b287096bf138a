"""What can go wrong with Entra ID sign-in beyond a refused token (a TokenError, 401)."""

from __future__ import annotations

from idpilot.errors import IdpilotError


class UnmappedRoleError(IdpilotError):
    """A valid Entra token whose app roles and groups give none of idpilot's roles (403)."""


class IdentityProviderError(IdpilotError):
    """The tenant's OpenID Connect metadata or signing keys cannot be read or make no sense
    (503)."""
