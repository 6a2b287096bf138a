"""What a hypothetical sign-in is said to be: the fields a what-if scenario starts from.

The understanding layer reads them from the prompt (platform, device, country, client, risk,
trusted location, MFA done); explicit values (the `whatif` command's options) win over them.
"""

from __future__ import annotations

from pydantic import BaseModel

from idpilot.conditional_access import ClientAppType, DevicePlatform, RiskLevel


class WhatIfWords(BaseModel):
    """What the words of a prompt say about a hypothetical sign-in (None: not said)."""

    platform: DevicePlatform | None = None
    device_compliant: bool | None = None
    country: str | None = None
    client_app: ClientAppType | None = None
    trusted_location: bool = False
    sign_in_risk: RiskLevel | None = None
    user_risk: RiskLevel | None = None
    mfa: bool = False
