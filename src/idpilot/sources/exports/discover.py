"""What a folder to ingest holds: Graph collection files, diagnostic-settings storage-account
containers (`insights-logs-<category>/resourceId=.../y=/m=/d=/h=/m=/PT1H.json`), Log Analytics
query results and CSV exports, recognised by their layout and content, never by a flag."""

from __future__ import annotations

import csv
import gzip
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from idpilot.errors import SnapshotError
from idpilot.sources.exports.categories import CONTAINER_PREFIX, category_of_container
from idpilot.sources.exports.convert import ExportFile, ExportKind, open_text
from idpilot.sources.exports.query_results import looks_like_query_result
from idpilot.sources.snapshot_files import FileFormat, SnapshotFile, list_snapshot

SNIFF_CHARS = 4096
_BLOB_SUFFIXES = (".json", ".json.gz")
_CSV_SUFFIXES = (".csv", ".csv.gz")
# Header cells that say a CSV is a Log Analytics export (the portal writes "TimeGenerated [UTC]").
_LOG_ANALYTICS_HEADER = frozenset({"timegenerated", "timegenerated [utc]"})


@dataclass
class FolderContents:
    """The files of a folder idpilot reads, by kind, and what it leaves aside."""

    files: list[SnapshotFile] = field(default_factory=list)  # Graph files and export blobs
    exports: list[ExportFile] = field(default_factory=list)  # converted before ingest
    unknown: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def size(self) -> int:
        """Bytes on disk of everything that will be read."""
        return sum(f.size for f in self.files) + sum(e.path.stat().st_size for e in self.exports)


def discover(folder: Path) -> FolderContents:
    """Everything `folder` holds that ingest reads (a storage container may be the folder)."""
    contents = FolderContents()
    if folder.is_file():
        kind = _sniff_json(folder) or (ExportKind.csv if _is_log_analytics_csv(folder) else None)
        if kind is None:
            raise SnapshotError(
                "not a folder nor a log export (a Log Analytics query result or CSV export)",
                path=folder,
            )
        contents.exports.append(ExportFile(folder, kind, folder.name.endswith(".gz")))
        return contents
    if folder.is_dir() and folder.name.lower().startswith(CONTAINER_PREFIX):
        _container(folder, contents)
        return contents
    graph, unknown = list_snapshot(folder)
    contents.files.extend(graph)
    for path in unknown:
        kind = _sniff_json(path)
        if kind is None:
            contents.unknown.append(path)
        else:
            contents.exports.append(ExportFile(path, kind, path.name.endswith(".gz")))
    for path in sorted(folder.iterdir()):
        if path.is_dir() and path.name.lower().startswith(CONTAINER_PREFIX):
            _container(path, contents)
        elif path.is_file() and path.name.lower().endswith(_CSV_SUFFIXES):
            if _is_log_analytics_csv(path):
                contents.exports.append(ExportFile(path, ExportKind.csv, path.name.endswith(".gz")))
            else:
                contents.unknown.append(path)
    return contents


def _container(folder: Path, contents: FolderContents) -> None:
    category = category_of_container(folder.name)
    if category is None:
        contents.notes.append(
            f"{folder.name}: a diagnostic-settings category idpilot does not read; skipped"
        )
        return
    blobs = sorted(p for p in folder.rglob("*") if p.is_file() and p.name.endswith(_BLOB_SUFFIXES))
    for path in blobs:
        compressed = path.name.endswith(".gz")
        contents.files.append(
            SnapshotFile(
                path, category.collection, FileFormat.json_lines, compressed, envelope=category
            )
        )


def _head(path: Path) -> str:
    try:
        with open_text(path, path.name.endswith(".gz")) as text:
            return text.read(SNIFF_CHARS)
    except (UnicodeDecodeError, gzip.BadGzipFile, EOFError, zlib.error, OSError):
        return ""


def _sniff_json(path: Path) -> ExportKind | None:
    return ExportKind.query_result if looks_like_query_result(_head(path)) else None


def _is_log_analytics_csv(path: Path) -> bool:
    head = _head(path)
    first_line = head.splitlines()[0] if head else ""
    try:
        header = next(csv.reader([first_line]))
    except (csv.Error, StopIteration):
        return False
    return any(cell.strip().lower() in _LOG_ANALYTICS_HEADER for cell in header)


def require_contents(folder: Path, contents: FolderContents) -> None:
    """Refuse a folder with nothing ingest can read, saying what it looks for."""
    if contents.files or contents.exports:
        return
    raise SnapshotError(
        "no collection files found (expected files named after Graph collections: users, "
        "groups, servicePrincipals, ... with .json, .jsonl or .ndjson, optionally .gz; or log "
        "exports: storage-account folders insights-logs-<category>, Log Analytics query "
        "results, Log Analytics CSV exports)",
        path=folder,
    )
