"""The inputs of a Conditional Access evaluation: who signs in, to what, from where, how."""

from __future__ import annotations

from enum import StrEnum
from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field


class ClientAppType(StrEnum):
    """Graph `conditionalAccessClientApp` values (what kind of client made the request)."""

    browser = "browser"
    mobile_apps_and_desktop_clients = "mobileAppsAndDesktopClients"
    exchange_active_sync = "exchangeActiveSync"
    other = "other"


class DevicePlatform(StrEnum):
    """Graph `conditionalAccessDevicePlatform` values."""

    android = "android"
    ios = "iOS"
    windows = "windows"
    windows_phone = "windowsPhone"
    macos = "macOS"
    linux = "linux"


class RiskLevel(StrEnum):
    """Graph `riskLevel` values used by sign-in and user risk conditions."""

    none = "none"
    low = "low"
    medium = "medium"
    high = "high"


class DeviceState(BaseModel):
    """What is known of the device; `None` means the sign-in did not say."""

    model_config = ConfigDict(extra="forbid")

    device_id: str | None = None
    display_name: str | None = None
    is_compliant: bool | None = None
    is_managed: bool | None = None
    trust_type: str | None = None  # "AzureAd", "ServerAd" (hybrid joined), "Workplace"
    operating_system: str | None = None
    extension_attributes: dict[str, str] = Field(default_factory=dict)


class SignInContext(BaseModel):
    """One sign-in as Conditional Access sees it. Unknown facts stay `None`, never guessed."""

    model_config = ConfigDict(extra="forbid")

    user_id: str
    app_id: str | None = None  # the client application (signIn.appId)
    resource_id: str | None = None  # the resource the token is for (signIn.resourceId)
    user_action: str | None = None  # "urn:user:registersecurityinfo", "urn:user:registerdevice"
    authentication_context: str | None = None  # e.g. "c1"
    client_app: ClientAppType | None = None
    platform: DevicePlatform | None = None
    ip_address: str | None = None
    country: str | None = None  # ISO 3166 two-letter code
    country_known: bool = True
    """False for a hypothetical sign-in whose country was not stated: a country location is
    then undecided (the missing fact "country"). A recorded sign-in without a country is in
    the "unknown country/region" instead."""
    device: DeviceState | None = None
    sign_in_risk: RiskLevel | None = None
    user_risk: RiskLevel | None = None
    authentication_flow: str | None = None  # "deviceCodeFlow", "authenticationTransfer"
    satisfied_controls: set[str] = Field(default_factory=set)
    """Grant controls the user already satisfied during this sign-in (e.g. {"mfa"})."""
    unknown_controls: set[str] = Field(default_factory=set)
    """Grant controls the record cannot tell were satisfied or not (e.g. {"mfa"} on a Graph
    v1.0 sign-in that failed on another control): not in satisfied_controls, and reported as
    a missing fact instead of as unmet."""
    primary_authentication_error: int | None = None
    """The error code that failed first-factor authentication (e.g. 50126, wrong password).

    Conditional Access runs only after first-factor authentication completes, so such a
    sign-in is not evaluated: every policy is recorded as not applied."""


class Directory(Protocol):
    """What the evaluator needs to know of the directory; the store implements it."""

    def group_ids_of(self, user_id: str) -> set[str]:
        """Every group the user belongs to, transitively."""
        ...

    def role_template_ids_of(self, user_id: str) -> set[str]:
        """Directory role template ids the user holds (active assignments)."""
        ...

    def user_type_of(self, user_id: str) -> str | None:
        """`Member` or `Guest`, or None when the user is unknown."""
        ...
