"""Microsoft's published Graph examples are read as published by the administration code."""

import json
import shutil
from pathlib import Path

import pytest

from idpilot.skills import default_registry
from idpilot.sources.ingest import ingest_folder
from idpilot.store import Store
from idpilot.store.audit import decode_value, event_from_row, events_about, plain

GRAPH = Path(__file__).parent.parent / "fixtures" / "graph"


def _ingest(tmp_path, files: dict[str, str]) -> Store:
    folder = tmp_path / "snapshot"
    folder.mkdir(parents=True)
    for collection, reference in files.items():
        shutil.copy(GRAPH / reference, folder / f"{collection}.json")
    store = Store.open(tmp_path / "store.duckdb")
    ingest_folder(store, folder)
    return store


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ('["Sales"]', "Sales"),
        ('["a","b"]', ["a", "b"]),
        ('"Global Administrator"', "Global Administrator"),
        ('"[\\"x\\"]"', "x"),
        ("[]", None),
        ("", None),
        (None, None),
        ("DirectorySync", "DirectorySync"),
        ('{"state":"enabled"}', {"state": "enabled"}),
        ("true", True),
    ],
)
def test_decode_value(raw, expected):
    assert decode_value(raw) == expected


def test_plain():
    assert plain(["a", "b"]) == "a, b"
    assert plain(True) == "true"
    assert plain(None) is None


def test_directory_audit_reference_example(tmp_path):
    store = _ingest(tmp_path, {"directoryAudits": "directoryAudit.list.json"})
    rows = store.query("SELECT * FROM directoryAudits")
    event = event_from_row(rows[0])
    assert event.activity == "Add member to group"
    assert event.actor_kind == "user"
    assert event.actor_upn == "bob@wingtiptoysonline.com"
    assert event.ip_address == "127.0.0.1"
    group, user = event.targets
    assert group.type == "Group"  # published with a capital "Type"
    assert group.display_name == "Example.com"
    assert [(c.name, c.old, c.new) for c in group.changes] == []  # Action Client Name is noise
    assert user.user_principal_name == "bob@contoso.com"
    found, total = events_about(store, ["1f0e98f5-3161-4c6b-9b50-d488572f2bb7"])
    assert total == 1 and found[0].id == "id"
    by_actor, _ = events_about(
        store, ["728309ae-1a37-4937-9afe-e35d964db09b"], relations=("actor",)
    )
    assert [e.id for e in by_actor] == ["id"]


def test_filter_initiated_by_example(tmp_path):
    store = _ingest(tmp_path, {"directoryAudits": "directoryAudit.list.filterInitiatedBy.json"})
    event = event_from_row(store.query("SELECT * FROM directoryAudits")[0])
    assert event.activity == "GroupLifecyclePolicies_Get"
    assert event.ip_address == "10.0.0.0"
    assert event.targets[0].type == "N/A"
    assert event.operation_type == "Update"


def test_scan_fallback_matches_index(tmp_path):
    store = _ingest(tmp_path, {"directoryAudits": "directoryAudit.list.json"})
    indexed = events_about(store, ["ef7e527d-6c92-4234-8c6d-cf6fdfb57f95"])
    store.con.execute("DELETE FROM audit_objects")
    scanned = events_about(store, ["ef7e527d-6c92-4234-8c6d-cf6fdfb57f95"])
    assert [e.id for e in indexed[0]] == [e.id for e in scanned[0]] == ["id"]


def test_role_assignment_reference_example(tmp_path):
    store = _ingest(tmp_path, {"roleAssignments": "unifiedRoleAssignment.list.json"})
    result = default_registry().get("role_holders").run(store, {})
    roles = {r.role: r for r in result.facts.roles}
    # No roleDefinitions in the snapshot: roles are named by their template id.
    ga = roles["62e90394-69f5-4237-9190-012177145e10"]
    assert ga.privileged and ga.active == 1
    assert ga.grants[0].scope_kind == "tenant"
    assert ga.grants[0].principal.id == "f1847572-48aa-47aa-96a3-2ec61904f41f"


def test_group_reference_example(tmp_path):
    store = _ingest(tmp_path, {"groups": "group.list.json"})
    registry = default_registry()
    everything = registry.get("list_groups").run(store, {})
    total = len(json.loads((GRAPH / "group.list.json").read_text())["value"])
    assert everything.facts.total == total
    unified = registry.get("list_groups").run(store, {"unified": True})
    assert "Golf Assist" in {g.displayName for g in unified.facts.groups}


def test_user_sign_in_activity_example(tmp_path):
    store = _ingest(tmp_path, {"users": "user.list.signInActivity.json"})
    skill = default_registry().get("list_users")
    never = skill.run(store, {"never_signed_in": True})
    assert never.facts.total == 0  # 0001-01-01 non-interactive is "never", interactive is set
    everyone = skill.run(store, {})
    last = {u.displayName: u.lastSignIn for u in everyone.facts.users}
    assert last["Adele Vance"].isoformat().startswith("2021-06-17T16:41:33")
    assert last["Alex Wilber"].isoformat().startswith("2021-07-29T17:53:42")


def test_guest_and_licence_examples(tmp_path):
    store = _ingest(tmp_path, {"users": "user.list.guestB2B.json"})
    guests = default_registry().get("list_users").run(store, {"user_type": "Guest"})
    assert guests.facts.filters == {"user_type": "Guest"}
    assert guests.facts.total >= 1
    store2 = _ingest(tmp_path / "b", {"users": "user.list.assignedLicenses.json"})
    licensed = default_registry().get("list_users").run(store2, {"has_licences": True})
    assert licensed.facts.total >= 1


def test_object_valued_properties_are_diffed():
    row = {
        "id": "a",
        "activityDisplayName": "Update conditional access policy",
        "targetResources": [
            {"id": "p", "type": "Policy", "modifiedProperties": [{
                "displayName": "ConditionalAccessPolicy",
                "oldValue": '{"state":"enabled"}',
                "newValue": '{"state":"disabled","conditions":{"users":{"includeUsers":["All"]}}}',
            }]}
        ],
    }  # fmt: skip
    changes = event_from_row(row).targets[0].changes
    assert [(c.name, c.old, c.new) for c in changes] == [
        ("ConditionalAccessPolicy.state", "enabled", "disabled"),
        ("ConditionalAccessPolicy (also set)", None, "ConditionalAccessPolicy.conditions"),
    ]
