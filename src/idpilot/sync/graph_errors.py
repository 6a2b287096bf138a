"""Graph's error body, `{"error": {"code", "message"}}`, read leniently (no HTTP client needed)."""

from __future__ import annotations

from dataclasses import dataclass

import orjson


@dataclass
class GraphErrorBody:
    """The status of a refused request and what Graph said about it."""

    status: int
    code: str = ""
    message: str = ""

    @classmethod
    def of(cls, status: int, body: bytes) -> GraphErrorBody:
        """The error a response body states (an empty code and message when it states none)."""
        try:
            return cls.of_json(status, orjson.loads(body))
        except orjson.JSONDecodeError:
            return cls(status)

    @classmethod
    def of_json(cls, status: int, body: object) -> GraphErrorBody:
        """The error a parsed body states (a `$batch` item's body is already parsed)."""
        error = body.get("error") if isinstance(body, dict) else None
        if not isinstance(error, dict):
            return cls(status)
        return cls(status, str(error.get("code") or ""), str(error.get("message") or ""))
