"""`idpilot diff` finds every change planted between two versions of the demo tenant, deleted
objects and changes no audit event shows included, and nothing else."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from idpilot.cli.app import app
from idpilot.history.compare import HistoryError, tenant_diff
from idpilot.sources.ingest import ingest_folder
from idpilot.store import Store
from tests.conftest import DemoTenant
from tests.history.planted import NEW_ASSIGNMENT, NEW_SECRET, NEW_USER, TwoVersions, directory_copy


def _diff_json(path: Path, *options: str) -> dict[str, Any]:
    result = CliRunner().invoke(app, ["diff", *options, "--store", str(path), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_diff_since_a_week_finds_every_planted_change_and_nothing_else(
    two_versions: TwoVersions,
) -> None:
    path, planted = two_versions.path, two_versions.planted
    found = _diff_json(path, "--since", "7d")
    assert (found["before"]["version"], found["after"]["version"]) == (1, 2)
    assert {(c["collection"], c["id"], c["change"]) for c in found["changes"]} == planted


def test_changes_say_what_changed(two_versions: TwoVersions) -> None:
    path = two_versions.path
    changes = {c["id"]: c for c in _diff_json(path, "--from", "1", "--to", "2")["changes"]}
    moved = changes[two_versions.details["moved"]]
    department = next(p for p in moved["properties"] if p["path"] == "department")
    assert (
        department["after"] == "Planted Department" and department["before"] != "Planted Department"
    )
    group = changes[two_versions.details["group"]]
    assert {(e["id"], e["added"]) for e in group["elements"]} == {
        (two_versions.details["removed_member"], False),
        (two_versions.details["moved"], True),
    }
    secret = next(e for a in changes.values() for e in a["elements"] if e["id"] == NEW_SECRET)
    assert secret["added"] and "planted-secret" in secret["label"]
    policy = changes[two_versions.details["policy"]]
    assert policy["properties"] == [{"path": "state", "before": "enabled", "after": "disabled"}]
    assert not changes[NEW_USER]["audited"]  # no audit event shows it: only the versions do
    assert changes[NEW_ASSIGNMENT]["label"] == two_versions.details["assignment_label"]


def test_the_current_version_no_longer_holds_deleted_objects(
    two_versions: TwoVersions,
) -> None:
    path, planted = two_versions.path, two_versions.planted
    deleted = [i for c, i, kind in planted if kind == "deleted" and c == "users"]
    with Store.open(path, read_only=True) as store:
        assert store.scalar("SELECT count(*) FROM users WHERE id = ?", deleted) == 0
        members = store.scalar(
            "SELECT count(*) FROM group_members WHERE group_id = ? AND member_id = ?",
            [two_versions.details["group"], two_versions.details["removed_member"]],
        )
        assert members == 0


def test_the_text_output_lists_each_change(
    two_versions: TwoVersions,
) -> None:
    path, planted = two_versions.path, two_versions.planted
    result = CliRunner().invoke(app, ["diff", "--store", str(path)], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "Version 1" in result.output and "version 2" in result.output
    for _, object_id, _ in planted:
        assert object_id in result.output


def test_one_version_or_an_unknown_one_is_said_plainly(
    two_versions: TwoVersions, tmp_path: Path, demo_tenant: DemoTenant
) -> None:
    path = two_versions.path
    with (
        Store.open(path, read_only=True) as store,
        pytest.raises(HistoryError, match="no version 9"),
    ):
        tenant_diff(store, before=9)
    result = CliRunner().invoke(app, ["diff", "--since", "soon", "--store", str(path)])
    assert result.exit_code != 0 and "not a duration" in result.output
    single = directory_copy(demo_tenant.folder, tmp_path / "one", "2026-11-20T10:00:00Z")
    with Store.open(tmp_path / "one.duckdb") as store:
        ingest_folder(store, single)
        with pytest.raises(HistoryError, match="one version"):
            tenant_diff(store)


def test_reingesting_the_same_snapshot_is_a_version_without_changes(
    demo_tenant: DemoTenant, tmp_path: Path
) -> None:
    folder = directory_copy(demo_tenant.folder, tmp_path / "same", "2026-11-20T10:00:00Z")
    with Store.open(tmp_path / "same.duckdb") as store:
        ingest_folder(store, folder)
        ingest_folder(store, folder)
        assert tenant_diff(store).changes == []
