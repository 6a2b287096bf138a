"""Reference knowledge for Entra ID admins: sign-in error codes (AADSTS) and their meaning.

Public names are imported from their module when first used (PEP 562): the understanding
layer reads country names on every prompt, and must not pay for parsing the error catalogue's
YAML and CSV files to do so.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_SOURCES = {
    "CuratedEntry": "sign_in_errors",
    "EntrySource": "sign_in_errors",
    "ErrorCatalog": "sign_in_errors",
    "ErrorCategory": "sign_in_errors",
    "ErrorCode": "sign_in_errors",
    "Explanation": "sign_in_errors",
    "KnowledgeError": "errors",
    "KnowledgeFileError": "errors",
    "SeverityHint": "sign_in_errors",
    "WhoFixes": "sign_in_errors",
    "default_catalog": "sign_in_errors",
    "fails_primary_authentication": "primary_authentication",
    "interrupt_followed_by_success": "sign_in_errors",
    "parse_code": "sign_in_errors",
    "passed_primary_authentication": "primary_authentication",
    "passed_primary_authentication_codes": "primary_authentication",
    "primary_authentication_failure_codes": "primary_authentication",
    "primary_authentication_failures": "primary_authentication",
}
"""Each public name and the module that defines it."""

__all__ = sorted(_SOURCES)


def __getattr__(name: str) -> Any:
    """The public name `name`, imported from its module on first use (PEP 562)."""
    source = _SOURCES.get(name)
    if source is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{source}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_SOURCES))
