"""Ingest: every published shape, merge by id, idempotence, and precise refusals."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import orjson
import pytest

from idpilot.errors import SnapshotError
from idpilot.sources.ingest import ingest_folder
from idpilot.store import Store
from tests.helpers import GRAPH_EXAMPLES, snapshot_from_examples

# Every list example whose collection DESIGN.md names, and the file name it takes in a snapshot.
VALID_LIST_EXAMPLES = {
    "application.list.json": "applications.json",
    "conditionalAccessPolicy.list.json": "conditionalAccessPolicies.json",
    "directoryAudit.list.json": "directoryAudits.json",
    "directoryAudit.list.filterInitiatedBy.json": "directoryAudits.2.json",
    "group.list.json": "groups.json",
    "namedLocation.list.json": "namedLocations.json",
    "riskDetection.list.json": "riskDetections.json",
    "riskyServicePrincipal.list.json": "riskyServicePrincipals.json",
    "riskyUser.list.json": "riskyUsers.json",
    "servicePrincipal.list.json": "servicePrincipals.json",
    "signIn.beta.list.json": "signIns.json",
    "unifiedRoleAssignment.list.json": "roleAssignments.json",
    "user.list.json": "users.json",
    "user.list.guestB2B.json": "users.guests.json",
    "user.list.assignedLicenses.json": "users.licences.json",
    "user.list.signInActivity.json": "users.activity.json",
    "userRegistrationDetails.list.json": "userRegistrationDetails.json",
    "workflow.list.json": "lifecycleWorkflows.json",
}
INVALID_AS_PUBLISHED = {
    "signIn.list.json": "signIns.json",
    "unifiedRoleAssignment.list.expandPrincipal.json": "roleAssignments.json",
}


def _ids(example: str) -> set[str]:
    items = json.loads((GRAPH_EXAMPLES / example).read_text())["value"]
    return {item.get("id") or item["appId"] for item in items}


def fingerprint(store: Store) -> dict[str, object]:
    """Everything a store holds, reduced to comparable values."""
    found = {}
    for table in sorted(store.tables()):
        found[table] = store.con.execute(
            f'SELECT count(*), coalesce(sum(hash(t::VARCHAR)), 0) FROM "{table}" t'
        ).fetchone()
    return found


@pytest.mark.parametrize(("example", "target"), sorted(VALID_LIST_EXAMPLES.items()))
def test_each_reference_list_example_lands_in_its_table(
    tmp_path: Path, store: Store, example: str, target: str
) -> None:
    folder = snapshot_from_examples(tmp_path / "snap", {example: target})
    report = ingest_folder(store, folder)
    table = target.split(".")[0]
    stored = {row["id"] for row in store.query(f'SELECT id FROM "{table}"')}
    assert stored == _ids(example)
    assert report.records[table] == len(_ids(example))


def test_all_reference_examples_together_keep_unknown_properties(
    tmp_path: Path, store: Store
) -> None:
    ingest_folder(store, snapshot_from_examples(tmp_path / "snap", VALID_LIST_EXAMPLES))
    sign_in = json.loads((GRAPH_EXAMPLES / "signIn.beta.list.json").read_text())["value"][0]
    raw = orjson.loads(store.scalar("SELECT raw FROM signIns WHERE id = ?", [sign_in["id"]]))
    assert raw["authenticationDetails"] == sign_in["authenticationDetails"]
    assert (
        store.scalar("SELECT errorCode FROM signIns WHERE id = ?", [sign_in["id"]])
        == (sign_in["status"]["errorCode"])
    )


def test_placeholder_enum_and_type_values_are_kept(tmp_path: Path, store: Store) -> None:
    folder = snapshot_from_examples(tmp_path / "snap", {"riskyUser.list.json": "riskyUsers.json"})
    report = ingest_folder(store, folder)
    row = store.query("SELECT riskLevel, isDeleted, riskLastUpdatedDateTime FROM riskyUsers")[0]
    assert row == {"riskLevel": "String", "isDeleted": None, "riskLastUpdatedDateTime": None}
    assert any("placeholder 'Boolean'" in warning for warning in report.warnings)


@pytest.mark.parametrize(("example", "target"), sorted(INVALID_AS_PUBLISHED.items()))
def test_invalid_json_as_published_is_refused_with_its_position(
    tmp_path: Path, store: Store, example: str, target: str
) -> None:
    folder = snapshot_from_examples(tmp_path / "snap", {example: target})
    with pytest.raises(SnapshotError) as caught:
        ingest_folder(store, folder)
    error = caught.value
    assert error.path == folder / target
    text = (folder / target).read_text().splitlines()
    assert error.line is not None and error.column is not None
    # The reported position is the trailing comma the strict parser refuses.
    assert text[error.line - 1][error.column - 1] == ","
    assert "trailing comma" in str(error)
    assert store.scalar(f'SELECT count(*) FROM "{target.split(".")[0]}"') == 0


def _write_users(folder: Path, users: list[dict[str, object]], name: str = "users.json") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(json.dumps({"value": users}, indent=2))
    return path


def test_wrong_type_names_file_line_column_and_field(tmp_path: Path, store: Store) -> None:
    users = [
        {"id": "u1", "displayName": "One", "accountEnabled": True},
        {"id": "u2", "displayName": "Two", "accountEnabled": "yes"},
    ]
    path = _write_users(tmp_path / "snap", users)
    with pytest.raises(SnapshotError) as caught:
        ingest_folder(store, tmp_path / "snap")
    error = caught.value
    assert (error.path, error.field) == (path, "accountEnabled")
    line = path.read_text().splitlines()[error.line - 1]
    assert line[error.column - 1 :].startswith('"accountEnabled": "yes"')
    assert "expected true or false, got 'yes'" in str(error)


@pytest.mark.parametrize(
    ("record", "field", "message"),
    [
        ({"displayName": "no id"}, "id", "needs a string 'id'"),
        ({"id": 7}, "id", "needs a string 'id'"),
        ({"id": "u", "createdDateTime": "last tuesday"}, "createdDateTime", "ISO 8601"),
        ({"id": "u", "assignedLicenses": {"skuId": "x"}}, "assignedLicenses", "a JSON array"),
        ({"id": "u", "displayName": 12}, "displayName", "expected a string"),
    ],
)
def test_each_kind_of_bad_record_is_refused(
    tmp_path: Path, store: Store, record: dict[str, object], field: str, message: str
) -> None:
    _write_users(tmp_path / "snap", [record])
    with pytest.raises(SnapshotError, match=message) as caught:
        ingest_folder(store, tmp_path / "snap")
    assert caught.value.field == field


def test_a_record_that_is_not_an_object_is_refused(tmp_path: Path, store: Store) -> None:
    (tmp_path / "snap").mkdir()
    (tmp_path / "snap" / "users.json").write_text('[{"id": "a"}, 42]')
    with pytest.raises(SnapshotError, match="expected a Graph object, got"):
        ingest_folder(store, tmp_path / "snap")


def test_truncated_file_is_refused_and_nothing_is_written(tmp_path: Path, store: Store) -> None:
    good = _write_users(tmp_path / "snap", [{"id": "u1", "displayName": "One"}])
    ingest_folder(store, tmp_path / "snap")
    before = fingerprint(store)
    text = good.read_text()
    _write_users(tmp_path / "snap", [{"id": "u2", "displayName": "Two"}])
    (tmp_path / "snap" / "groups.json").write_text(text[: len(text) // 2])
    with pytest.raises(SnapshotError, match="invalid JSON") as caught:
        ingest_folder(store, tmp_path / "snap")
    assert caught.value.path.name == "groups.json"
    assert fingerprint(store) == before


def test_a_bad_file_late_in_the_folder_rolls_back_earlier_collections(
    tmp_path: Path, store: Store
) -> None:
    before = fingerprint(store)
    folder = tmp_path / "snap"
    _write_users(folder, [{"id": "u1", "displayName": "One"}])
    (folder / "groups.json").write_text(json.dumps([{"id": "g1", "displayName": "G"}]))
    (folder / "signIns.jsonl").write_text(
        '{"id": "s1", "createdDateTime": "2026-01-01T00:00:00Z"}\n'
        '{"id": "s2", "createdDateTime": 5}\n'
    )
    with pytest.raises(SnapshotError) as caught:
        ingest_folder(store, folder)
    assert (caught.value.line, caught.value.field) == (2, "createdDateTime")
    assert fingerprint(store) == before


def test_reingesting_the_same_folder_changes_nothing(tmp_path: Path, store: Store) -> None:
    folder = snapshot_from_examples(tmp_path / "snap", VALID_LIST_EXAMPLES)
    ingest_folder(store, folder)
    before = fingerprint(store)
    report = ingest_folder(store, folder)
    assert report.total_changed == 0
    after = fingerprint(store)
    before.pop("ingests"), after.pop("ingests")
    # Every ingest is a version of the store; one that changes nothing adds no object state.
    assert (before.pop("store_versions")[0], after.pop("store_versions")[0]) == (1, 2)
    assert after == before


def test_json_lines_gzip_arrays_and_concatenated_pages(tmp_path: Path, store: Store) -> None:
    folder = tmp_path / "snap"
    folder.mkdir()
    lines = b"\n".join(orjson.dumps({"id": f"s{i}", "userId": "u"}) for i in range(5)) + b"\n\n"
    (folder / "signIns.jsonl.gz").write_bytes(gzip.compress(lines))
    (folder / "groups.json").write_text(json.dumps([{"id": "g1"}, {"id": "g2"}]))
    pages = json.dumps({"value": [{"id": "u1"}]}) + "\n" + json.dumps({"value": [{"id": "u2"}]})
    (folder / "users.json").write_text(pages)
    report = ingest_folder(store, folder)
    assert report.records == {"signIns": 5, "groups": 2, "users": 2}


def test_an_array_of_list_responses_is_read_page_by_page(tmp_path: Path, store: Store) -> None:
    folder = tmp_path / "snap"
    folder.mkdir()
    pages = [
        {"@odata.context": "x", "value": [{"id": "u1"}, {"id": "u2"}], "@odata.nextLink": "y"},
        {"value": [{"id": "u3"}]},
    ]
    (folder / "users.json").write_text(json.dumps(pages))
    report = ingest_folder(store, folder)
    assert report.records == {"users": 3}
    assert [r["id"] for r in store.query("SELECT id FROM users ORDER BY id")] == ["u1", "u2", "u3"]


def test_records_merge_by_id_across_files_later_wins_and_missing_properties_stay(
    tmp_path: Path, store: Store
) -> None:
    folder = tmp_path / "snap"
    _write_users(
        folder, [{"id": "u1", "displayName": "Old", "department": "Sales"}], "users.1.json"
    )
    _write_users(folder, [{"id": "u1", "displayName": "New", "jobTitle": "Lead"}], "users.2.json")
    ingest_folder(store, folder)
    row = store.query("SELECT displayName, department, jobTitle FROM users")[0]
    assert row == {"displayName": "New", "department": "Sales", "jobTitle": "Lead"}


def test_group_members_and_owners_are_indexed(tmp_path: Path, store: Store) -> None:
    folder = tmp_path / "snap"
    folder.mkdir()
    group = {
        "id": "g1",
        "displayName": "G",
        "members": [{"@odata.type": "#microsoft.graph.user", "id": "u1", "displayName": "A"}],
        "owners": [{"@odata.type": "#microsoft.graph.user", "id": "u2", "displayName": "B"}],
    }
    (folder / "groups.json").write_text(json.dumps({"value": [group]}))
    ingest_folder(store, folder)
    assert store.query("SELECT group_id, member_id, member_type FROM group_members") == [
        {"group_id": "g1", "member_id": "u1", "member_type": "user"}
    ]
    assert store.scalar("SELECT owner_id FROM group_owners") == "u2"


def test_manifest_sets_the_snapshot_time(tmp_path: Path, store: Store) -> None:
    folder = tmp_path / "snap"
    _write_users(folder, [{"id": "u1"}])
    (folder / "manifest.json").write_text(
        json.dumps({"tenantId": "t1", "capturedDateTime": "2026-02-03T04:05:06Z"})
    )
    ingest_folder(store, folder)
    assert store.captured_at().isoformat() == "2026-02-03T04:05:06+00:00"
    assert store.info("tenantId") == "t1"


def test_snapshot_time_falls_back_to_the_newest_event(tmp_path: Path, store: Store) -> None:
    folder = snapshot_from_examples(tmp_path / "snap", {"signIn.beta.list.json": "signIns.json"})
    ingest_folder(store, folder)
    assert store.captured_at().isoformat() == "2021-06-30T16:34:32+00:00"


def test_an_empty_or_unknown_folder_is_a_clear_error(tmp_path: Path, store: Store) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.json").write_text("{}")
    with pytest.raises(SnapshotError, match="no collection files found"):
        ingest_folder(store, tmp_path / "empty")
    with pytest.raises(SnapshotError, match="not a folder"):
        ingest_folder(store, tmp_path / "missing")


def test_a_snapshot_of_another_tenant_is_refused(tmp_path: Path, store: Store) -> None:
    for name, tenant in (("first", "tenant-a"), ("second", "tenant-b")):
        folder = tmp_path / name
        _write_users(folder, [{"id": f"u-{name}"}])
        (folder / "manifest.json").write_text(json.dumps({"tenantId": tenant}))
    ingest_folder(store, tmp_path / "first")
    before = fingerprint(store)
    with pytest.raises(SnapshotError, match="holds tenant tenant-a"):
        ingest_folder(store, tmp_path / "second")
    assert fingerprint(store) == before
