"""Deterministic identifiers and timestamps: every id comes from a seeded rng, never uuid4/now()."""

from __future__ import annotations

import base64
import random
import uuid
from datetime import UTC, datetime, timedelta

CAPTURED_AT = datetime(2026, 11, 20, 10, 0, 0, tzinfo=UTC)
"""The fixed capture anchor of every demo snapshot; activity spans the days before it."""

MICROSOFT_TENANT_ID = "f8cdef31-a31e-4b4a-93e4-5f571e91255a"


def stream(seed: int, name: str) -> random.Random:
    """An independent rng per concern, so adding a scenario never shifts the baseline data."""
    return random.Random(f"{seed}:{name}")


def guid(rng: random.Random) -> str:
    """A version-4 shaped GUID drawn from `rng`."""
    h = f"{rng.getrandbits(128):032x}"
    variant = "89ab"[int(h[16], 16) & 3]
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{variant}{h[17:20]}-{h[20:32]}"


def hex_id(rng: random.Random, nbytes: int = 32) -> str:
    """A lowercase hex id, as Identity Protection uses for risk detections."""
    return f"{rng.getrandbits(nbytes * 8):0{nbytes * 2}x}"


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def role_assignment_id(role_definition_id: str, principal_id: str) -> str:
    """Graph's unifiedRoleAssignment id: base64url(role bytes_le + principal bytes_le) + "-1"."""
    raw = uuid.UUID(role_definition_id).bytes_le + uuid.UUID(principal_id).bytes_le
    return _b64(raw) + "-1"


def grant_id(*guids: str) -> str:
    """Graph's oauth2PermissionGrant id: base64url of client, resource (and principal) bytes_le."""
    return _b64(b"".join(uuid.UUID(g).bytes_le for g in guids))


def app_role_assignment_id(rng: random.Random, principal_id: str) -> str:
    """Graph's appRoleAssignment id: base64url of the principal bytes_le and 16 opaque bytes."""
    return _b64(uuid.UUID(principal_id).bytes_le + rng.getrandbits(128).to_bytes(16, "big"))


def iso(when: datetime) -> str:
    """ISO 8601 UTC with a Z suffix, as Graph writes timestamps."""
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def iso_ts(epoch: float) -> str:
    """ISO 8601 UTC from epoch seconds (the fast path for sign-ins)."""
    return iso(datetime.fromtimestamp(int(epoch), UTC))


def days_before(days: float, anchor: datetime = CAPTURED_AT) -> datetime:
    return anchor - timedelta(days=days)
