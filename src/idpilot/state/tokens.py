"""API bearer tokens: issued once, kept only as a hash, revocable, optionally expiring.

A secret is `idp_` and 32 random bytes (URL-safe base64); the state keeps its SHA-256, which is
enough for a random secret of that length (no dictionary to try), and looks it up by hash.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime, timedelta
from enum import StrEnum

from pydantic import BaseModel

from idpilot.errors import IdpilotError
from idpilot.state.roles import Role
from idpilot.store.app_state import AppState

SECRET_PREFIX = "idp_"
SECRET_BYTES = 32
ID_PREFIX = "tok_"
ID_HEX_CHARS = 12
MAX_USER_CHARS = 100
_DURATION = re.compile(r"^\s*(\d+)\s*([mhdw])\s*$", re.I)
_UNITS = {
    "m": timedelta(minutes=1),
    "h": timedelta(hours=1),
    "d": timedelta(days=1),
    "w": timedelta(weeks=1),
}


class TokenProblem(StrEnum):
    """Why a presented token is refused (each a stable error code of the API)."""

    missing = "missing_token"
    invalid = "invalid_token"
    revoked = "revoked_token"
    expired = "expired_token"


class TokenError(IdpilotError):
    """A token cannot be issued, found or used; `problem` says why when it was presented."""

    def __init__(self, message: str, problem: TokenProblem | None = None) -> None:
        self.problem = problem
        super().__init__(message)


class UnknownTokenError(TokenError):
    """No token has the id given (to revoke it)."""


class TokenRecord(BaseModel):
    """A token as the state keeps it (no secret)."""

    id: str
    user: str
    role: Role
    created_at: datetime
    expires_at: datetime | None = None
    revoked_at: datetime | None = None

    def state_at(self, now: datetime) -> str:
        """`active`, `revoked` or `expired` at `now`."""
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= now:
            return "expired"
        return "active"


class IssuedToken(BaseModel):
    """A token just created: its record and the secret, which is shown this once."""

    record: TokenRecord
    secret: str


def hash_secret(secret: str) -> str:
    """The SHA-256 of a secret, as the state stores and looks it up."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def parse_duration(text: str) -> timedelta:
    """`30d`, `12h`, `2w`, `90m` as a duration (TokenError otherwise)."""
    match = _DURATION.match(text)
    if match is None or int(match.group(1)) == 0:
        raise TokenError(
            f"{text!r} is not a duration: write a number and a unit, m, h, d or w (30d, 12h, 2w)"
        )
    try:
        return int(match.group(1)) * _UNITS[match.group(2).lower()]
    except OverflowError:
        raise TokenError(f"{text!r} is too long a duration") from None


def _record(row: dict[str, object]) -> TokenRecord:
    return TokenRecord(
        id=str(row["id"]),
        user=str(row["user_name"]),
        role=Role(str(row["role"])),
        created_at=row["created_at"],  # type: ignore[arg-type]
        expires_at=row["expires_at"],  # type: ignore[arg-type]
        revoked_at=row["revoked_at"],  # type: ignore[arg-type]
    )


def issue_token(
    state: AppState, user: str, role: Role, expires_in: timedelta | None, now: datetime
) -> IssuedToken:
    """Create a token for `user` with `role`; the secret is returned once and stored hashed."""
    name = user.strip()
    if not name or len(name) > MAX_USER_CHARS or not name.isprintable():
        raise TokenError(
            f"a user name is 1 to {MAX_USER_CHARS} printable characters (got {len(name)})"
        )
    secret = SECRET_PREFIX + secrets.token_urlsafe(SECRET_BYTES)
    record = TokenRecord(
        id=ID_PREFIX + secrets.token_hex(ID_HEX_CHARS // 2),
        user=name,
        role=role,
        created_at=now,
        expires_at=now + expires_in if expires_in is not None else None,
    )
    state.add_token(
        record.id, record.user, record.role.value, hash_secret(secret), now, record.expires_at
    )
    return IssuedToken(record=record, secret=secret)


def authenticate(state: AppState, secret: str | None, now: datetime) -> TokenRecord:
    """The active token a secret belongs to, or TokenError saying why it is refused."""
    if not secret:
        raise TokenError(
            "This route needs a bearer token: send 'Authorization: Bearer <token>' "
            "(`idpilot token create` makes one).",
            TokenProblem.missing,
        )
    row = state.token_by_hash(hash_secret(secret))
    if row is None:
        raise TokenError("The bearer token is not valid.", TokenProblem.invalid)
    record = _record(row)
    status = record.state_at(now)
    if status == "revoked":
        raise TokenError(f"The bearer token {record.id} was revoked.", TokenProblem.revoked)
    if status == "expired":
        raise TokenError(f"The bearer token {record.id} has expired.", TokenProblem.expired)
    return record


def list_tokens(state: AppState) -> list[TokenRecord]:
    """Every token, oldest first, without secrets."""
    return [_record(row) for row in state.tokens()]


def revoke_token(state: AppState, token_id: str, now: datetime) -> TokenRecord:
    """Revoke the token `token_id` (TokenError when there is none)."""
    row = state.revoke_token(token_id.strip(), now)
    if row is None:
        raise UnknownTokenError(
            f"No token has the id {token_id!r} (`idpilot token list` shows them)."
        )
    return _record(row)
