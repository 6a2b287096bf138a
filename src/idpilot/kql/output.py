"""A KQL result as JSON, CSV or display text: datetimes ISO 8601 in UTC with a Z, JSON compact.

Cell values come from the tenant (a displayName, a userAgent) and reach a terminal: JSON
\\u-escapes control, bidi and zero-width characters (the data stays exact for a parser), CSV and
table cells show them as `{U+XXXX}` (`idpilot.copilot.inert`).
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from typing import Any

import orjson

from idpilot.copilot.inert import inert_json, inert_text, show_invisible
from idpilot.kql.adapter import KqlResult

_JSON_OPTIONS = orjson.OPT_UTC_Z | orjson.OPT_NAIVE_UTC | orjson.OPT_NON_STR_KEYS


def _fallback(value: Any) -> Any:
    """What orjson cannot serialise natively (DECIMAL, INTERVAL, ...) is written as text."""
    if isinstance(value, timedelta):
        return timespan_text(value)
    return str(value)


def timespan_text(value: timedelta) -> str:
    """A KQL timespan the way Kusto prints it: [d.]hh:mm:ss[.fffffff]."""
    sign = "-" if value < timedelta(0) else ""
    value = abs(value)
    hours, rest = divmod(value.seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    text = f"{hours:02}:{minutes:02}:{seconds:02}"
    if value.days:
        text = f"{value.days}.{text}"
    if value.microseconds:
        text += f".{value.microseconds * 10:07}"
    return sign + text


def datetime_text(value: datetime) -> str:
    """ISO 8601 in UTC with a Z (naive values are KQL datetimes, already UTC)."""
    moment = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return moment.isoformat().replace("+00:00", "Z")


def cell_text(value: Any) -> str:
    """One value as text for a table or CSV cell (null is empty)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return datetime_text(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, timedelta):
        return timespan_text(value)
    if isinstance(value, dict | list | tuple):
        return orjson.dumps(value, default=_fallback, option=_JSON_OPTIONS).decode()
    return str(value)


def table_text(value: Any) -> str:
    """One value as inert text for a terminal table cell: one line, invisible characters shown."""
    return inert_text(cell_text(value))


def to_json(result: KqlResult) -> str:
    """The rows as a JSON list of objects keyed by column name, invisible characters escaped."""
    return inert_json(
        orjson.dumps(
            result.records(), default=_fallback, option=_JSON_OPTIONS | orjson.OPT_INDENT_2
        ).decode()
    )


def to_csv(result: KqlResult) -> str:
    """The rows as CSV with a header line; control, bidi and invisible characters as `{U+XXXX}`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([show_invisible(name) for name in result.columns])
    for row in result.rows:
        writer.writerow([show_invisible(cell_text(value)) for value in row])
    return buffer.getvalue()
