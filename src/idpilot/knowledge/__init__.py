"""Reference knowledge for Entra ID admins: sign-in error codes (AADSTS) and their meaning.

Public names are imported from their module when first used (PEP 562): the understanding
layer reads country names on every prompt, and must not pay for parsing the error catalogue's
YAML and CSV files to do so.
"""

from __future__ import annotations

from idpilot._lazy_exports import lazy_exports

_SOURCES = {
    "AttackCatalog": "identity_attacks",
    "AttackTechnique": "identity_attacks",
    "attack_catalog": "identity_attacks",
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

__getattr__, __dir__ = lazy_exports(__name__, _SOURCES, globals())
