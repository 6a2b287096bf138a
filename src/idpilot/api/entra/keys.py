"""The tenant's token signing keys: read from the `jwks_uri` its OpenID Connect metadata names,
kept for a day, and read again when a token names a key not yet seen (Entra rolls its keys over
without notice), at most once a minute so made-up key ids cannot make the server hammer Entra.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from jwt import PyJWK
from jwt.exceptions import PyJWKError

from idpilot.api.entra.errors import IdentityProviderError

KEYS_MAX_AGE_SECONDS = 24 * 3600.0
"""Microsoft suggests checking for new signing keys every 24 hours."""
MIN_REFRESH_SECONDS = 60.0
"""The least time between two reads of the keys prompted by an unknown key id."""
FETCH_TIMEOUT_SECONDS = 10.0
SIGNING_ALGORITHM = "RS256"
TENANT_PLACEHOLDER = "{tenantid}"

Fetch = Callable[[str], dict[str, Any]]
"""Reads a JSON document from a URL (IdentityProviderError when it cannot)."""


def fetch_json(url: str) -> dict[str, Any]:
    """The JSON object at `url`, read with httpx (no redirects followed)."""
    import httpx

    try:
        response = httpx.get(url, timeout=FETCH_TIMEOUT_SECONDS, follow_redirects=False)
        response.raise_for_status()
        document = response.json()
    except (httpx.HTTPError, ValueError) as error:
        raise IdentityProviderError(f"cannot read {url}: {error}") from None
    if not isinstance(document, dict):
        raise IdentityProviderError(f"{url} is not a JSON object")
    return document


def _signing_keys(jwks: dict[str, Any], issuer: str, tenant_id: str) -> dict[str, Any]:
    """The RSA signature keys of a JWKS by key id, leaving out keys for another issuer
    (a key's `issuer` may name the tenant as `{tenantid}`)."""
    keys: dict[str, Any] = {}
    for entry in jwks.get("keys", ()):
        if not isinstance(entry, dict) or not isinstance(entry.get("kid"), str):
            continue
        if entry.get("kty") != "RSA" or entry.get("use", "sig") != "sig":
            continue
        key_issuer = entry.get("issuer")
        if isinstance(key_issuer, str) and key_issuer.replace(TENANT_PLACEHOLDER, tenant_id) != (
            issuer
        ):
            continue
        try:
            keys[entry["kid"]] = PyJWK(entry, algorithm=SIGNING_ALGORITHM).key
        except PyJWKError:
            continue
    return keys


def _trusted(url: str, metadata_url: str) -> bool:
    """Whether keys may be read from `url`: over https, or from the metadata's own origin."""
    parts, origin = urlsplit(url), urlsplit(metadata_url)
    return parts.scheme == "https" or (parts.scheme, parts.netloc) == (origin.scheme, origin.netloc)


@dataclass
class SigningKeys:
    """The signing keys of the issuer whose metadata is at `metadata_url`, cached."""

    metadata_url: str
    issuer: str
    tenant_id: str
    fetch: Fetch = fetch_json
    monotonic: Callable[[], float] = time.monotonic
    max_age_seconds: float = KEYS_MAX_AGE_SECONDS
    min_refresh_seconds: float = MIN_REFRESH_SECONDS
    fetches: int = 0
    """How many times the keys were read (for tests and diagnostics)."""
    _keys: dict[str, Any] = field(default_factory=dict)
    _read_at: float | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def key_for(self, kid: str) -> Any | None:
        """The public key with id `kid`, reading the keys again when they are a day old or
        `kid` is new to them (None when the issuer does not publish it)."""
        with self._lock:
            now = self.monotonic()
            age = None if self._read_at is None else now - self._read_at
            stale = age is None or age >= self.max_age_seconds
            unknown = kid not in self._keys and (age is None or age >= self.min_refresh_seconds)
            if stale or unknown:
                try:
                    self._refresh(now)
                except IdentityProviderError:
                    if kid not in self._keys:
                        raise
                    self._read_at = now - self.max_age_seconds + self.min_refresh_seconds
            return self._keys.get(kid)

    def _refresh(self, now: float) -> None:
        metadata = self.fetch(self.metadata_url)
        if metadata.get("issuer") != self.issuer:
            raise IdentityProviderError(
                f"{self.metadata_url} names the issuer {metadata.get('issuer')!r}, not "
                f"{self.issuer!r}: check IDPILOT_ENTRA_TENANT_ID and IDPILOT_ENTRA_AUTHORITY"
            )
        jwks_uri = metadata.get("jwks_uri")
        if not isinstance(jwks_uri, str) or not _trusted(jwks_uri, self.metadata_url):
            raise IdentityProviderError(
                f"{self.metadata_url} names no https jwks_uri (got {jwks_uri!r})"
            )
        self._keys = _signing_keys(self.fetch(jwks_uri), self.issuer, self.tenant_id)
        self._read_at = now
        self.fetches += 1
