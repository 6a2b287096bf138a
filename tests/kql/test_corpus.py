"""Real Sentinel queries over the Entra tables, run unchanged on the demo tenant.

`corpus/queries.yaml` pins each query with its repository, path, commit and licence
(`corpus/README.md`). Queries that read a table idpilot does not hold, download data, or read a
column the views lack are kept with the reason and not run. The share of the others that runs
must not fall below the measured floor, and where a hand-written SQL reference exists
(`corpus/references/<id>.sql`, over the same views) the KQL result must equal it.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from idpilot.kql.adapter import run_kql
from idpilot.kql.errors import KqlQueryError
from idpilot.store import Store

CORPUS = Path(__file__).parent / "corpus"
REFERENCES = CORPUS / "references"
# Measured: 88 of the 88 runnable queries (85 before union's typed columns, arithmetic on
# dynamic values, column names differing only in case and a named first argument naming its
# column; 84 before a string compared with a number);
# 79 of 83 before make-series, the series_*
# functions, top-nested, evaluate bag_unpack / pivot and five make-series hunting queries added;
# 58 of 69 (84%) before tabular let functions, table(), sets and the rest; 38 (55%) before
# idpilot.kql.extensions.
RUNNING_FLOOR = 88


@cache
def corpus() -> list[dict[str, Any]]:
    """Every pinned entry, excluded ones included."""
    return yaml.safe_load((CORPUS / "queries.yaml").read_text(encoding="utf-8"))


def runnable() -> list[dict[str, Any]]:
    """The entries that are run: not excluded."""
    return [entry for entry in corpus() if "excluded" not in entry]


def test_every_entry_is_pinned_to_its_source() -> None:
    entries = corpus()
    assert len(entries) >= 85
    assert len({entry["id"] for entry in entries}) == len(entries)
    for entry in entries:
        assert len(entry["commit"]) == 40, entry["id"]
        assert entry["licence"] in ("MIT", "BSD-3-Clause"), entry["id"]
        assert "reprise99" not in entry["repo"], entry["id"]
        assert ("query" in entry) or entry["excluded"], entry["id"]


def test_the_corpus_runs(demo_tenant: Any) -> None:
    failures = {}
    for entry in runnable():
        try:
            run_kql(demo_tenant.store, entry["query"])
        except KqlQueryError as error:
            failures[entry["id"]] = str(error).splitlines()[0]
    ran = len(runnable()) - len(failures)
    assert ran >= RUNNING_FLOOR, json.dumps(failures, indent=1)


@pytest.mark.parametrize("reference", sorted(REFERENCES.glob("*.sql")), ids=lambda p: p.stem)
def test_result_equals_the_sql_reference(demo_tenant: Any, reference: Path) -> None:
    entry = next(entry for entry in runnable() if entry["id"] == reference.stem)
    store: Store = demo_tenant.store
    result = run_kql(store, entry["query"])
    sql = reference.read_text(encoding="utf-8")
    parameters = {"now": store.captured_at()} if "$now" in sql else None
    cursor = store.con.execute(sql, parameters) if parameters else store.con.execute(sql)
    columns = [column[0] for column in cursor.description]
    expected = cursor.fetchall()
    assert result.columns == columns
    assert expected, "a reference over no rows proves nothing"
    assert _bag(result.rows) == _bag(expected)


def _bag(rows: list[tuple[Any, ...]]) -> list[str]:
    """Rows as comparable text: JSON parsed, sets and lists unordered, datetimes in UTC."""
    return sorted(json.dumps([_plain(value) for value in row], sort_keys=True) for row in rows)


def _plain(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("[", "{", '"'):
        try:
            value = json.loads(value)
        except ValueError:
            return value
    if isinstance(value, datetime):
        moment = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return moment.isoformat()
    if isinstance(value, list | tuple):
        return sorted(
            (_plain(item) for item in value), key=lambda item: json.dumps(item, sort_keys=True)
        )
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value
