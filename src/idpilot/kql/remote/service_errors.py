"""A OneAPI error object, as both services send it: `{"error": {"code", "message", "innererror",
"details"}}`, read leniently (a body that is not one gives an empty error, never an exception).

Azure Data Explorer adds `@message` (the engine's full sentence) at each level; Microsoft Entra
token errors arrive as `{"error": "invalid_grant", "error_description": ...}`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import orjson

# An error nested deeper than this is cut off (a hostile body cannot make the reader recurse).
_MAX_DEPTH = 8
_MAX_DETAILS = 5


@dataclass(frozen=True)
class ServiceError:
    """What a service said went wrong: its code and message, then the causes inside it."""

    code: str = ""
    message: str = ""
    causes: list[ServiceError] = field(default_factory=list)

    @classmethod
    def of_body(cls, body: bytes) -> ServiceError:
        """The error a response body states (empty when it states none)."""
        try:
            return cls.of_json(orjson.loads(body))
        except orjson.JSONDecodeError:
            return cls()

    @classmethod
    def of_json(cls, body: Any) -> ServiceError:
        """The error a parsed body states: its `error` member (an object or a bare code)."""
        if not isinstance(body, dict):
            return cls()
        error = body.get("error")
        if isinstance(error, str):  # a token endpoint's OAuth error
            return cls(error, str(body.get("error_description") or ""))
        return cls.of_object(error)

    @classmethod
    def of_object(cls, error: Any, depth: int = 0) -> ServiceError:
        """One OneAPI error object and, inside it, its `innererror` and `details`."""
        if not isinstance(error, dict) or depth > _MAX_DEPTH:
            return cls()
        message = error.get("@message") or error.get("message") or ""
        causes = []
        inner = error.get("innererror")
        if isinstance(inner, dict):
            causes.append(cls.of_object(inner, depth + 1))
        details = error.get("details")
        if isinstance(details, list):
            causes.extend(cls.of_object(item, depth + 1) for item in details[:_MAX_DETAILS])
        return cls(str(error.get("code") or ""), str(message), [c for c in causes if c])

    def __bool__(self) -> bool:
        return bool(self.code or self.message or self.causes)

    def codes(self) -> list[str]:
        """Every code in the error, outermost first."""
        found = [self.code] if self.code else []
        for cause in self.causes:
            found.extend(cause.codes())
        return found

    def describe(self) -> str:
        """One line: the code and message, then each cause's in brackets."""
        text = ": ".join(part for part in (self.code, self.message) if part)
        inner = "; ".join(cause.describe() for cause in self.causes)
        if inner:
            text = f"{text} ({inner})" if text else inner
        return text
