"""Log exports recognised by layout and content, mixed with Graph files, and refused precisely
when malformed (file, line, field; never a traceback)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from idpilot.errors import SnapshotError
from idpilot.sources.ingest import ingest_folder
from idpilot.store import Store

TENANT = "11111111-1111-1111-1111-111111111111"
SIGN_IN = {
    "id": "s1",
    "createdDateTime": "2026-10-21T10:00:09Z",
    "userPrincipalName": "ann@contoso.com",
    "userId": "u1",
    "status": {"errorCode": 50126, "failureReason": "Invalid password"},
}


def _blob(root: Path, container: str, records: list[dict], name: str = "PT1H.json") -> Path:
    folder = root / container / f"resourceId=/tenants/{TENANT}/providers/Microsoft.aadiam"
    folder = folder / "y=2026" / "m=10" / "d=21" / "h=10" / "m=00"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    text = "".join(json.dumps(r) + "\n" for r in records)
    if name.endswith(".gz"):
        path.write_bytes(gzip.compress(text.encode()))
    else:
        path.write_text(text)
    return path


def _envelope(category: str, properties: dict) -> dict:
    return {"time": "2026-10-21T10:00:09Z", "category": category, "properties": properties}


def _query_result(columns: list[tuple[str, str]], rows: list[list]) -> dict:
    described = [{"name": n, "type": t} for n, t in columns]
    return {"tables": [{"name": "PrimaryResult", "columns": described, "rows": rows}]}


SIGN_IN_COLUMNS = [
    ("TimeGenerated", "datetime"),
    ("Id", "string"),
    ("CreatedDateTime", "datetime"),
    ("UserPrincipalName", "string"),
    ("IsInteractive", "bool"),
    ("ResultType", "string"),
    ("ConditionalAccessPolicies", "dynamic"),
    ("Type", "string"),
]


def _sign_in_row(record_id: str, interactive: bool = True, table: str = "SigninLogs") -> list:
    policies = json.dumps([{"id": "p1", "result": "failure"}])
    return [
        "2026-10-21T10:00:09.0000000Z",
        record_id,
        "2026-10-21T10:00:09.0000000Z",
        "ann@contoso.com",
        interactive,
        "50126",
        policies,
        table,
    ]


def test_a_folder_mixes_graph_files_storage_blobs_and_query_results(
    tmp_path: Path, store: Store
) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "users.json").write_text(json.dumps({"value": [{"id": "u1", "displayName": "Ann"}]}))
    _blob(folder, "insights-logs-signinlogs", [_envelope("SignInLogs", SIGN_IN)], "PT1H.json.gz")
    audit = {"id": "a1", "activityDateTime": "2026-10-21T10:00:00Z", "activityDisplayName": "x"}
    _blob(folder, "insights-logs-auditlogs", [_envelope("AuditLogs", audit)])
    _blob(folder, "insights-logs-provisioninglogs", [_envelope("ProvisioningLogs", {"id": "p"})])
    result = _query_result(SIGN_IN_COLUMNS, [_sign_in_row("s2", False, "")])
    (folder / "query.json.gz").write_bytes(gzip.compress(json.dumps(result).encode()))
    report = ingest_folder(store, folder)
    assert report.records == {"users": 1, "signIns": 2, "directoryAudits": 1}
    assert any("provisioninglogs" in w for w in report.warnings)
    stored = dict(store.con.execute("SELECT id, raw FROM signIns").fetchall())
    from_query = json.loads(stored["s2"])
    assert from_query["createdDateTime"] == "2026-10-21T10:00:09Z"
    assert from_query["status"] == {"errorCode": 50126, "failureReason": None}
    assert from_query["appliedConditionalAccessPolicies"] == [{"id": "p1", "result": "failure"}]
    assert from_query["signInEventTypes"] == ["nonInteractiveUser"]
    assert json.loads(stored["s1"])["signInEventTypes"] == ["interactiveUser"]
    assert store.scalar("SELECT count(*) FROM AADNonInteractiveUserSignInLogs") == 1


def test_a_storage_container_can_be_ingested_on_its_own(tmp_path: Path, store: Store) -> None:
    _blob(tmp_path, "insights-logs-signinlogs", [_envelope("SignInLogs", SIGN_IN)])
    report = ingest_folder(store, tmp_path / "insights-logs-signinlogs")
    assert report.records == {"signIns": 1}


def test_a_log_analytics_csv_is_recognised_by_its_header(tmp_path: Path, store: Store) -> None:
    header = "TimeGenerated [UTC],Id,CreatedDateTime [UTC],UserPrincipalName,IsInteractive,Type"
    row = '"10/21/2026, 10:00:09.000 AM",s3,"10/21/2026, 10:00:09.000 AM",a@b.c,True,SigninLogs'
    (tmp_path / "export.csv").write_text(f"{header}\n{row}\n")
    (tmp_path / "notes.csv").write_text("a,b\n1,2\n")
    report = ingest_folder(store, tmp_path)
    assert report.records == {"signIns": 1}
    assert [p.name for p in report.skipped_files] == ["notes.csv"]
    raw = json.loads(store.scalar("SELECT raw FROM signIns"))
    assert raw["createdDateTime"] == "2026-10-21T10:00:09Z" and raw["isInteractive"] is True


def _refusal(folder: Path, store: Store) -> SnapshotError:
    with pytest.raises(SnapshotError) as caught:
        ingest_folder(store, folder)
    assert store.scalar("SELECT count(*) FROM signIns") == 0  # all or nothing
    return caught.value


def test_a_blob_of_another_category_is_refused_at_its_line(tmp_path: Path, store: Store) -> None:
    records = [_envelope("SignInLogs", SIGN_IN), _envelope("AuditLogs", {"id": "a"})]
    path = _blob(tmp_path, "insights-logs-signinlogs", records)
    error = _refusal(tmp_path, store)
    assert error.path == path and error.line == 2 and error.field == "category"
    assert "AuditLogs" in str(error)


def test_a_blob_record_without_properties_is_refused(tmp_path: Path, store: Store) -> None:
    _blob(tmp_path, "insights-logs-signinlogs", [{"time": "x", "category": "SignInLogs"}])
    error = _refusal(tmp_path, store)
    assert error.line == 1 and error.field == "properties"


def test_a_truncated_blob_is_refused_with_its_position(tmp_path: Path, store: Store) -> None:
    path = _blob(tmp_path, "insights-logs-signinlogs", [_envelope("SignInLogs", SIGN_IN)])
    path.write_text(path.read_text() + '{"category": "SignInLogs", "properties": {"id": \n')
    error = _refusal(tmp_path, store)
    assert error.path == path and error.line == 2


@pytest.mark.parametrize(
    ("rows", "line", "field", "words"),
    [
        ([_sign_in_row("s1"), ["only", "three", "cells"]], 4, None, "array of 8 values"),
        ([[*_sign_in_row("s1")[:6], "{not json", "SigninLogs"]], 3, None, "JSON text"),
        ([[*_sign_in_row("s1")[:4], "maybe", *_sign_in_row("s1")[5:]]], 3, None, "true or"),
        ([[*_sign_in_row("")]], 3, "Id", "needs an Id"),
        ([[*_sign_in_row("s1")[:7], "AzureActivity"]], 3, "Type", "not an Entra ID log"),
    ],
)
def test_a_bad_query_result_row_is_refused_at_its_line(
    tmp_path: Path, store: Store, rows: list, line: int, field: str | None, words: str
) -> None:
    result = _query_result(SIGN_IN_COLUMNS, rows)
    text = json.dumps(result).replace('"rows": [', '"rows": [\n').replace("], [", "],\n[")
    (tmp_path / "result.json").write_text(text.replace('"columns"', '\n"columns"'))
    error = _refusal(tmp_path, store)
    assert error.line == line and words in str(error)
    if field:
        assert error.field == field


def test_a_truncated_query_result_is_refused(tmp_path: Path, store: Store) -> None:
    text = json.dumps(_query_result(SIGN_IN_COLUMNS, [_sign_in_row("s1")]))
    (tmp_path / "result.json").write_text(text[:-10])
    error = _refusal(tmp_path, store)
    assert "result.json" in str(error) and error.line == 1


def test_a_csv_row_of_the_wrong_width_is_refused(tmp_path: Path, store: Store) -> None:
    (tmp_path / "x.csv").write_text("TimeGenerated,Id,Type\n2026-10-21T10:00:09Z,s1\n")
    error = _refusal(tmp_path, store)
    assert error.line == 2 and "2 cells" in str(error)


def test_columns_without_a_known_log_are_refused(tmp_path: Path, store: Store) -> None:
    result = _query_result([("TimeGenerated", "datetime"), ("Count", "long")], [["x", 1]])
    (tmp_path / "r.json").write_text(json.dumps(result))
    assert "which Entra ID log" in str(_refusal(tmp_path, store))


def _hourly_blobs(root: Path, count: int) -> list[Path]:
    """`count` hourly blobs of one sign-in each in the sign-in container."""
    paths = []
    for hour in range(count):
        record = dict(SIGN_IN, id=f"s{hour}")
        path = _blob(root, "insights-logs-signinlogs", [_envelope("SignInLogs", record)])
        paths.append(path.rename(path.parent.parent / f"h{hour:02d}.json"))
    return paths


def test_many_blobs_are_read_together(tmp_path: Path, store: Store) -> None:
    _hourly_blobs(tmp_path, 5)
    assert ingest_folder(store, tmp_path).records == {"signIns": 5}


def test_a_bad_blob_among_many_is_named_with_its_line(tmp_path: Path, store: Store) -> None:
    paths = _hourly_blobs(tmp_path, 4)
    paths[2].write_text(paths[2].read_text() + '{"category": "SignInLogs", "properties": \n')
    error = _refusal(tmp_path, store)
    assert error.path == paths[2] and error.line == 2


def test_a_blob_of_another_category_among_many_is_named(tmp_path: Path, store: Store) -> None:
    paths = _hourly_blobs(tmp_path, 4)
    paths[3].write_text(json.dumps(_envelope("AuditLogs", {"id": "a"})) + "\n")
    error = _refusal(tmp_path, store)
    assert error.path == paths[3] and error.line == 1 and error.field == "category"


def test_a_mistyped_value_is_blamed_on_the_export_it_came_from(
    tmp_path: Path, store: Store
) -> None:
    row = _sign_in_row("s1")
    row[3] = 5  # UserPrincipalName
    (tmp_path / "result.json").write_text(json.dumps(_query_result(SIGN_IN_COLUMNS, [row])))
    error = _refusal(tmp_path, store)
    assert error.path == tmp_path / "result.json" and error.field == "userPrincipalName"
    assert "expected a string" in str(error)
