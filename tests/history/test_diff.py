"""`idpilot diff` finds every change planted between two versions of the demo tenant, deleted
objects and changes no audit event shows included, and nothing else."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from idpilot.cli.app import app
from idpilot.history.compare import HistoryError, tenant_diff
from idpilot.sources.ingest import ingest_folder
from idpilot.store import Store
from tests.conftest import DemoTenant

NEW_USER = "0f1e2d3c-0000-4000-8000-000000000001"
NEW_ASSIGNMENT = "planted-role-assignment"
NEW_SECRET = "7e57c0de-0000-4000-8000-0000000000aa"


def _read(folder: Path, name: str) -> dict[str, Any]:
    return json.loads((folder / f"{name}.json").read_text())


def _write(folder: Path, name: str, body: dict[str, Any]) -> None:
    (folder / f"{name}.json").write_text(json.dumps(body))


def _edit(folder: Path, name: str, change: Callable[[list[dict[str, Any]]], None]) -> None:
    body = _read(folder, name)
    change(body["value"])
    _write(folder, name, body)


def _directory_copy(demo: Path, target: Path, captured: str) -> Path:
    """The demo snapshot without its sign-ins (a directory diff does not need 29,000 of them)."""
    target.mkdir(parents=True)
    for path in demo.iterdir():
        if path.is_file() and path.name not in ("signIns.jsonl",):
            shutil.copyfile(path, target / path.name)
    manifest = json.loads((target / "manifest.json").read_text())
    manifest["capturedDateTime"] = captured
    (target / "manifest.json").write_text(json.dumps(manifest))
    return target


def _plant(folder: Path) -> set[tuple[str, str, str]]:
    """Changes made to the snapshot a week later: (collection, id, created/changed/deleted)."""
    planted: set[tuple[str, str, str]] = set()
    users = _read(folder, "users")["value"]
    gone, moved, volatile = users[10], users[11], users[12]

    def users_change(value: list[dict[str, Any]]) -> None:
        value.remove(next(u for u in value if u["id"] == gone["id"]))
        changed = next(u for u in value if u["id"] == moved["id"])
        changed["department"] = "Planted Department"
        changed["accountEnabled"] = not changed.get("accountEnabled", True)
        quiet = next(u for u in value if u["id"] == volatile["id"])
        quiet["signInActivity"] = {"lastSignInDateTime": "2026-11-27T09:00:00Z"}  # not a change
        value.append(
            {"id": NEW_USER, "displayName": "Planted Newcomer", "userPrincipalName": "np@x.com"}
        )

    _edit(folder, "users", users_change)
    planted |= {
        ("users", gone["id"], "deleted"),
        ("users", moved["id"], "changed"),
        ("users", NEW_USER, "created"),
    }

    groups = _read(folder, "groups")["value"]
    group = next(g for g in groups if len(g.get("members", [])) >= 2)
    removed_member = group["members"][0]

    def groups_change(value: list[dict[str, Any]]) -> None:
        target = next(g for g in value if g["id"] == group["id"])
        joined = {"@odata.type": "#microsoft.graph.user", "id": moved["id"], "displayName": "x"}
        target["members"] = [*target["members"][1:], joined]

    _edit(folder, "groups", groups_change)
    planted.add(("groups", group["id"], "changed"))

    assignments = _read(folder, "roleAssignments")["value"]
    dropped = assignments[0]

    def roles_change(value: list[dict[str, Any]]) -> None:
        value.remove(next(a for a in value if a["id"] == dropped["id"]))
        value.append(
            {
                "id": NEW_ASSIGNMENT,
                "principalId": moved["id"],
                "roleDefinitionId": dropped["roleDefinitionId"],
                "directoryScopeId": "/",
            }
        )

    _edit(folder, "roleAssignments", roles_change)
    planted |= {
        ("roleAssignments", dropped["id"], "deleted"),
        ("roleAssignments", NEW_ASSIGNMENT, "created"),
    }

    app_with_secret = next(a for a in _read(folder, "applications")["value"] if a.get("id"))

    def apps_change(value: list[dict[str, Any]]) -> None:
        target = next(a for a in value if a["id"] == app_with_secret["id"])
        target["passwordCredentials"] = [
            *(target.get("passwordCredentials") or []),
            {"keyId": NEW_SECRET, "displayName": "planted-secret", "endDateTime": "2028-01-01"},
        ]

    _edit(folder, "applications", apps_change)
    planted.add(("applications", app_with_secret["id"], "changed"))

    policies = _read(folder, "conditionalAccessPolicies")["value"]
    switched, deleted_policy = policies[0], policies[1]

    def policies_change(value: list[dict[str, Any]]) -> None:
        value.remove(next(p for p in value if p["id"] == deleted_policy["id"]))
        target = next(p for p in value if p["id"] == switched["id"])
        target["state"] = "disabled"

    _edit(folder, "conditionalAccessPolicies", policies_change)
    planted |= {
        ("conditionalAccessPolicies", switched["id"], "changed"),
        ("conditionalAccessPolicies", deleted_policy["id"], "deleted"),
    }
    planted_details["removed_member"] = removed_member["id"]
    planted_details["group"] = group["id"]
    planted_details["moved"] = moved["id"]
    planted_details["policy"] = switched["id"]
    return planted


planted_details: dict[str, str] = {}


@pytest.fixture(scope="module")
def two_versions(
    demo_tenant: DemoTenant, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, set[tuple[str, str, str]]]:
    """A store of two ingests of the demo directory, a week apart, with planted changes."""
    root = tmp_path_factory.mktemp("history")
    first = _directory_copy(demo_tenant.folder, root / "week1", "2026-11-20T10:00:00Z")
    second = _directory_copy(demo_tenant.folder, root / "week2", "2026-11-28T10:00:00Z")
    planted = _plant(second)
    path = root / "store.duckdb"
    with Store.open(path) as store:
        assert ingest_folder(store, first).version == 1
        report = ingest_folder(store, second)
        assert report.version == 2
    return path, planted


def _diff_json(path: Path, *options: str) -> dict[str, Any]:
    result = CliRunner().invoke(app, ["diff", *options, "--store", str(path), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_diff_since_a_week_finds_every_planted_change_and_nothing_else(
    two_versions: tuple[Path, set[tuple[str, str, str]]],
) -> None:
    path, planted = two_versions
    found = _diff_json(path, "--since", "7d")
    assert (found["before"]["version"], found["after"]["version"]) == (1, 2)
    assert {(c["collection"], c["id"], c["change"]) for c in found["changes"]} == planted


def test_changes_say_what_changed(two_versions: tuple[Path, set[tuple[str, str, str]]]) -> None:
    path, _ = two_versions
    changes = {c["id"]: c for c in _diff_json(path, "--from", "1", "--to", "2")["changes"]}
    moved = changes[planted_details["moved"]]
    department = next(p for p in moved["properties"] if p["path"] == "department")
    assert (
        department["after"] == "Planted Department" and department["before"] != "Planted Department"
    )
    group = changes[planted_details["group"]]
    assert {(e["id"], e["added"]) for e in group["elements"]} == {
        (planted_details["removed_member"], False),
        (planted_details["moved"], True),
    }
    secret = next(e for a in changes.values() for e in a["elements"] if e["id"] == NEW_SECRET)
    assert secret["added"] and "planted-secret" in secret["label"]
    policy = changes[planted_details["policy"]]
    assert policy["properties"] == [{"path": "state", "before": "enabled", "after": "disabled"}]
    assert not changes[NEW_USER]["audited"]  # no audit event shows it: only the versions do
    assert changes[NEW_ASSIGNMENT]["label"].endswith(
        changes[NEW_ASSIGNMENT]["label"].split(" as ")[1]
    )


def test_the_current_version_no_longer_holds_deleted_objects(
    two_versions: tuple[Path, set[tuple[str, str, str]]],
) -> None:
    path, planted = two_versions
    deleted = [i for c, i, kind in planted if kind == "deleted" and c == "users"]
    with Store.open(path, read_only=True) as store:
        assert store.scalar("SELECT count(*) FROM users WHERE id = ?", deleted) == 0
        members = store.scalar(
            "SELECT count(*) FROM group_members WHERE group_id = ? AND member_id = ?",
            [planted_details["group"], planted_details["removed_member"]],
        )
        assert members == 0


def test_the_text_output_lists_each_change(
    two_versions: tuple[Path, set[tuple[str, str, str]]],
) -> None:
    path, planted = two_versions
    result = CliRunner().invoke(app, ["diff", "--store", str(path)], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "Version 1" in result.output and "version 2" in result.output
    for _, object_id, _ in planted:
        assert object_id in result.output


def test_one_version_or_an_unknown_one_is_said_plainly(
    two_versions: tuple[Path, set[tuple[str, str, str]]], tmp_path: Path, demo_tenant: DemoTenant
) -> None:
    path, _ = two_versions
    with (
        Store.open(path, read_only=True) as store,
        pytest.raises(HistoryError, match="no version 9"),
    ):
        tenant_diff(store, before=9)
    result = CliRunner().invoke(app, ["diff", "--since", "soon", "--store", str(path)])
    assert result.exit_code != 0 and "not a duration" in result.output
    single = _directory_copy(demo_tenant.folder, tmp_path / "one", "2026-11-20T10:00:00Z")
    with Store.open(tmp_path / "one.duckdb") as store:
        ingest_folder(store, single)
        with pytest.raises(HistoryError, match="one version"):
            tenant_diff(store)


def test_reingesting_the_same_snapshot_is_a_version_without_changes(
    demo_tenant: DemoTenant, tmp_path: Path
) -> None:
    folder = _directory_copy(demo_tenant.folder, tmp_path / "same", "2026-11-20T10:00:00Z")
    with Store.open(tmp_path / "same.duckdb") as store:
        ingest_folder(store, folder)
        ingest_folder(store, folder)
        assert tenant_diff(store).changes == []
