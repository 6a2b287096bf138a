"""Who is calling: the bearer token checked on every request, its role, its quota.

Routes declare the role they need and the units they cost with `access(role, units)`; the check
runs on the server for each request, before the route's body is read or its work done.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from idpilot.api.config import ServerConfig
from idpilot.api.errors import ApiError
from idpilot.state.quota import charge
from idpilot.state.roles import Role
from idpilot.state.tokens import TokenRecord, authenticate

ROLE_KEY = "x-idpilot-role"
"""The OpenAPI extension on each operation naming the role it needs."""
UNITS_KEY = "x-idpilot-units"
"""The OpenAPI extension on each operation naming the quota units it costs."""

bearer = HTTPBearer(
    auto_error=False,
    description="A token from `idpilot token create` (or POST /api/tokens), as "
    "'Authorization: Bearer <token>'.",
)


@dataclass(frozen=True)
class Caller:
    """The authenticated caller of a request."""

    token: TokenRecord

    @property
    def user(self) -> str:
        """The user the token was issued to."""
        return self.token.user

    @property
    def role(self) -> Role:
        """The token's role."""
        return self.token.role


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
        with config.app_state() as state:
            token = authenticate(state, secret, now)
            if not token.role.allows(role):
                raise ApiError(
                    403,
                    "forbidden",
                    f"This route needs the {role.value} role; the token {token.id} has the "
                    f"{token.role.value} role.",
                )
            if units:
                charge(state, token.user, units, config.quota_units_per_day, now)
        return Caller(token)

    check.__name__ = f"{role.value}_access"
    return check


def route_access(role: Role, units: int = 0) -> dict[str, object]:
    """The OpenAPI extensions that document a route's role and cost."""
    return {ROLE_KEY: role.value, UNITS_KEY: units}
