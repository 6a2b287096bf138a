"""How a sign-in is made: device platforms, client apps, device state and risk levels.

Values are Graph's: `conditionalAccessDevicePlatform` (android, iOS, windows, windowsPhone,
macOS, linux), `conditionalAccessClientApp` (browser, mobileAppsAndDesktopClients,
exchangeActiveSync, other) and `riskLevel` (low, medium, high). A platform or client app the
prompt excludes ("non-Windows", "except the browser") is not a value: it is returned as an
unparsed condition.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from pydantic import BaseModel, Field


class DevicePlatform(StrEnum):
    """Graph `conditionalAccessDevicePlatform` values a prompt can name.

    Kept here rather than imported from `idpilot.conditional_access`, whose package import
    loads the whole evaluator: the understanding layer runs on every prompt, cold too.
    """

    android = "android"
    ios = "iOS"
    windows = "windows"
    windows_phone = "windowsPhone"
    macos = "macOS"
    linux = "linux"


class ClientAppType(StrEnum):
    """Graph `conditionalAccessClientApp` values a prompt can name."""

    browser = "browser"
    mobile_apps_and_desktop_clients = "mobileAppsAndDesktopClients"
    exchange_active_sync = "exchangeActiveSync"
    other = "other"


_DEVICE_NOUN = (
    r"(?:devices?|laptops?|phones?|pcs?|computers?|macs?|macbooks?|ipads?|iphones?|tablets?|"
    r"machines?|mobiles?|workstations?|androids?|endpoints?|notebooks?)"
)
_NEGATION = re.compile(
    r"(?:\bnon-?|\bnot\s+(?:on|from|using|via|with|in|an?)?\s*|\bexcept\s+(?:for\s+)?(?:the\s+)?"
    r"|\bother\s+than\s+(?:the\s+)?|\bexcluding\s+(?:the\s+)?|\bapart\s+from\s+(?:the\s+)?)$"
)
_PLATFORMS: tuple[tuple[DevicePlatform, re.Pattern[str]], ...] = (
    (DevicePlatform.windows_phone, re.compile(r"\bwindows\s+phones?\b")),
    (DevicePlatform.android, re.compile(r"\b(?:android|galaxy|samsung|pixel\s+phone)\b")),
    (DevicePlatform.ios, re.compile(r"\b(?:ios|ipados|iphones?|ipads?)\b")),
    (
        DevicePlatform.windows,
        re.compile(r"\b(?:windows(?!\s+phone)|win\s?1[01]|surface\s+(?:pro|laptop|book|go))\b"),
    ),
    (
        DevicePlatform.macos,
        re.compile(r"\b(?:macos|mac\s+os|os\s?x|macbooks?|imacs?|macs?(?!\s+address))\b"),
    ),
    (
        DevicePlatform.linux,
        re.compile(r"\b(?:linux|ubuntu|debian|fedora|rhel|red\s+hat|centos)\b"),
    ),
)
# "legacy auth" is Graph's `other` (POP, IMAP, SMTP, older protocols); Exchange ActiveSync
# is named only when the prompt says ActiveSync.
_CLIENT_APPS: tuple[tuple[ClientAppType, re.Pattern[str]], ...] = (
    (
        ClientAppType.other,
        re.compile(
            r"\b(?:legacy\s+(?:auth(?:entication)?|protocols?|clients?)|basic\s+auth(?:entication)?"
            r"|imap4?|pop3|smtp(?:\s+auth)?|pop\s*/\s*imap|imap\s*/\s*pop|other\s+clients)\b"
        ),
    ),
    (
        ClientAppType.exchange_active_sync,
        re.compile(r"\b(?:active\s?sync|exchange\s+activesync)\b"),
    ),
    (
        ClientAppType.mobile_apps_and_desktop_clients,
        re.compile(
            r"(?<!authenticator )\b(?:(?:desktop|mobile)\s+(?:apps?|clients?)|outlook\s+"
            r"(?:desktop|app|client|for\s+(?:ios|android|mac|windows))|(?:teams|office|outlook)\s+(?:desktop\s+)?(?:apps?|"
            r"clients?|desktop)|native\s+(?:apps?|clients?|mail\s+app)|(?:thick|rich|fat)\s+"
            r"clients?|modern\s+auth(?:entication)?\s+clients?)\b"
        ),
    ),
    (
        ClientAppType.browser,
        re.compile(
            r"\b(?:web\s+)?browsers?\b|\b(?:owa|outlook\s+(?:on\s+the\s+)?web|outlook\.office\.com|"
            r"chrome|firefox|safari|edge(?!\s+cases?)|on\s+the\s+web|via\s+(?:the\s+)?web|"
            r"web\s+(?:portal|version|access|sign-?ins?|logins?))\b"
        ),
    ),
)
_CASED_CLIENT_APPS = (
    (ClientAppType.other, re.compile(r"\bPOP\b")),
    (ClientAppType.exchange_active_sync, re.compile(r"\bEAS\b")),
)
_NOT_COMPLIANT = re.compile(
    r"\b(?:non-?\s?compliant|not\s+compliant|uncompliant|(?:is|was)n[’']?t\s+compliant|"
    r"out\s+of\s+compliance)\b"
)
_COMPLIANT = re.compile(r"\bcompliant\b")
_HYBRID = re.compile(
    r"\b(?:hybrid(?:\s+(?:azure\s*ad|aad|entra(?:\s+id)?))?[-\s]+join(?:ed)?|haadj|"
    r"domain[-\s]+joined)\b"
)
_ENTRA_JOINED = re.compile(
    r"\b(?:(?:microsoft\s+)?(?:azure\s*ad|aad|entra(?:\s+id)?)[-\s]+joined|aadj)\b"
)
_REGISTERED = re.compile(
    r"\b(?:(?:azure\s*ad|aad|entra(?:\s+id)?)[-\s]+registered|workplace[-\s]+join(?:ed)?)\b"
)
_UNMANAGED = re.compile(
    r"\b(?:unmanaged|not\s+managed|(?:is|was)n[’']?t\s+managed|non-?\s?managed|byod|"
    r"(?:personal|private|own|home)\s+"
    + _DEVICE_NOUN
    + r"|without\s+(?:the|a|an|her|his|their|my|your)\s+(?:company|work|corporate)\s+"
    + _DEVICE_NOUN
    + r")\b"
)
_MANAGED = re.compile(
    r"\b(?:managed\s+" + _DEVICE_NOUN + r"|" + _DEVICE_NOUN + r"\s+(?:is\s+|was\s+)?managed|"
    r"intune[-\s](?:managed|enrolled)|enrolled\s+in\s+intune|(?:corporate|company|work|corp|"
    r"intune)(?:[-\s]owned)?\s+" + _DEVICE_NOUN + r")\b"
)  # fmt: skip
_DEVICE_WORDS = re.compile(
    r"\b(laptop|desktop|smartphone|phone|tablet|pc|computer|workstation|notebook|kiosk)s?\b"
    r"(?!\s+(?:apps?|clients?))"
)
_NOT_A_DEVICE_WORD = re.compile(r"(?:outlook|teams|office|remote)\s+$")
_LEVELS = ("low", "medium", "high")
_LEVEL = r"(low|medium|med|high)"
_UP_FROM = re.compile(
    r"\b(?:at\s+least\s+" + _LEVEL + r"|" + _LEVEL + r"\s*(?:\+(?!\s*" + _LEVEL + r")|"
    r"or\s+(?:above|higher|more|worse)|"
    r"and\s+(?:above|higher|up)))"
)  # fmt: skip
_LEVEL_BEFORE_RISK = re.compile(
    r"\b" + _LEVEL + r"((?:\s*(?:,|-|/|or|and|to)\s*" + _LEVEL + r")*)[-\s]+"
    r"(?:(?:sign-?in|user|service\s+principal)\s+)?risk"
)
_LEVEL_AFTER_RISK = re.compile(
    r"\brisk(?:\s+level)?\s*(?:is|of|=|:|at|was|set\s+to|level)?\s*" + _LEVEL + r"\b"
)
_SEVERITY_LEVELS = re.compile(
    r"\b(?:sev(?:erity)?|level|levels)\s*:?\s*" + _LEVEL
    + r"((?:\s*(?:,|/|\+|&|and|or)\s*" + _LEVEL + r")*)\b"
)  # fmt: skip
"""Levels listed after the word for them ("sev high + med", "levels: low/medium")."""
_HIGHLY_RISKY = re.compile(r"\bhighly\s+risky\b")
_NOT_RISKY = re.compile(r"\b(?:not\s+(?:at\s+)?risky|no\s+risk|non-?\s?risky|without\s+risk)\b")
_RISKY = re.compile(r"\b(?:risky|at\s+risk|riskiest)\b")


class DeviceState(BaseModel):
    """What the prompt says about the device; None where it says nothing."""

    compliant: bool | None = None
    joined: str | None = None  # "AzureAD" | "Hybrid" | "Workplace" (registered)
    managed: bool | None = None
    operating_system_words: list[str] = Field(default_factory=list)  # "laptop": not a platform


@dataclass
class HowSlots:
    """Platforms, client apps, device state and risk levels, plus what could not be read."""

    platforms: list[str] = field(default_factory=list)
    client_apps: list[str] = field(default_factory=list)
    device: DeviceState | None = None
    risk_levels: list[str] = field(default_factory=list)
    unparsed: list[str] = field(default_factory=list)


def _negated(text: str, start: int) -> str | None:
    """The negation right before `start` ("non-", "not on "), or None."""
    match = _NEGATION.search(text[max(0, start - 24) : start])
    return match.group(0) if match else None


def _lower(text: str) -> str:
    """Lower case, one character for one, so positions match the original text."""
    if text.isascii():
        return text.lower()
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _collect(
    text: str,
    lower: str,
    table: tuple[tuple[str, re.Pattern[str]], ...],
    found: HowSlots,
    into: list[str],
) -> None:
    hits: list[tuple[int, str]] = []
    for value, pattern in table:
        for match in pattern.finditer(lower):
            negation = _negated(lower, match.start())
            if negation is not None:
                start = match.start() - len(negation)
                found.unparsed.append(" ".join(text[start : match.end()].split()))
            else:
                hits.append((match.start(), value))
    for _, value in sorted(hits):
        if value not in into:
            into.append(value)


def _device(lower: str) -> DeviceState | None:
    state = DeviceState()
    if _NOT_COMPLIANT.search(lower):
        state.compliant = False
    elif _COMPLIANT.search(lower):
        state.compliant = True
    if _HYBRID.search(lower):
        state.joined = "Hybrid"
    elif _ENTRA_JOINED.search(lower):
        state.joined = "AzureAD"
    elif _REGISTERED.search(lower):
        state.joined = "Workplace"
    if _UNMANAGED.search(lower):
        state.managed = False
        if state.compliant is None:
            state.compliant = False  # an unmanaged device cannot be marked compliant
    elif _MANAGED.search(lower):
        state.managed = True
    for match in _DEVICE_WORDS.finditer(lower):
        word = match.group(1)
        if _NOT_A_DEVICE_WORD.search(lower[max(0, match.start() - 10) : match.start()]):
            continue
        if word not in state.operating_system_words:
            state.operating_system_words.append(word)
    if state == DeviceState():
        return None
    return state


def _risk_levels(text: str, lower: str, found: HowSlots) -> list[str]:
    for match in _NOT_RISKY.finditer(lower):
        found.unparsed.append(text[match.start() : match.end()])
    levels: set[str] = set()
    for match in _UP_FROM.finditer(lower):
        level = _level(match.group(1) or match.group(2))
        levels.update(_LEVELS[_LEVELS.index(level) :])
    for match in _LEVEL_BEFORE_RISK.finditer(lower):
        levels.add(_level(match.group(1)))
        levels.update(_level(w) for w in re.findall(_LEVEL, match.group(2)))
    for match in _LEVEL_AFTER_RISK.finditer(lower):
        levels.add(_level(match.group(1)))
    for match in _SEVERITY_LEVELS.finditer(lower):
        levels.add(_level(match.group(1)))
        levels.update(_level(w) for w in re.findall(_LEVEL, match.group(2)))
    if _HIGHLY_RISKY.search(lower):
        levels.add("high")
    if not levels and _RISKY.search(_NOT_RISKY.sub(" ", lower)):
        levels.update(_LEVELS)  # "risky": any level Identity Protection reports as at risk
    return [level for level in _LEVELS if level in levels]


def _level(word: str) -> str:
    return "medium" if word == "med" else word


def find_how(text: str) -> HowSlots:
    """Platforms, client apps, device state and risk levels `text` states (quotes masked)."""
    lower = _lower(text)
    found = HowSlots()
    _collect(text, lower, _PLATFORMS, found, found.platforms)
    _collect(text, lower, _CLIENT_APPS, found, found.client_apps)
    for value, pattern in _CASED_CLIENT_APPS:
        if pattern.search(text) and not text.isupper() and value not in found.client_apps:
            found.client_apps.append(value)
    found.platforms = [DevicePlatform(p).value for p in found.platforms]
    found.client_apps = [ClientAppType(c).value for c in found.client_apps]
    found.device = _device(lower)
    found.risk_levels = _risk_levels(text, lower, found)
    return found
