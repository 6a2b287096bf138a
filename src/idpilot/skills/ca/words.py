"""The small vocabulary what-if prompts use: platforms, devices, countries, clients, risk, MFA.

"what happens if bob signs in to Salesforce from an unmanaged iPhone in France?" becomes
platform iOS, device not compliant, country FR. Only whole words count.
"""

from __future__ import annotations

import re

from pydantic import BaseModel

from idpilot.conditional_access import ClientAppType, DevicePlatform, RiskLevel

PLATFORM_WORDS: dict[str, DevicePlatform] = {
    "iphone": DevicePlatform.ios, "ipad": DevicePlatform.ios, "ios": DevicePlatform.ios,
    "ipados": DevicePlatform.ios, "android": DevicePlatform.android,
    "windows": DevicePlatform.windows, "pc": DevicePlatform.windows,
    "mac": DevicePlatform.macos, "macbook": DevicePlatform.macos, "macos": DevicePlatform.macos,
    "linux": DevicePlatform.linux, "ubuntu": DevicePlatform.linux,
}  # fmt: skip
UNMANAGED_WORDS = ("unmanaged", "personal", "byod", "non-compliant", "noncompliant",
                   "not compliant", "own device", "home computer", "private")  # fmt: skip
MANAGED_WORDS = ("managed", "compliant", "corporate", "company device", "company laptop",
                 "intune")  # fmt: skip
COUNTRY_WORDS: dict[str, str] = {
    "united states": "US", "usa": "US", "us": "US", "america": "US", "canada": "CA",
    "mexico": "MX", "brazil": "BR", "united kingdom": "GB", "uk": "GB", "england": "GB",
    "ireland": "IE", "france": "FR", "germany": "DE", "spain": "ES", "portugal": "PT",
    "italy": "IT", "netherlands": "NL", "belgium": "BE", "switzerland": "CH",
    "sweden": "SE", "norway": "NO", "denmark": "DK", "finland": "FI", "poland": "PL",
    "russia": "RU", "ukraine": "UA", "turkey": "TR", "israel": "IL", "india": "IN",
    "china": "CN", "japan": "JP", "south korea": "KR", "north korea": "KP", "iran": "IR",
    "singapore": "SG", "australia": "AU", "new zealand": "NZ", "nigeria": "NG",
    "south africa": "ZA", "egypt": "EG", "vietnam": "VN", "indonesia": "ID",
}  # fmt: skip
LEGACY_WORDS: dict[str, ClientAppType] = {
    "imap": ClientAppType.other, "imap4": ClientAppType.other, "pop": ClientAppType.other,
    "pop3": ClientAppType.other, "smtp": ClientAppType.other,
    "legacy": ClientAppType.other, "basic auth": ClientAppType.other,
    "activesync": ClientAppType.exchange_active_sync,
    "exchange activesync": ClientAppType.exchange_active_sync,
}  # fmt: skip
MODERN_WORDS: dict[str, ClientAppType] = {
    "browser": ClientAppType.browser, "web": ClientAppType.browser,
    "desktop app": ClientAppType.mobile_apps_and_desktop_clients,
    "mobile app": ClientAppType.mobile_apps_and_desktop_clients,
    "outlook app": ClientAppType.mobile_apps_and_desktop_clients,
}  # fmt: skip
TRUSTED_WORDS = ("trusted location", "trusted network", "the office", "office network", "hq",
                 "headquarters", "corporate network")  # fmt: skip
MFA_WORDS = ("with mfa", "after mfa", "completes mfa", "completed mfa", "does mfa", "passes mfa")
_RISK = re.compile(r"\b(low|medium|high)[- ](?:sign[- ]in )?risk\b")
_USER_RISK = re.compile(
    r"\b(low|medium|high)[- ]user[- ]risk\b|\buser risk (?:is )?(low|medium|high)"
)


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


def _has(text: str, phrase: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", text) is not None


def read_words(prompt: str) -> WhatIfWords:
    """Pick out platform, device state, country, client, trusted location, risk and MFA."""
    text = " ".join(prompt.lower().replace("’", "'").split())
    found = WhatIfWords()
    for word, platform in PLATFORM_WORDS.items():
        if _has(text, word):
            found.platform = platform
            break
    if any(_has(text, w) for w in UNMANAGED_WORDS):
        found.device_compliant = False
    elif any(_has(text, w) for w in MANAGED_WORDS):
        found.device_compliant = True
    for name in sorted(COUNTRY_WORDS, key=len, reverse=True):
        # "us" is also a pronoun: accept it only in "in the US" / "from the US".
        if name == "us" and not re.search(r"\b(?:in|from) the us\b", text):
            continue
        if _has(text, name):
            found.country = COUNTRY_WORDS[name]
            break
    for table in (LEGACY_WORDS, MODERN_WORDS):
        for word in sorted(table, key=len, reverse=True):
            if _has(text, word):
                found.client_app = table[word]
                break
        if found.client_app:
            break
    found.trusted_location = any(_has(text, w) for w in TRUSTED_WORDS)
    if match := _USER_RISK.search(text):
        found.user_risk = RiskLevel(match.group(1) or match.group(2))
    if match := _RISK.search(text):
        found.sign_in_risk = RiskLevel(match.group(1))
    found.mfa = any(_has(text, w) for w in MFA_WORDS)
    return found
