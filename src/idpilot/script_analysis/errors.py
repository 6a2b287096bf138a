"""Errors a script given for analysis can raise: each says what is wrong and the limit it hit."""

from __future__ import annotations

from idpilot.errors import IdpilotError


class ScriptInputError(IdpilotError):
    """The input cannot be analysed as a script (empty, too large, binary)."""


class ScriptBombError(ScriptInputError):
    """Peeling the script's layers went past a budget (layers or decoded size): refused."""
