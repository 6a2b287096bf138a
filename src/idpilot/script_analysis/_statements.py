"""The statement around an offset, read with brackets and literals in mind (PowerShell, JS)."""

from __future__ import annotations

from idpilot.script_analysis._scanner import Regions

_BOUNDARIES = frozenset(";\n{}")
_OPENING, _CLOSING = "([", ")]"


def statement_span(text: str, offset: int, regions: Regions) -> tuple[int, int]:
    """The [start, end) of the statement holding `offset`: from the previous `;`, newline or
    brace outside any bracket that is closed before `offset`, to the next such boundary
    (a newline after a pipe or a backtick continues the statement)."""
    start, depth = offset, 0
    while start > 0:
        c = text[start - 1]
        if regions.in_opaque(start - 1):
            start -= 1
            continue
        if c in _CLOSING:
            depth += 1
        elif c in _OPENING:
            depth = max(depth - 1, 0)
        elif c in _BOUNDARIES and depth == 0 and not _continued(text, start - 1):
            break
        start -= 1
    end, depth = offset, 0
    while end < len(text):
        c = text[end]
        if regions.in_opaque(end):
            end += 1
            continue
        if c in _OPENING:
            depth += 1
        elif c in _CLOSING:
            depth = max(depth - 1, 0)
        elif c in _BOUNDARIES and depth == 0 and not _continued(text, end):
            break
        end += 1
    while start < end and text[start] in " \t":
        start += 1
    return start, end


def _continued(text: str, newline: int) -> bool:
    if text[newline] != "\n":
        return False
    before = text[:newline].rstrip(" \t")
    return before.endswith(("|", "`"))
