"""Two versions of the demo tenant's directory a week apart, with changes planted in the
second: users created, changed and deleted, a group's members, a role assignment, an app's
credential, Conditional Access policies switched and deleted."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from idpilot.sources.ingest import ingest_folder
from idpilot.store import Store

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


def directory_copy(demo: Path, target: Path, captured: str) -> Path:
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
    roles = _read(folder, "roleDefinitions")["value"]
    role = next(r for r in roles if r["id"] == dropped["roleDefinitionId"])
    planted_details["assignment_label"] = f"{moved['displayName']} as {role['displayName']}"
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


@dataclass(frozen=True)
class TwoVersions:
    """The store of two ingests and what was planted between them."""

    path: Path
    planted: set[tuple[str, str, str]]
    details: dict[str, str]


def build_two_versions(demo: Path, root: Path) -> TwoVersions:
    """Ingest the demo directory, then the planted copy a week later, into one store."""
    first = directory_copy(demo, root / "week1", "2026-11-20T10:00:00Z")
    second = directory_copy(demo, root / "week2", "2026-11-28T10:00:00Z")
    planted = _plant(second)
    path = root / "store.duckdb"
    with Store.open(path) as store:
        assert ingest_folder(store, first).version == 1
        assert ingest_folder(store, second).version == 2
    return TwoVersions(path, planted, dict(planted_details))
