"""What Entra ID sign-in is configured with: the tenant, the API's app registration, the
authority, the delegated scope, the clock skew and which app roles or groups give which role.

Off unless `IDPILOT_ENTRA_TENANT_ID` is set; then the client id is required too.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from idpilot.errors import SettingError
from idpilot.settings import get_seconds, get_setting
from idpilot.state.roles import Role

_GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
ISSUER_PATH = "/{tenant}/v2.0"
"""A v2.0 token's issuer below the authority (`https://login.microsoftonline.com/{tid}/v2.0`)."""
METADATA_PATH = "/.well-known/openid-configuration"
"""Where OpenID Connect discovery puts the metadata, below the issuer."""


def is_guid(text: str) -> bool:
    """Whether `text` is a GUID in Entra's lower-case form."""
    return bool(_GUID.match(text))


def parse_role_map(text: str, where: str = "IDPILOT_ENTRA_ROLES") -> dict[str, Role]:
    """`VALUE=role,VALUE=role` as a map from an app role value or group object id to a role
    (group ids in lower case); SettingError names a pair that does not parse."""
    mapping: dict[str, Role] = {}
    for pair in (part.strip() for part in text.split(",")):
        if not pair:
            continue
        value, equals, role = (piece.strip() for piece in pair.partition("="))
        if not equals or not value or role not in Role.__members__:
            raise SettingError(
                f"{where}: {pair!r} is not VALUE=ROLE with a role of "
                f"{', '.join(r.value for r in Role)} (an app role value or a group object id)"
            )
        mapping[value.lower() if is_guid(value.lower()) else value] = Role(role)
    return mapping


def _check_authority(authority: str) -> str:
    """The authority without a trailing slash: https, or http on loopback only (a test)."""
    parts = urlsplit(authority)
    host = parts.hostname or ""
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if parts.scheme != "https" and not (parts.scheme == "http" and loopback):
        raise SettingError(
            f"IDPILOT_ENTRA_AUTHORITY={authority!r}: expected an https URL "
            "(http only on loopback, for tests)"
        )
    return authority.rstrip("/")


@dataclass(frozen=True)
class EntraConfig:
    """Entra ID sign-in for one server: tokens from `tenant_id` for the API `client_id`."""

    tenant_id: str
    client_id: str
    roles: dict[str, Role]
    authority: str = "https://login.microsoftonline.com"
    scope: str = "access_as_user"
    clock_skew_seconds: float = 300.0

    @property
    def issuer(self) -> str:
        """The exact `iss` of the tenant's v2.0 tokens."""
        return self.authority + ISSUER_PATH.format(tenant=self.tenant_id)

    @property
    def metadata_url(self) -> str:
        """The tenant's OpenID Connect metadata (its `jwks_uri` names the signing keys)."""
        return self.issuer + METADATA_PATH

    @classmethod
    def from_settings(cls) -> EntraConfig | None:
        """The configuration the `IDPILOT_ENTRA_*` settings give, None when sign-in is off."""
        tenant = get_setting("entra_tenant_id").strip().lower()
        if not tenant:
            return None
        client = get_setting("entra_client_id").strip().lower()
        if not is_guid(tenant):
            raise SettingError(
                f"IDPILOT_ENTRA_TENANT_ID={tenant!r}: expected the directory (tenant) id, a GUID"
            )
        if not is_guid(client):
            raise SettingError(
                f"IDPILOT_ENTRA_CLIENT_ID={client!r}: expected the API app registration's "
                "application (client) id, a GUID"
            )
        return cls(
            tenant_id=tenant,
            client_id=client,
            roles=parse_role_map(get_setting("entra_roles")),
            authority=_check_authority(get_setting("entra_authority").strip()),
            scope=get_setting("entra_scope").strip(),
            clock_skew_seconds=get_seconds("entra_clock_skew_seconds"),
        )
