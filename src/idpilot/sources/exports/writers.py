"""Writing a snapshot's logs the way Azure exports them, for tests and demos: a
storage-account tree of diagnostic settings, Log Analytics query results, or Log Analytics CSV
exports. Directory objects stay Graph collection files (diagnostic settings export only logs),
so the folder written mixes both, as an admin's would.
"""

from __future__ import annotations

import csv
import gzip
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import IO, Any

import msgspec

from idpilot.model.collections import Collection
from idpilot.sources.exports.categories import (
    CATEGORIES,
    LOG_COLLECTIONS,
    LogCategory,
    category_of_record,
)
from idpilot.sources.exports.la_records import format_graph_time
from idpilot.sources.snapshot_files import (
    ANSWER_KEY_NAME,
    MANIFEST_NAME,
    FileFormat,
    SnapshotFile,
    list_snapshot,
    read_bytes,
    read_manifest,
)
from idpilot.store.database import Store
from idpilot.store.queries.log_analytics import table_rows

OPEN_BLOBS = 64  # blob files kept open at once while writing a storage tree
_EVENT_TIME = {
    Collection.sign_ins: "createdDateTime",
    Collection.directory_audits: "activityDateTime",
    Collection.risky_users: "riskLastUpdatedDateTime",
    Collection.risk_detections: "lastUpdatedDateTime",
    Collection.risky_service_principals: "riskLastUpdatedDateTime",
    Collection.service_principal_risk_detections: "lastUpdatedDateTime",
}
_LA_TYPES = {
    "VARCHAR": "string",
    "BOOLEAN": "bool",
    "BIGINT": "long",
    "INTEGER": "int",
    "JSON": "dynamic",
    "TIMESTAMP WITH TIME ZONE": "datetime",
}


class ExportLayout(StrEnum):
    """How the logs of an exported snapshot are laid out."""

    storage = "storage"
    log_analytics = "log-analytics"
    csv = "csv"


@dataclass
class ExportSummary:
    """What an export wrote: records per Log Analytics table or category, and files."""

    out: Path
    records: dict[str, int] = field(default_factory=dict)
    files: int = 0


def export_snapshot(
    snapshot: Path, out: Path, layout: ExportLayout, store: Store | None = None
) -> ExportSummary:
    """Write `snapshot`'s logs to `out` in `layout`, its directory objects as Graph files.

    The storage layout is written from the snapshot's own records (`properties` is the Graph
    object, as diagnostic settings write it); the Log Analytics layouts from `store`'s Log
    Analytics views (the store ingested from `snapshot`), as a workspace would return them.
    """
    out.mkdir(parents=True, exist_ok=True)
    files, _ = list_snapshot(snapshot)
    summary = ExportSummary(out)
    for name in (MANIFEST_NAME, ANSWER_KEY_NAME):
        if (snapshot / name).is_file():
            shutil.copyfile(snapshot / name, out / name)
    for file in files:
        if file.collection not in LOG_COLLECTIONS:
            shutil.copyfile(file.path, out / file.path.name)
            summary.files += 1
    if layout is ExportLayout.storage:
        tenant = read_manifest(snapshot).get("tenantId", "00000000-0000-0000-0000-000000000000")
        logs = [f for f in files if f.collection in LOG_COLLECTIONS]
        _write_storage_tree(logs, out, tenant, summary)
    else:
        if store is None:
            raise ValueError("a Log Analytics export is written from the snapshot's store")
        for category in CATEGORIES:
            _write_table(store, category, out, layout, summary)
    return summary


def graph_records(file: SnapshotFile) -> Iterator[dict[str, Any]]:
    """The records of a Graph collection file (JSON Lines read line by line)."""
    if file.format is FileFormat.json_lines:
        with gzip.open(file.path, "rb") if file.compressed else file.path.open("rb") as lines:
            for line in lines:
                if line.strip():
                    yield msgspec.json.decode(line)
        return
    document = msgspec.json.decode(read_bytes(file))
    if isinstance(document, list):
        yield from document
    elif isinstance(document, dict) and isinstance(document.get("value"), list):
        yield from document["value"]
    elif isinstance(document, dict):
        yield {k: v for k, v in document.items() if not k.startswith("@odata.context")}


def _write_storage_tree(
    files: list[SnapshotFile], out: Path, tenant: str, summary: ExportSummary
) -> None:
    resource = f"/tenants/{tenant}/providers/Microsoft.aadiam"
    blobs: dict[Path, IO[bytes]] = {}
    try:
        for file in files:
            for record in graph_records(file):
                category = category_of_record(file.collection, record)
                time = _parse(record.get(_EVENT_TIME[file.collection]))
                path = _blob_path(out, category, resource, time)
                handle = blobs.get(path)
                if handle is None:
                    if len(blobs) >= OPEN_BLOBS:
                        for open_blob in blobs.values():
                            open_blob.close()
                        blobs.clear()
                    path.parent.mkdir(parents=True, exist_ok=True)
                    handle = blobs[path] = path.open("ab")
                envelope = _envelope(category, record, time, resource, tenant)
                handle.write(msgspec.json.encode(envelope) + b"\n")
                summary.records[category.name] = summary.records.get(category.name, 0) + 1
    finally:
        for handle in blobs.values():
            handle.close()
    summary.files += sum(1 for _ in out.rglob("PT1H.json"))


def _parse(value: object) -> datetime:
    text = str(value) if value else "1970-01-01T00:00:00Z"
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _blob_path(out: Path, category: LogCategory, resource: str, time: datetime) -> Path:
    """insights-logs-<category>/resourceId=<resource>/y=/m=/d=/h=/m=00/PT1H.json"""
    folder = out / category.container / f"resourceId={resource}"
    return (
        folder
        / f"y={time.year:04d}"
        / f"m={time.month:02d}"
        / f"d={time.day:02d}"
        / f"h={time.hour:02d}"
        / "m=00"
        / "PT1H.json"
    )


def _envelope(
    category: LogCategory, record: dict[str, Any], time: datetime, resource: str, tenant: str
) -> dict[str, Any]:
    """A diagnostic-settings record around the Graph object, as Entra ID writes them."""
    envelope: dict[str, Any] = {
        "time": format_graph_time(time),
        "resourceId": resource,
        "operationName": "Sign-in activity"
        if category.collection is Collection.sign_ins
        else record.get("activityDisplayName", category.name),
        "operationVersion": "1.0",
        "category": category.name,
        "tenantId": tenant,
    }
    if category.collection is Collection.sign_ins:
        status = record.get("status") or {}
        envelope["resultType"] = str(status.get("errorCode", 0))
        envelope["resultDescription"] = status.get("failureReason")
        envelope["callerIpAddress"] = record.get("ipAddress")
        envelope["identity"] = record.get("userDisplayName")
    envelope["correlationId"] = record.get("correlationId")
    envelope["Level"] = 4
    envelope["properties"] = record
    return envelope


def _write_table(
    store: Store, category: LogCategory, out: Path, layout: ExportLayout, summary: ExportSummary
) -> None:
    if category.table == "AADManagedIdentitySignInLogs":
        return  # the store models no managed identity sign-in table
    batches = table_rows(store, category.table)
    first = next(batches, None)
    if first is None:
        return
    columns, rows = first
    if layout is ExportLayout.csv:
        path = out / f"{category.table}.csv"
        count = _write_csv(path, columns, rows, batches)
    else:
        path = out / f"{category.table}.json"
        count = _write_query_result(path, columns, rows, batches)
    summary.records[category.table] = count
    summary.files += 1


def _cell(value: Any) -> Any:
    if isinstance(value, datetime):
        return format_graph_time(value)
    return value


def _write_query_result(
    path: Path,
    columns: list[tuple[str, str]],
    rows: list[tuple[Any, ...]],
    more: Iterator[tuple[list[tuple[str, str]], list[tuple[Any, ...]]]],
) -> int:
    """A query API response (`tables[].columns[]/rows[]`); dynamic cells as JSON text."""
    described = [{"name": n, "type": _LA_TYPES.get(t, "string")} for n, t in columns]
    count = 0
    with path.open("wb") as handle:
        handle.write(b'{"tables":[{"name":"PrimaryResult","columns":')
        handle.write(msgspec.json.encode(described))
        handle.write(b',"rows":[')
        batch: list[tuple[Any, ...]] | None = rows
        while batch:
            for row in batch:
                cells = [_cell(v) for v in row]
                handle.write((b",\n" if count else b"\n") + msgspec.json.encode(cells))
                count += 1
            batch = next(more, (None, None))[1]
        handle.write(b"\n]}]}\n")
    return count


def _write_csv(
    path: Path,
    columns: list[tuple[str, str]],
    rows: list[tuple[Any, ...]],
    more: Iterator[tuple[list[tuple[str, str]], list[tuple[Any, ...]]]],
) -> int:
    """A Log Analytics portal CSV export: datetime columns headed `NAME [UTC]` and written as the
    portal writes them, dynamic cells as JSON text, booleans as True/False."""
    header = [f"{n} [UTC]" if t.startswith("TIMESTAMP") else n for n, t in columns]
    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        batch: list[tuple[Any, ...]] | None = rows
        while batch:
            for row in batch:
                writer.writerow([_csv_cell(v) for v in row])
                count += 1
            batch = next(more, (None, None))[1]
    return count


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(UTC)
        text = value.strftime("%m/%d/%Y, %I:%M:%S.") + f"{value.microsecond // 1000:03d}"
        return text + value.strftime(" %p")
    if isinstance(value, bool):
        return "True" if value else "False"
    return str(value)
