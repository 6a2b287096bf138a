"""What a remote query returned: the rows as a local `KqlResult`, and where they came from."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from idpilot.errors import IdpilotError
from idpilot.kql.adapter import KqlResult
from idpilot.kql.remote.errors import RemoteErrorKind, RemoteQueryError
from idpilot.kql.remote.transport import Exchange
from idpilot.kql.remote.values import typed_rows

_ISO_DURATION = re.compile(
    r"^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$"
)
_SHORT_SPAN = re.compile(r"^(\d+)([dhm])$", re.IGNORECASE)
_SPAN_UNITS = {"d": "days", "h": "hours", "m": "minutes"}


@dataclass(frozen=True)
class RemoteResult:
    """A remote query's rows (shown exactly as a local result), the service and target named,
    and what the service said when it could return only part of them."""

    result: KqlResult
    source: str
    """E.g. `Log Analytics workspace 0a1b...`."""
    partial: str | None = None
    """The service's error when the rows are incomplete (Log Analytics' PartialError)."""
    notes: list[str] = field(default_factory=list)
    exchange: Exchange = field(default_factory=Exchange)


def build_result(
    service: str,
    columns: Sequence[str],
    types: Sequence[str],
    rows: Sequence[Any],
    limit: int | None,
    *,
    dynamic_as_text: bool,
) -> KqlResult:
    """The rows as a KqlResult (types are Kusto's names; `sql` is empty: nothing was translated)."""
    if limit is not None and limit < 0:
        raise ValueError("limit must be zero or more")
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, list) or len(row) != len(columns):
            raise RemoteQueryError(
                f"{service} sent row {number} with a shape that does not match its "
                f"{len(columns)} columns: the response is not a query result",
                kind=RemoteErrorKind.failed,
            )
    kept = rows if limit is None else rows[:limit]
    typed = typed_rows(types, kept, dynamic_as_text=dynamic_as_text)
    truncated = limit is not None and len(rows) > limit
    return KqlResult(list(columns), list(types), typed, "", truncated)


def iso_timespan(text: str) -> str:
    """A `--timespan` as the ISO 8601 duration or interval the services take: `7d` becomes
    `P7D`, `12h` `PT12H`; an ISO 8601 duration (`P1D`) or interval (`start/end`) is kept."""
    value = text.strip()
    if "/" in value or _ISO_DURATION.match(value):
        return value
    short = _SHORT_SPAN.match(value)
    if short is None:
        raise IdpilotError(
            f"--timespan {text!r}: expected 7d, 12h or 30m, an ISO 8601 duration such as P7D, "
            "or an interval such as 2026-11-01T00:00:00Z/2026-11-08T00:00:00Z"
        )
    amount, unit = int(short.group(1)), short.group(2).lower()
    span = timedelta(**{_SPAN_UNITS[unit]: amount})
    if unit == "d":
        return f"P{span.days}D"
    return f"PT{int(span.total_seconds()) // 60}M" if unit == "m" else f"PT{amount}H"
