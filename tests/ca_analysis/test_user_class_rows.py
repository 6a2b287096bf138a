"""A read-only store version keeps its per-user class rows for the drafts asked about it."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from idpilot.ca_analysis import _replay_classes
from idpilot.ca_analysis._replay_classes import replay_classes, user_class_rows
from idpilot.ca_analysis.tenant_policies import TenantPolicies
from idpilot.store import Store, version_memo


def _reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One entry per time the sign-ins are read."""
    reads: list[int] = []
    real = _replay_classes.replay_class_rows

    def counted(*args: Any, **options: Any) -> Any:
        reads.append(1)
        return real(*args, **options)

    monkeypatch.setattr(_replay_classes, "replay_class_rows", counted)
    return reads


def _expected(store: Store) -> list[dict[str, Any]]:
    rows = list(replay_classes(store, TenantPolicies.load(store), None, per_user=True))
    return _in_order([{k: v for k, v in row.items() if k != "recorded"} for row in rows])


_LABELS = ("user_class", "ip_class")
"""Numbers a grouping query gives its classes in no particular order: each row's user and IP
say which class it is of."""


def _in_order(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows without their class numbers, in one fixed order (a grouping query returns them
    in no particular one)."""
    unlabelled = [{k: v for k, v in row.items() if k not in _LABELS} for row in rows]
    return sorted(unlabelled, key=lambda row: repr(sorted(row.items())))


def test_a_version_reads_its_sign_ins_once(
    tenant_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    version_memo._KEPT.clear()
    with Store.open(tenant_path, read_only=True) as store:
        expected = _expected(store)
        reads = _reads(monkeypatch)
        first = _in_order(list(user_class_rows(store, TenantPolicies.load(store))))
        again = _in_order(list(user_class_rows(store, TenantPolicies.load(store))))
    assert first == again == expected
    assert len(reads) == 1


def test_too_many_rows_are_read_again(tenant_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    version_memo._KEPT.clear()
    monkeypatch.setattr(_replay_classes, "KEPT_USER_CLASS_ROWS", 3)
    with Store.open(tenant_path, read_only=True) as store:
        expected = _expected(store)
        assert len(expected) > 3
        reads = _reads(monkeypatch)
        for _ in range(2):
            assert _in_order(list(user_class_rows(store, TenantPolicies.load(store)))) == expected
    assert len(reads) == 2


def test_a_store_that_can_change_keeps_nothing(
    tenant_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    version_memo._KEPT.clear()
    with Store.open(shutil.copyfile(tenant_path, tmp_path / "copy.duckdb")) as writable:
        reads = _reads(monkeypatch)
        for _ in range(2):
            assert list(user_class_rows(writable, TenantPolicies.load(writable)))
    assert len(reads) == 2
    assert not version_memo._KEPT
