"""Times of a sync: the run's end, log windows with their overlap, Graph's timestamp format."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from idpilot.errors import IdpilotError

_SPAN = re.compile(r"^\s*(\d+)\s*([dhm])\s*$", re.IGNORECASE)
_UNITS = {"d": "days", "h": "hours", "m": "minutes"}


def graph_time(moment: datetime) -> str:
    """A UTC time as Graph's `$filter` and records write it: 2026-11-20T10:00:00Z."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_graph_time(text: str) -> datetime:
    """A Graph timestamp (fractional seconds and Z allowed) as an aware UTC datetime."""
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def parse_span(text: str) -> timedelta:
    """`7d`, `12h` or `30m` as a duration; anything else is refused with an example."""
    match = _SPAN.match(text)
    if not match:
        raise IdpilotError(f"--since {text!r}: expected a number and d, h or m, like 7d or 12h")
    return timedelta(**{_UNITS[match.group(2).lower()]: int(match.group(1))})


def window_start(
    high_water: str | None, until: datetime, since: timedelta, overlap: timedelta
) -> str:
    """Where a log window starts: the last window's end less the overlap, else `since` ago."""
    if high_water is None:
        return graph_time(until - since)
    return graph_time(parse_graph_time(high_water) - overlap)
