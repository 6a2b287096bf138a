"""Figure records: the numbers a report computes, kept as evidence so each one is cited.

A figure record names the records it was computed from (`from`, as `kind:id`) and, when a
query over the logs reproduces it, that query; the appendix lists both.
"""

from __future__ import annotations

from typing import Any

from idpilot.model.records import Record
from idpilot.reports.model import FIGURE_KIND, Figure


class FigureBook:
    """Collects a report's figure records in the order they are made."""

    def __init__(self) -> None:
        self.records: list[Record] = []

    def add(
        self,
        figure_id: str,
        label: str,
        values: dict[str, Any],
        sources: list[str] | None = None,
        kql: str | None = None,
    ) -> str:
        """Record a figure (its values, and the `kind:id`s it came from); its `kind:id`."""
        fields: dict[str, Any] = {**values, "from": list(dict.fromkeys(sources or []))}
        if kql:
            fields["kql"] = kql
        self.records.append(Record(kind=FIGURE_KIND, id=figure_id, label=label, fields=fields))
        return f"{FIGURE_KIND}:{figure_id}"

    def value(self, ref: str, field: str, words: str) -> Figure:
        """A number of a recorded figure, with the words that say what it counts."""
        record = next(r for r in self.records if f"{r.kind}:{r.id}" == ref)
        value = record.fields[field]
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return Figure(ref=ref, field=field, value=value, words=words)


def ref_of(kind: str, record_id: str) -> str:
    """A record's `kind:id` reference."""
    return f"{kind}:{record_id}"
