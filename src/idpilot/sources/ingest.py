"""`idpilot ingest`: load a snapshot folder into the store, all or nothing.

In one transaction, per collection: DuckDB stages each file's records (`staging`), anything
DuckDB tolerates but strict JSON forbids is refused with its line and column, every record's
typed properties are checked against the table's columns (`record_checks`), and the records are
merged by id (`merge`): a later record replaces the properties it carries and keeps the ones
only the earlier had. Any error rolls the whole ingest back, and a killed process leaves the
last committed store.

An ingest into a store no one reads until it succeeds (the next version `idpilot ingest` builds
beside the published store, `store.versions.new_version`) may commit each merged part instead
(`commit_each_part`): DuckDB keeps every table a transaction replaced or dropped until it ends,
so in one transaction each file's staged records (~8 GB for a million sign-ins) stay held, and
spill to disk, until the last file is merged. All or nothing then holds for readers by the
version: a failed or killed ingest's next version is discarded, the published store unchanged.
"""

from __future__ import annotations

import re
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from idpilot.errors import SnapshotError
from idpilot.model.collections import Collection
from idpilot.settings import get_setting
from idpilot.sources.exports.convert import convert_export
from idpilot.sources.exports.discover import discover, require_contents
from idpilot.sources.record_checks import check_records
from idpilot.sources.snapshot_files import (
    LISTING_KEY,
    ProgressCallback,
    SnapshotFile,
    check_compression,
    check_syntax,
    is_blank,
    read_bytes,
    read_manifest,
)
from idpilot.sources.staging import (
    FALLBACK_KEYS,
    PARENT_LINKS,
    check_strictness,
    stage_blobs,
    stage_file,
    staged_paths,
)
from idpilot.sources.tenant import check_one_tenant, collect_hints
from idpilot.sources.unavailable import read_unavailable
from idpilot.store.columns import collection_columns
from idpilot.store.database import CAPTURED_KEY, TENANT_KEY, Store
from idpilot.store.history import (
    begin_version,
    finish_version,
    has_history,
    record_states,
    remove_unlisted,
)
from idpilot.store.ingests import (
    clear_unavailable,
    record_collection,
    record_ingest,
    record_snapshot_info,
    record_unavailable,
)
from idpilot.store.memory import check_memory_limit, memory_limit
from idpilot.store.merge import merge_staged, rebuild_group_links, table_count
from idpilot.store.post_ingest import after_collection
from idpilot.store.staging import (
    create_stage,
    drop_ingest_temps,
    key_by_parent,
    key_singletons,
    link_parents,
    staged_count,
    staged_counts,
    without_parent,
)

StageCallback = Callable[[str], None]
BLOBS_PER_READ = 512  # export blobs read by one DuckDB query
MEMORY_SETTING = "ingest_memory_limit"
_ERROR_CLASS = re.compile(r"^[A-Za-z ]+ Error: ")


@dataclass
class IngestReport:
    """What an ingest read and changed, and what it could not use."""

    source: Path
    files: int = 0
    records: dict[str, int] = field(default_factory=dict)
    changed: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    skipped_files: list[Path] = field(default_factory=list)
    version: int | None = None  # the store version this ingest made

    @property
    def total_records(self) -> int:
        """Records read across every collection."""
        return sum(self.records.values())

    @property
    def total_changed(self) -> int:
        """Records inserted or changed across every collection."""
        return sum(self.changed.values())


@dataclass(frozen=True)
class VersionOrigin:
    """What made a store version: its kind (`ingest`, `sync`) and what it read (default: the
    folder ingested)."""

    kind: str = "ingest"
    source: str | None = None


def ingest_folder(
    store: Store,
    folder: Path,
    *,
    on_bytes: ProgressCallback | None = None,
    on_stage: StageCallback | None = None,
    origin: VersionOrigin | None = None,
    commit_each_part: bool = False,
) -> IngestReport:
    """Ingest every collection file of `folder` into `store` in one transaction (one new store
    version, an `ingest` of the folder unless `origin` says otherwise, e.g. a `sync`), within
    IDPILOT_INGEST_MEMORY_LIMIT (what does not fit spills to disk).

    `commit_each_part` commits after each merged part (an event log's file, a collection), so
    memory and spill stay those of one part: only for a store that is discarded when the
    ingest fails (a version from `new_version`), since a failure keeps the parts before it."""
    contents = discover(folder)
    require_contents(folder, contents)
    manifest = read_manifest(folder) if folder.is_dir() else {}
    unavailable = read_unavailable(folder) if folder.is_dir() else {}
    _check_captured_time(folder, manifest)
    _check_same_tenant(store, folder, manifest)
    files = contents.files + contents.exports
    report = IngestReport(source=folder, files=len(files), skipped_files=contents.unknown)
    report.warnings.extend(contents.notes)
    started = datetime.now(UTC)
    limit = check_memory_limit(get_setting(MEMORY_SETTING), "IDPILOT_INGEST_MEMORY_LIMIT")
    with (
        memory_limit(store.con, limit),
        tempfile.TemporaryDirectory(prefix="idpilot-exports-") as work,
    ):
        by_collection: dict[Collection, list[SnapshotFile]] = defaultdict(list)
        for file in contents.files:
            by_collection[file.collection].append(file)
        for number, export in enumerate(contents.exports):
            for converted in convert_export(export, Path(work), number, report.warnings):
                by_collection[converted.collection].append(converted)
            if on_bytes:
                on_bytes(export.path.stat().st_size)
        _load_all(
            store,
            folder,
            manifest,
            unavailable,
            by_collection,
            report,
            started,
            on_bytes,
            on_stage,
            origin or VersionOrigin(),
            commit_each_part,
        )
    return report


def _load_all(
    store: Store,
    folder: Path,
    manifest: dict[str, str],
    unavailable: dict[Collection, str],
    by_collection: dict[Collection, list[SnapshotFile]],
    report: IngestReport,
    started: datetime,
    on_bytes: ProgressCallback | None,
    on_stage: StageCallback | None,
    origin: VersionOrigin,
    commit_each_part: bool,
) -> None:
    """Load every collection's files and record the ingest, in one transaction (or, with
    `commit_each_part`, one per merged part)."""
    with store.transaction() as con:
        after_part = (lambda: _commit_part(con)) if commit_each_part else None
        version = None  # a store not yet migrated to 008 keeps no history
        if has_history(con):
            source = origin.source or str(folder)
            captured = manifest.get(CAPTURED_KEY)
            version = begin_version(con, started, source, captured, kind=origin.kind)
        complete = manifest.get(LISTING_KEY, "complete") == "complete"
        for collection, collection_files in by_collection.items():
            if on_stage:
                on_stage(collection.value)
            read, changed = _load_collection(
                con, collection, collection_files, report, version, on_bytes, complete, after_part
            )
            report.records[collection.value] = read
            report.changed[collection.value] = changed
            clear_unavailable(con, collection.value)
        for collection, reason in unavailable.items():
            if collection not in by_collection:
                record_unavailable(con, collection.value, reason)
                report.warnings.append(f"{collection.value} was not readable: {reason}")
        if version is not None:
            finish_version(con, version, [c.value for c in by_collection if c.is_versioned])
            report.version = version
        tenant = check_one_tenant(con, folder, manifest)
        for key in (TENANT_KEY, CAPTURED_KEY):
            if key in manifest:
                record_snapshot_info(con, key, manifest[key])
        if tenant and TENANT_KEY not in manifest:
            # Decided from the data: recorded so a later snapshot without manifest is checked.
            record_snapshot_info(con, TENANT_KEY, tenant, replace=False)
        record_ingest(
            con, started, str(folder), report.files, report.total_records, report.total_changed
        )


def _commit_part(con: duckdb.DuckDBPyConnection) -> None:
    """Commit what the ingest merged so far and go on in a new transaction: DuckDB frees the
    temp tables a transaction dropped or replaced only when it ends, so the part's staged
    records must be dropped before this, not replaced after it."""
    Store.commit_and_go_on(con)


def _stage_one(
    con: duckdb.DuckDBPyConnection,
    file: SnapshotFile,
    file_no: int,
    paths: list[str],
    warnings: list[str],
) -> None:
    """Stage one file, turning whatever DuckDB cannot read into a precise SnapshotError."""
    check_compression(file)
    try:
        stage_file(con, file, file_no, paths)
    except duckdb.InvalidInputException as error:
        check_syntax(file)  # raises the precise error: file, line, column
        raise SnapshotError(f"unreadable JSON: {_reason(error, file)}", path=file.path) from None
    except duckdb.Error as error:  # an I/O error: a corrupt gzip stream, an unreadable file
        if file.compressed:
            read_bytes(file)  # raises the gzip error in idpilot's words
        raise SnapshotError(f"cannot be read: {_reason(error, file)}", path=file.path) from None
    if not staged_count(con, file_no) and is_blank(file):
        what = "is empty (0 bytes)" if file.size == 0 else "holds only blank space"
        warnings.append(f"{file.path.name} {what}: no {file.collection.value} read from it")


def _warn_orphans(
    con: duckdb.DuckDBPyConnection, collection: Collection, warnings: list[str]
) -> None:
    """Say how many records name no workflow: kept, but no answer can tie them to one."""
    orphans = without_parent(con, PARENT_LINKS[collection][0][0])
    if orphans:
        warnings.append(
            f"{orphans:,} {collection.value} name no workflow (no workflowId, and no "
            "@odata.context naming one): kept, but not tied to a workflow"
        )


def _batches(files: list[SnapshotFile]) -> Iterator[tuple[int, list[SnapshotFile]]]:
    """Runs of export blobs of one category (read together), other files one by one; each
    with the number of its first file."""
    start = 0
    while start < len(files):
        end = start + 1
        envelope = files[start].envelope
        if envelope is not None:
            while (
                end < len(files)
                and files[end].envelope is envelope
                and end - start < BLOBS_PER_READ
            ):
                end += 1
        yield start, files[start:end]
        start = end


def _merge_parts(
    collection: Collection, files: list[SnapshotFile]
) -> Iterator[list[tuple[int, list[SnapshotFile]]]]:
    """The collection's files in the parts staged and merged together.

    A directory collection is one part: its listing is whole only together (what it no longer
    holds is deleted, its states join the version's history). An event log (sign-ins, audits,
    risk detections) is merged file by file, or run of export blobs by run, so that the staged
    records, parsed and uncompressed, never exceed one file's: 50 million sign-ins in files of
    a million stage a million at a time. An event in two files merges as it would in one
    stage (the later file's properties win); it counts as changed once per file that changed it.
    """
    batches = list(_batches(files))
    if collection.is_versioned:
        yield batches
    else:
        yield from ([batch] for batch in batches)


def _stage_together(
    con: duckdb.DuckDBPyConnection,
    batch: list[SnapshotFile],
    first: int,
    paths: list[str],
    warnings: list[str],
) -> None:
    """Stage a run of blobs in one read. DuckDB's error names no file (and ends the
    transaction), so when it cannot read the run, each file is checked by the strict parser
    to say which one and where."""
    for file in batch:
        check_compression(file)
    try:
        stage_blobs(con, batch, first, paths)
    except duckdb.Error as error:
        for file in batch:
            if file.compressed:
                read_bytes(file)  # raises the gzip error in idpilot's words
            check_syntax(file)  # raises the precise error: file, line, column
        folder = batch[0].path.parent
        raise SnapshotError(
            f"cannot be read: {_ERROR_CLASS.sub('', str(error).splitlines()[0])}", path=folder
        ) from None
    counts = staged_counts(con, first, first + len(batch) - 1)
    for file_no, file in enumerate(batch, start=first):
        if file_no not in counts and is_blank(file):
            what = "is empty (0 bytes)" if file.size == 0 else "holds only blank space"
            warnings.append(f"{file.path.name} {what}: no {file.collection.value} read from it")


def _reason(error: duckdb.Error, file: SnapshotFile) -> str:
    """DuckDB's message without its error class prefix and the path (the error names it)."""
    text = _ERROR_CLASS.sub("", str(error).split("\n")[0])
    return text.replace(f": {file.path}", "").replace(str(file.path), file.path.name)


def _check_same_tenant(store: Store, folder: Path, manifest: dict[str, str]) -> None:
    """One store holds one tenant: refuse a snapshot of another tenant before touching it."""
    held = store.info(TENANT_KEY)
    incoming = manifest.get(TENANT_KEY)
    if held and incoming and held.lower() != incoming.lower():
        raise SnapshotError(
            f"this store holds tenant {held}, the snapshot is of tenant {incoming}; "
            "ingest it into a new store (--store NEW_PATH)",
            path=folder / "manifest.json",
            field=TENANT_KEY,
        )


def _check_captured_time(folder: Path, manifest: dict[str, str]) -> None:
    value = manifest.get(CAPTURED_KEY)
    if value is None:
        return
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise SnapshotError(
            f"'{value}' is not an ISO 8601 timestamp",
            path=folder / "manifest.json",
            field=CAPTURED_KEY,
        ) from None


def _load_collection(
    con: duckdb.DuckDBPyConnection,
    collection: Collection,
    files: list[SnapshotFile],
    report: IngestReport,
    version: int | None,
    on_bytes: ProgressCallback | None = None,
    complete: bool = True,
    after_part: Callable[[], None] | None = None,
) -> tuple[int, int]:
    """Stage, check and merge one collection's files; a directory collection's listing is
    whole unless the manifest says `partial`, so what it no longer holds is deleted, and the
    states that changed join the history of `version`. `after_part` runs after each merged
    part of an event log and after the collection."""
    columns = [c for c in collection_columns(con, collection) if c.name != "id"]
    paths = staged_paths(columns, FALLBACK_KEYS.get(collection, "id"))
    read = changed = 0
    for part in _merge_parts(collection, files):
        create_stage(con)
        for first, batch in part:
            if len(batch) > 1:
                _stage_together(con, batch, first, paths, report.warnings)
                if on_bytes:
                    on_bytes(sum(f.size for f in batch))
                continue
            for file_no, file in enumerate(batch, start=first):
                _stage_one(con, file, file_no, paths, report.warnings)
                if on_bytes and file.origin is None:  # an export's bytes counted when converted
                    on_bytes(file.size)
        check_strictness(con, files)
        if collection.is_singleton:
            key_singletons(con, collection.value)
        if collection in PARENT_LINKS:
            link_parents(con, PARENT_LINKS[collection], paths)
            _warn_orphans(con, collection, report.warnings)
        if collection is Collection.workflow_versions:
            key_by_parent(con, "workflowId", "versionNumber", "versions")
        check_records(con, collection, files, columns, report.warnings)
        collect_hints(con, collection, files)
        read += staged_count(con)
        changed += merge_staged(con, collection, columns, paths)
        if after_part and not collection.is_versioned:
            drop_ingest_temps(con)  # dropped, then committed: only then does DuckDB free them
            after_part()
    if collection.is_versioned and version is not None and complete:
        removed = remove_unlisted(con, collection)
        if removed:
            report.warnings.append(
                f"{removed:,} {collection.value} of the store are not in this snapshot: "
                "deleted (kept in the history; idpilot diff lists them)"
            )
        changed += removed
        if changed:
            record_states(con, collection, version)
    if collection is Collection.groups and changed:
        rebuild_group_links(con)
    if changed:
        after_collection(con, collection.value)
    record_collection(con, collection.value, table_count(con, collection))
    drop_ingest_temps(con)
    if after_part:
        after_part()
    return read, changed
