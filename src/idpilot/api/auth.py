"""Who is calling: the bearer token checked on every request, its role, its quota.

A bearer is an idpilot token (`idpilot token create`) or, when Entra ID sign-in is configured,
an Entra ID access token for the API (`idpilot.api.entra`). Routes declare the role they need
and the units they cost with `access(role, units)`; the check runs on the server for each
request, before the route's body is read or its work done.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from idpilot.api.config import ServerConfig
from idpilot.api.entra.verify import looks_like_jwt
from idpilot.api.errors import ApiError
from idpilot.state.quota import charge
from idpilot.state.roles import Role
from idpilot.state.tokens import TokenRecord, authenticate
from idpilot.store.app_state import AppState

ROLE_KEY = "x-idpilot-role"
"""The OpenAPI extension on each operation naming the role it needs."""
UNITS_KEY = "x-idpilot-units"
"""The OpenAPI extension on each operation naming the quota units it costs."""

bearer = HTTPBearer(
    auto_error=False,
    description="A token from `idpilot token create` (or POST /api/tokens), or an Entra ID "
    "access token for the API when Entra sign-in is configured, as "
    "'Authorization: Bearer <token>'.",
)


@dataclass(frozen=True)
class Caller:
    """The authenticated caller of a request: the user, the role, and the token's id (an
    idpilot token's, or `entra:<object id>` for an Entra ID access token)."""

    user: str
    role: Role
    token_id: str

    @classmethod
    def of_token(cls, token: TokenRecord) -> Caller:
        """The caller an idpilot token stands for."""
        return cls(user=token.user, role=token.role, token_id=token.id)


def entra_caller(config: ServerConfig, secret: str | None, now: datetime) -> Caller | None:
    """The caller an Entra ID access token stands for, when Entra sign-in is on and `secret`
    is a JWT (None otherwise: an idpilot token, or none). A refused token raises TokenError
    (401), a token without a mapped role UnmappedRoleError (403)."""
    if config.entra is None or not secret or not looks_like_jwt(secret):
        return None
    identity = config.entra.verify(secret, now)
    return Caller(user=identity.name, role=identity.role, token_id=identity.token_id)


def token_caller(state: AppState, secret: str | None, now: datetime) -> Caller:
    """The caller an idpilot token stands for (TokenError, 401, when it is not valid)."""
    return Caller.of_token(authenticate(state, secret, now))


def config_of(request: Request) -> ServerConfig:
    """The configuration of the server handling `request`."""
    config: ServerConfig = request.app.state.config
    return config


def access(role: Role, units: int = 0) -> Callable[..., Caller]:
    """A dependency that admits a caller with a valid token of `role` or above and charges
    `units` to the caller's daily quota (401, 403 or 429 otherwise)."""

    def check(
        request: Request,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)] = None,
    ) -> Caller:
        config = config_of(request)
        now = config.clock()
        secret = credentials.credentials if credentials is not None else None
        caller = entra_caller(config, secret, now)
        with config.app_state() as state:
            if caller is None:
                caller = token_caller(state, secret, now)
            if not caller.role.allows(role):
                raise ApiError(
                    403,
                    "forbidden",
                    f"This route needs the {role.value} role; the token {caller.token_id} has "
                    f"the {caller.role.value} role.",
                )
            if units:
                charge(state, caller.user, units, config.quota_units_per_day, now)
        return caller

    check.__name__ = f"{role.value}_access"
    return check


def route_access(role: Role, units: int = 0) -> dict[str, object]:
    """The OpenAPI extensions that document a route's role and cost."""
    return {ROLE_KEY: role.value, UNITS_KEY: units}
