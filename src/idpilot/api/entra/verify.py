"""Checking an Entra ID v2.0 access token and mapping it to one of idpilot's roles.

The checks follow Microsoft's access token reference: an RS256 signature by a key the tenant
publishes (`kid`), the exact issuer of the tenant's metadata, `tid` the configured tenant, `aud`
the API's client id, `ver` 2.0, `exp` and `nbf` with the configured clock skew. Only access
tokens are accepted: an ID token (no `azp`, or a `nonce`) is refused, a user's token must carry
the API's delegated scope in `scp`, an application's token (no `scp`) its app roles. The role is
the highest one `IDPILOT_ENTRA_ROLES` gives to a value of the `roles` claim (app roles) or the
`groups` claim (group object ids); none is 403 `no_mapped_role`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import jwt
from jwt.exceptions import InvalidTokenError

from idpilot.api.entra.config import EntraConfig
from idpilot.api.entra.errors import UnmappedRoleError
from idpilot.api.entra.keys import SIGNING_ALGORITHM, SigningKeys
from idpilot.state.roles import Role
from idpilot.state.tokens import TokenError, TokenProblem

TOKEN_VERSION = "2.0"
REQUIRED_CLAIMS = ("iss", "aud", "exp", "nbf", "tid", "oid", "ver", "azp")
OVERAGE_CLAIM = "_claim_names"
"""Where a token says its groups were too many to list (a Graph lookup idpilot does not do)."""
NAME_CLAIMS = ("preferred_username", "upn", "oid")
"""The caller's name for the audit trail, quotas and sessions: the first of these present."""
ID_PREFIX = "entra:"
"""An Entra caller's token id in the audit trail: `entra:` and the caller's object id."""


@dataclass(frozen=True)
class EntraIdentity:
    """Who a valid Entra access token stands for, and the role it maps to."""

    name: str
    object_id: str
    role: Role

    @property
    def token_id(self) -> str:
        """The id the audit trail records for this caller's tokens."""
        return ID_PREFIX + self.object_id


def looks_like_jwt(secret: str) -> bool:
    """Whether a bearer secret has a JWT's shape (three dot-separated parts, a JSON header)."""
    return secret.count(".") == 2 and secret.startswith("eyJ")


def _refuse(message: str, problem: TokenProblem = TokenProblem.invalid) -> TokenError:
    return TokenError(f"The Entra ID token is not accepted: {message}.", problem)


def _claims(token: str, config: EntraConfig, keys: SigningKeys) -> dict[str, Any]:
    """The token's claims once its header, signature, issuer and audience check out."""
    try:
        header = jwt.get_unverified_header(token)
    except InvalidTokenError:
        raise _refuse("it is not a well-formed JWT") from None
    if header.get("alg") != SIGNING_ALGORITHM:
        raise _refuse(f"it is signed with {header.get('alg')!r}; only RS256 is accepted")
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        raise _refuse("its header names no signing key (kid)")
    key = keys.key_for(kid)
    if key is None:
        raise _refuse("its signing key is not one the tenant publishes")
    try:
        return jwt.decode(
            token,
            key,
            algorithms=[SIGNING_ALGORITHM],
            audience=config.client_id,
            issuer=config.issuer,
            options={
                "require": list(REQUIRED_CLAIMS),
                "verify_exp": False,
                "verify_nbf": False,
                "verify_iat": False,
            },
        )
    except jwt.InvalidAudienceError:
        raise _refuse(f"it is not meant for this API (aud is not {config.client_id})") from None
    except jwt.InvalidIssuerError:
        raise _refuse(f"it was not issued by {config.issuer}") from None
    except jwt.MissingRequiredClaimError as error:
        raise _refuse(f"it lacks the {error.claim!r} claim") from None
    except InvalidTokenError:
        raise _refuse("its signature does not verify") from None


def _check_times(claims: dict[str, Any], now: datetime, skew: float) -> None:
    """Refuse a token outside its `nbf`..`exp` window, allowing `skew` seconds either side."""
    at = now.timestamp()
    expires, not_before = claims["exp"], claims["nbf"]
    if not all(isinstance(v, int | float) for v in (expires, not_before)):
        raise _refuse("its exp or nbf is not a time")
    if at > expires + skew:
        raise _refuse("it has expired", TokenProblem.expired)
    if at < not_before - skew:
        raise _refuse("it is not valid yet (nbf)")


def _check_kind(claims: dict[str, Any], config: EntraConfig) -> None:
    """Refuse what is not a v2.0 access token of the tenant for this API."""
    if claims["ver"] != TOKEN_VERSION:
        raise _refuse("it is not a v2.0 token (set accessTokenAcceptedVersion to 2)")
    if claims["tid"] != config.tenant_id:
        raise _refuse(f"it is from another tenant than {config.tenant_id}")
    if "nonce" in claims:
        raise _refuse("it is an ID token; send an access token for this API")
    scopes = claims.get("scp")
    if scopes is not None:
        if not isinstance(scopes, str) or config.scope not in scopes.split():
            raise _refuse(f"it does not carry the {config.scope!r} scope")
    elif not claims.get("roles"):
        raise _refuse("it carries neither a delegated scope nor app roles")


def _values(claims: dict[str, Any], name: str) -> list[str]:
    found = claims.get(name)
    return [v for v in found if isinstance(v, str)] if isinstance(found, list) else []


def mapped_role(claims: dict[str, Any], roles: dict[str, Role]) -> Role | None:
    """The highest role the token's app roles or group ids map to (None: none maps)."""
    granted = [roles[v] for v in _values(claims, "roles") if v in roles]
    granted += [roles[g.lower()] for g in _values(claims, "groups") if g.lower() in roles]
    return max(granted, key=lambda role: role.rank, default=None)


def caller_name(claims: dict[str, Any]) -> str:
    """The caller's name: `preferred_username`, else `upn`, else the object id."""
    for claim in NAME_CLAIMS:
        value = claims.get(claim)
        if isinstance(value, str) and value.strip() and value.isprintable():
            return value.strip()
    return str(claims["oid"])


def verify_access_token(
    token: str, config: EntraConfig, keys: SigningKeys, now: datetime
) -> EntraIdentity:
    """The identity a v2.0 access token of the configured tenant stands for (TokenError, 401,
    when it is not one; UnmappedRoleError, 403, when no role is mapped to it)."""
    claims = _claims(token, config, keys)
    _check_times(claims, now, config.clock_skew_seconds)
    _check_kind(claims, config)
    name = caller_name(claims)
    role = mapped_role(claims, config.roles)
    if role is None:
        overage = isinstance(claims.get(OVERAGE_CLAIM), dict) and "groups" in claims.get(
            OVERAGE_CLAIM, {}
        )
        hint = (
            " (the token lists no groups: the user is in too many; use app roles, or emit only "
            "the groups assigned to the application)"
            if overage or claims.get("hasgroups")
            else ""
        )
        raise UnmappedRoleError(
            f"{name} signed in with Entra ID, but none of the token's app roles or groups is "
            f"mapped to an idpilot role{hint}: assign an app role of the app registration, "
            "or map a group in IDPILOT_ENTRA_ROLES."
        )
    return EntraIdentity(name=name, object_id=str(claims["oid"]), role=role)


@dataclass
class EntraSignIn:
    """Entra ID sign-in for a server: its configuration and the tenant's signing keys."""

    config: EntraConfig
    keys: SigningKeys

    @classmethod
    def of(cls, config: EntraConfig) -> EntraSignIn:
        """Sign-in with `config`, its keys read from the tenant's metadata when first needed."""
        return cls(config, SigningKeys(config.metadata_url, config.issuer, config.tenant_id))

    @classmethod
    def from_settings(cls) -> EntraSignIn | None:
        """Sign-in as the `IDPILOT_ENTRA_*` settings configure it (None: off)."""
        config = EntraConfig.from_settings()
        return None if config is None else cls.of(config)

    def verify(self, token: str, now: datetime) -> EntraIdentity:
        """The identity `token` stands for (see `verify_access_token`)."""
        return verify_access_token(token, self.config, self.keys, now)
