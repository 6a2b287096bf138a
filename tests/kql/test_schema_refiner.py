"""The schema refiner: columns and types, low-cardinality values and JSON fields, from the store."""

from __future__ import annotations

import pytest

from idpilot.kql import schema_refiner
from idpilot.kql.adapter import LOG_ANALYTICS_TABLES, run_kql
from idpilot.kql.schema_refiner import (
    MAX_VALUES,
    SMALL_BUDGET_CHARS,
    TableSchema,
    kql_type,
    refine_schema,
    schema_text,
)
from idpilot.store import Store


def _table(store: Store, name: str) -> TableSchema:
    return next(t for t in refine_schema(store) if t.name == name)


def test_every_view_with_its_columns_and_kql_types(store: Store) -> None:
    tables = refine_schema(store)
    assert [t.name for t in tables] == list(LOG_ANALYTICS_TABLES)
    sign_ins = _table(store, "SigninLogs")
    types = {c.name: c.type for c in sign_ins.columns}
    assert types["TimeGenerated"] == "datetime" and types["UserPrincipalName"] == "string"
    assert types["LocationDetails"] == "dynamic"
    assert sign_ins.rows == run_kql(store, "SigninLogs | count").rows[0][0]
    assert kql_type("TIMESTAMP WITH TIME ZONE") == "datetime" and kql_type("BIGINT") == "long"


def test_low_cardinality_columns_carry_the_values_the_store_holds(store: Store) -> None:
    sign_ins = {c.name: c for c in _table(store, "SigninLogs").columns}
    held = {row[0] for row in run_kql(store, "SigninLogs | distinct ResultType").rows}
    assert set(sign_ins["ResultType"].values) == held - {None, ""}
    assert len(sign_ins["ResultType"].values) <= MAX_VALUES
    # An identifier per row is not a value list; a GUID column never is.
    assert sign_ins["Id"].values == () and sign_ins["CorrelationId"].values == ()
    audit = {c.name: c for c in _table(store, "AuditLogs").columns}
    operations = {row[0] for row in run_kql(store, "AuditLogs | distinct OperationName").rows}
    assert set(audit["OperationName"].values) == operations


def test_dynamic_columns_list_their_field_paths(store: Store) -> None:
    sign_ins = {c.name: c for c in _table(store, "SigninLogs").columns}
    assert "LocationDetails.city" in sign_ins["LocationDetails"].fields
    audit = {c.name: c for c in _table(store, "AuditLogs").columns}
    assert any(f.startswith("TargetResources[0].") for f in audit["TargetResources"].fields)


def test_the_text_puts_the_asked_table_first_and_a_small_context_gets_less(store: Store) -> None:
    tables = refine_schema(store)
    large = schema_text(tables, first=["AuditLogs"])
    small = schema_text(tables, first=["AuditLogs"], small=True)
    assert large.startswith("AuditLogs (") and small.startswith("AuditLogs (")
    assert len(small) < len(large)
    audit_block = schema_text(tables[3:4], small=True)
    *listed, named = small.splitlines()
    assert named.startswith("Also (columns not shown): ")
    assert len("\n".join(listed)) <= max(SMALL_BUDGET_CHARS, len(audit_block))
    assert "ResultType values: " in schema_text(tables, first=["SigninLogs"], small=True)


def test_every_table_is_named_and_one_that_does_not_fit_whole_keeps_its_columns(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    tables = refine_schema(store)
    audit, sign_ins = (
        schema_text([_table(store, n)], small=True) for n in ("AuditLogs", "SigninLogs")
    )
    columns_line = sign_ins.splitlines()[0]
    # Room for the audit table whole and the sign-in table's column line, not for it whole.
    monkeypatch.setattr(schema_refiner, "SMALL_BUDGET_CHARS", len(audit) + len(columns_line))
    small = schema_text(tables, first=["AuditLogs", "SigninLogs"], small=True)
    lines = small.splitlines()
    assert small.startswith(audit + "\n" + columns_line + "\n") and len(sign_ins) > len(
        columns_line
    )
    assert all(t.name in small for t in tables)
    named = lines[-1].removeprefix("Also (columns not shown): ").split(", ")
    assert named and not any(line.startswith(f"{n} (") for n in named for line in lines)
    # Each table appears once, whatever `first` repeats.
    twice = schema_text(tables, first=["AuditLogs", "AuditLogs"], small=True)
    assert twice.count("AuditLogs (") == 1
