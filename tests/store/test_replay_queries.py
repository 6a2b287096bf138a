"""Replay's class query and the report-only counts agree with their straightforward forms."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from signin import tenant as fixture_tenant
from signin.conftest import tenant_path  # noqa: F401  (the sign-in fixture tenant, built once)

from idpilot.ca_analysis import _replay_classes
from idpilot.ca_analysis.tenant_policies import TenantPolicies
from idpilot.conditional_access.sign_in_context import MFA_FAILURE_CODES, MFA_SATISFIED_DETAIL
from idpilot.knowledge import primary_authentication_failure_codes
from idpilot.sources.ingest import ingest_folder
from idpilot.store import Store
from idpilot.store.queries.conditional_access import (
    FETCH_BATCH,
    replay_class_rows,
    report_only_outcomes,
)
from tests import tail_reference
from tests.conftest import DemoTenant

ANY_VALUE = ("ip", "user_id")
"""Columns any member of a class stands in for (the class columns are compared instead)."""


# Values of the fields replay reads from the whole record, cycled over the fixture's sign-ins
# (None: the field is left out).
VARIED: dict[str, list[Any]] = {
    "userRiskLevel": ["none", "high", None, "low", "hidden"],
    "originalTransferMethod": [None, "deviceCodeFlow", "authenticationTransfer"],
    "authenticationProtocol": ["none", None, "deviceCode", "ropc"],
    "authenticationContextClassReferences": [
        None, [], [{"id": "c1", "detail": "required"}],
        [{"id": "c2", "detail": "previouslySatisfied"}],
    ],
    "authenticationDetails": [
        "kept", None, [],
        [{"succeeded": True, "authenticationStepRequirement": "Multifactor authentication"}],
        [{"succeeded": False,
          "authenticationStepResultDetail": "MFA requirement satisfied by claim in the token"}],
    ],
}  # fmt: skip


@pytest.fixture(scope="module")
def varied(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The sign-in fixture tenant with those fields varied from record to record."""
    root = tmp_path_factory.mktemp("varied")
    folder, path = root / "snapshot", root / "store.duckdb"
    folder.mkdir()
    (folder / "manifest.json").write_text(
        json.dumps(
            {"tenantId": "contoso-test", "capturedDateTime": fixture_tenant.CAPTURED.isoformat()}
        )
    )
    for name, value in fixture_tenant._directory_files().items():
        fixture_tenant.write_json(folder / f"{name}.json", value)
    with Store.open(path) as writable:
        ingest_folder(writable, folder)
        rows = fixture_tenant.sign_ins()
        for number, row in enumerate(rows):
            for field, values in VARIED.items():
                value = values[number % len(values)]
                if value is None:
                    row.pop(field, None)
                elif value != "kept":
                    row[field] = value
        fixture_tenant.record_policies(writable, rows)
        fixture_tenant.write_json(folder / "signIns.json", rows)
        ingest_folder(writable, folder)
    with Store.open(path, read_only=True) as opened:
        yield opened


def _bound(opened: Store, per_user: bool, device_ids: bool) -> dict[str, Any]:
    tenant = TenantPolicies.load(opened)
    users = (
        _replay_classes._own_classes(opened)
        if per_user
        else _replay_classes._user_classes(opened, tenant)
    )
    return {
        "users": users,
        "ips": _replay_classes._ip_classes(opened, tenant),
        "since": None,
        "device_ids": device_ids,
        "sample": _replay_classes.SAMPLE_IDS,
        "mfa_failures": sorted(MFA_FAILURE_CODES),
        "mfa_satisfied": MFA_SATISFIED_DETAIL,
        "primary_failures": sorted(primary_authentication_failure_codes()),
    }


def _canonical(rows: list[dict[str, Any]], per_user: bool) -> list[str]:
    kept = []
    for row in rows:
        kept_keys = [k for k in row if (per_user and k == "user_id") or k not in ANY_VALUE]
        shown = {k: row[k] for k in kept_keys}
        shown["sample_ids"] = sorted(shown["sample_ids"] or [])
        kept.append(repr(sorted(shown.items())))
    return sorted(kept)


def _compare(opened: Store, per_user: bool, device_ids: bool) -> None:
    bound = _bound(opened, per_user, device_ids)
    fast = list(replay_class_rows(opened, **bound))
    reference = tail_reference.replay_class_rows(opened, **bound)
    assert fast and len(fast) == len(reference)
    assert _canonical(fast, per_user) == _canonical(reference, per_user)


@pytest.mark.parametrize(("per_user", "device_ids"), [(True, False), (False, True)])
def test_class_rows_are_the_field_by_field_query_on_the_demo(
    demo_tenant: DemoTenant, per_user: bool, device_ids: bool
) -> None:
    _compare(demo_tenant.store, per_user, device_ids)


@pytest.mark.parametrize("per_user", [True, False])
def test_class_rows_are_the_field_by_field_query_on_the_sign_in_fixture(
    tenant_path: Path,  # noqa: F811
    per_user: bool,
) -> None:
    """The fixture holds both record shapes (steps listed or not, MFA detail or not)."""
    with Store.open(tenant_path, read_only=True) as opened:
        _compare(opened, per_user, device_ids=True)


@pytest.mark.parametrize("per_user", [True, False])
def test_class_rows_are_the_field_by_field_query_with_every_field_varied(
    varied: Store, per_user: bool
) -> None:
    for field in VARIED:  # each field takes at least three shapes
        shapes = f"SELECT count(DISTINCT coalesce((raw->'{field}')::VARCHAR, '-')) FROM signIns"
        assert varied.scalar(shapes) >= 3, field
    _compare(varied, per_user, device_ids=False)


def test_report_only_counts_leave_out_only_policies_with_none(demo_tenant: DemoTenant) -> None:
    demo = demo_tenant.store
    ids = [p["id"].lower() for p in TenantPolicies.load(demo).policies]
    reference = tail_reference.report_only_outcomes(demo, ids)
    fast = {row[0]: (row[1], row[2]) for row in report_only_outcomes(demo, ids)}
    assert any(blocked or interrupted for blocked, interrupted in reference.values())
    assert {k: v for k, v in reference.items() if v != (0, 0)} == {
        k: v for k, v in fast.items() if v != (0, 0)
    }
    assert set(fast) <= set(reference)


def test_class_rows_survive_queries_between_batches(demo_tenant: DemoTenant) -> None:
    """A caller that queries the store while reading the rows (the directory, one user at a
    time) still reads every class: the rows come through a connection of their own."""
    demo = demo_tenant.store
    bound = _bound(demo, per_user=True, device_ids=False)
    replayable = demo.scalar(
        "SELECT count(*) FROM signIns WHERE json_array_length(appliedConditionalAccessPolicies) > 0"
    )
    read = 0
    for number, row in enumerate(replay_class_rows(demo, **bound)):
        read += row["n"]
        if number % 1000 == 0:
            demo.scalar("SELECT count(*) FROM users")
    assert number + 1 > FETCH_BATCH  # more than one batch was read
    assert read == replayable
