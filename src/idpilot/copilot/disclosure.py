"""Configuration that must never reach an answer: secrets, credentials, the endpoint, the
model's own instructions.

A model can be told (by a prompt or by tenant data) to repeat its system prompt, the key it was
called with or the environment; an endpoint's error can echo its address. Model text reaches an
answer only through checks that use this module: a rewording that discloses any of it is
refused, and the model-derived notes of an answer (limits, the trace's notes and failures) are
redacted.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable

from idpilot.settings import get_setting

REDACTED = "[redacted]"
MIN_SECRET_CHARS = 8
"""An environment value shorter than this is not treated as a secret (it would match words)."""
SHINGLE_WORDS = 8
"""Words in a row of a private text (a system prompt) that count as disclosing it."""
_SECRET_NAME = re.compile(r"KEY|TOKEN|SECRET|PASSW|CREDENTIAL|CONNECTION_STRING", re.I)
_SECRET_SETTINGS = ("llm_api_key",)
_ADDRESS_SETTINGS = ("llm_base_url",)
_CREDENTIAL_SHAPES = re.compile(
    r"\bsk-[A-Za-z0-9_-]{16,}"  # OpenAI-style keys
    r"|\bidp_[A-Za-z0-9_-]{20,}"  # idpilot API tokens
    r"|\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*"  # JSON web tokens
    r"|\bbearer\s+[A-Za-z0-9._~+/=-]{20,}"
    r"|-----BEGIN [A-Z ]*PRIVATE KEY-----"
    r"|\b(?:AccountKey|SharedAccessKey|api[_-]?key|client[_-]?secret|password)\s*[=:]\s*\S{6,}",
    re.IGNORECASE,
)
_WORDS = re.compile(r"[a-z0-9']+")


def configured_secrets() -> list[str]:
    """The secret values idpilot is configured with: the model's key, and every environment
    variable whose name says it holds a key, token, secret or password."""
    values = [get_setting(name).strip() for name in _SECRET_SETTINGS]
    values += [
        value.strip()
        for name, value in os.environ.items()
        if _SECRET_NAME.search(name) and len(value.strip()) >= MIN_SECRET_CHARS
    ]
    return sorted({v for v in values if len(v) >= 4}, key=len, reverse=True)


def configured_addresses() -> list[str]:
    """The endpoint addresses idpilot is configured with."""
    values = [get_setting(name).strip().rstrip("/") for name in _ADDRESS_SETTINGS]
    return [v for v in values if v]


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = _WORDS.findall(text.lower())
    return {tuple(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}


def disclosures(text: str, private_texts: Iterable[str] = (), original: str = "") -> list[str]:
    """What `text` discloses that `original` did not: configured secrets, credential-shaped
    strings, the endpoint, or runs of words from `private_texts` (system prompts)."""
    found = []
    if any(s in text and s not in original for s in configured_secrets()):
        found.append("a configured secret")
    shapes = set(_CREDENTIAL_SHAPES.findall(text)) - set(_CREDENTIAL_SHAPES.findall(original))
    if shapes:
        found.append("a credential")
    if any(a in text and a not in original for a in configured_addresses()):
        found.append("the model endpoint")
    said = _shingles(text) - _shingles(original)
    if said and any(said & _shingles(private) for private in private_texts):
        found.append("the model's instructions")
    return found


def redact(text: str) -> str:
    """`text` with configured secrets, endpoint addresses and credential shapes replaced."""
    for value in (*configured_secrets(), *configured_addresses()):
        text = text.replace(value, REDACTED)
    return _CREDENTIAL_SHAPES.sub(REDACTED, text)
