"""Values written into KQL as literals, so untrusted text (an id, a name) stays a value.

A string becomes a double-quoted literal with `\\`, `"` and line breaks escaped; a time a
`datetime(...)` literal in UTC; a list a parenthesised list of literals for `in (...)`. Nothing
else is ever pasted into a query.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def string(value: str) -> str:
    """`value` as a KQL string literal."""
    if any(ord(ch) < 0x20 and ch not in _ESCAPES for ch in value):
        raise ValueError("a control character cannot be written in a KQL string literal")
    return '"' + "".join(_ESCAPES.get(ch, ch) for ch in value) + '"'


def strings(values: Iterable[str]) -> str:
    """The values as `("a", "b")`, for `in`; `("")` when there are none (matches nothing an
    id column holds)."""
    items = [string(v) for v in values]
    return "(" + (", ".join(items) if items else '""') + ")"


def moment(value: datetime) -> str:
    """An aware time as a KQL datetime literal in UTC (microseconds kept)."""
    if value.tzinfo is None:
        raise ValueError("a KQL datetime literal needs an aware time")
    return f"datetime({value.astimezone(UTC):%Y-%m-%dT%H:%M:%S.%fZ})"


def integer(value: int) -> str:
    """A whole number as a KQL literal."""
    return str(int(value))
