"""Kusto's typed JSON cells as Python values, the way a local KQL result holds them.

Both services name each column's type (`bool`, `datetime`, `dynamic`, `guid`, `int`, `long`,
`real`, `decimal`, `string`, `timespan`). Datetimes arrive as ISO 8601 text (up to seven
fractional digits, UTC), timespans as `[-][d.]hh:mm:ss[.fffffff]`, reals as numbers or the words
`NaN`/`Infinity`/`-Infinity`, decimals as text. A `dynamic` cell is JSON: Log Analytics sends it
as JSON text, Azure Data Explorer's v2 frames as the JSON value itself. A cell that does not
parse as its type is kept as it came, never dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

import orjson

_TIMESPAN = re.compile(
    r"^(?P<sign>-)?(?:(?P<days>\d+)\.)?(?P<hours>\d{1,2}):(?P<minutes>\d{2}):(?P<seconds>\d{2})"
    r"(?:\.(?P<fraction>\d{1,7}))?$"
)
_FRACTION = re.compile(r"(\.\d{6})\d+")
_SPECIAL_REALS = {"NaN": float("nan"), "Infinity": float("inf"), "-Infinity": float("-inf")}


def kusto_datetime(value: Any) -> Any:
    """An ISO 8601 UTC datetime (`2026-11-20T10:00:00.1234567Z`) as an aware datetime."""
    if not isinstance(value, str):
        return value
    text = _FRACTION.sub(r"\1", value.strip())  # Python keeps microseconds, Kusto ticks
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return value
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def kusto_timespan(value: Any) -> Any:
    """A Kusto timespan (`1.02:03:04.5000000`, `-00:00:01`) as a timedelta."""
    if not isinstance(value, str):
        return value
    match = _TIMESPAN.match(value.strip())
    if match is None:
        return value
    fraction = (match.group("fraction") or "").ljust(7, "0")
    span = timedelta(
        days=int(match.group("days") or 0),
        hours=int(match.group("hours")),
        minutes=int(match.group("minutes")),
        seconds=int(match.group("seconds")),
        microseconds=int(fraction) // 10,
    )
    return -span if match.group("sign") else span


def kusto_real(value: Any) -> Any:
    """A real as a float (Kusto writes NaN and the infinities as words)."""
    if isinstance(value, str):
        return _SPECIAL_REALS.get(value, value)
    return float(value) if isinstance(value, int) and not isinstance(value, bool) else value


def kusto_decimal(value: Any) -> Any:
    """A decimal as a Decimal (sent as text so no digit is lost)."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return value
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return value


def kusto_bool(value: Any) -> Any:
    """A bool as a bool (older responses send 0 and 1)."""
    if isinstance(value, int) and not isinstance(value, bool) and value in (0, 1):
        return bool(value)
    return value


def kusto_dynamic_text(value: Any) -> Any:
    """A dynamic cell sent as JSON text (Log Analytics) as the JSON value it holds."""
    if not isinstance(value, str) or not value:
        return value
    try:
        return orjson.loads(value)
    except orjson.JSONDecodeError:
        return value  # a plain string in a dynamic column


def _same(value: Any) -> Any:
    return value


_CONVERTERS: dict[str, Callable[[Any], Any]] = {
    "datetime": kusto_datetime,
    "date": kusto_datetime,
    "timespan": kusto_timespan,
    "time": kusto_timespan,
    "real": kusto_real,
    "double": kusto_real,
    "decimal": kusto_decimal,
    "bool": kusto_bool,
    "boolean": kusto_bool,
}


def converter(kusto_type: str, *, dynamic_as_text: bool) -> Callable[[Any], Any]:
    """How to read a cell of `kusto_type` (type names are case-insensitive)."""
    kind = kusto_type.lower()
    if kind == "dynamic":
        return kusto_dynamic_text if dynamic_as_text else _same
    return _CONVERTERS.get(kind, _same)


def typed_rows(
    types: Sequence[str], rows: Sequence[Sequence[Any]], *, dynamic_as_text: bool
) -> list[tuple[Any, ...]]:
    """Every row's cells read as their column's type (null stays None)."""
    readers = [converter(kind, dynamic_as_text=dynamic_as_text) for kind in types]
    return [
        tuple(None if cell is None else read(cell) for read, cell in zip(readers, row, strict=True))
        for row in rows
    ]
