"""Reference knowledge for Entra ID admins: sign-in error codes (AADSTS) and their meaning."""

from idpilot.knowledge.errors import KnowledgeError, KnowledgeFileError
from idpilot.knowledge.primary_authentication import (
    fails_primary_authentication,
    primary_authentication_failure_codes,
    primary_authentication_failures,
)
from idpilot.knowledge.sign_in_errors import (
    CuratedEntry,
    EntrySource,
    ErrorCatalog,
    ErrorCategory,
    ErrorCode,
    Explanation,
    SeverityHint,
    WhoFixes,
    default_catalog,
    interrupt_followed_by_success,
    parse_code,
)

__all__ = [
    "CuratedEntry",
    "EntrySource",
    "ErrorCatalog",
    "ErrorCategory",
    "ErrorCode",
    "Explanation",
    "KnowledgeError",
    "KnowledgeFileError",
    "SeverityHint",
    "WhoFixes",
    "default_catalog",
    "fails_primary_authentication",
    "interrupt_followed_by_success",
    "parse_code",
    "primary_authentication_failure_codes",
    "primary_authentication_failures",
]
