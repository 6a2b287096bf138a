"""Helpers shared by the security skills: windows, evidence conversion, plain values."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from idpilot.model.records import Record
from idpilot.model.windows import TimeWindow
from idpilot.skills.base import SkillResult
from idpilot.store import Store

DEFAULT_LOOKBACK = timedelta(days=30)
"""Without a time phrase, look at the last 30 days: Entra keeps sign-in logs that long."""


def scan_window(store: Store, window: TimeWindow | None) -> TimeWindow:
    """The prompt's time window, or the default lookback."""
    if window is not None:
        return window
    end = store.captured_at() + timedelta(seconds=1)
    return TimeWindow(start=end - DEFAULT_LOOKBACK, end=end, phrase="last 30 days")


def plain(value: Any) -> Any:
    """JSON-friendly value (datetimes as ISO strings)."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def pick(record: dict[str, Any], keys: Iterable[str]) -> dict[str, Any]:
    """The named fields of a row, in the order given."""
    return {k: record[k] for k in keys}


def add_plain(result: SkillResult, kind: str, id: str, label: str, fields: dict[str, Any]) -> None:
    """Add an evidence record whose fields are made plain (datetimes as ISO strings)."""
    result.add_evidence(Record(kind=kind, id=id, label=label, fields=plain(fields)))


def add_evidence(result: SkillResult, evidence: list[Record]) -> None:
    """Add security-layer evidence records to a skill result."""
    for item in evidence:
        add_plain(result, item.kind, item.id, item.label, item.fields)


ProposalFact = dict[str, Any]
"""A remediation proposal as plain data (`actions.proposals.Proposal.as_fact`: its JSON form
plus `reversible`), as detections and security engines hand it over."""
