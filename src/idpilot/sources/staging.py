"""Staging: each snapshot file's records read by DuckDB into the `_stage` temp table.

Each JSON document is parsed once (see `store.staging`, which holds the table and its queries);
here the file's format decides how it is read, and what DuckDB tolerates but JSON forbids is
sent to the strict parser.
"""

from __future__ import annotations

import duckdb
import orjson

from idpilot.errors import SnapshotError
from idpilot.model.collections import Collection
from idpilot.sources.snapshot_files import FileFormat, SnapshotFile, check_syntax, locate_record
from idpilot.store.columns import Column
from idpilot.store.staging import (
    expand_pages,
    first_off_category,
    ordinal_of,
    stage_documents,
    suspicious_files,
)

MAX_OBJECT_BYTES = (1 << 31) - 1  # DuckDB's limit for one JSON document
# DuckDB sizes its read buffers by maximum_object_size, so asking for 2 GiB on every file costs
# a third of the load time: JSON Lines records get this much, documents the size of the file.
LINE_OBJECT_BYTES = 32 << 20

# A record without `id` (published examples made with $select sometimes omit it) is keyed by
# the property Graph guarantees unique in its collection; other collections require `id`.
FALLBACK_KEYS: dict[Collection, str] = {
    Collection.applications: "appId",
    Collection.service_principals: "appId",
    Collection.users: "userPrincipalName",
    Collection.domains: "id",
    Collection.cross_tenant_access_partners: "tenantId",
}
# Collections whose records Graph publishes without `id` (keyed without a warning): partner
# configurations by `tenantId`; singletons (Collection.is_singleton) by the collection's name.
KEYED_WITHOUT_ID = frozenset(
    {Collection.cross_tenant_access_partners, Collection.workflow_versions}
)
# Records Graph lists under a parent (`/workflows/{workflowId}/runs`): the property that takes
# each parent's id and the entity set that names it in the list response's `@odata.context`.
_WORKFLOW = ("workflowId", "workflows")
_RUN = ("runId", "runs")
PARENT_LINKS: dict[Collection, tuple[tuple[str, str], ...]] = {
    Collection.workflow_versions: (_WORKFLOW,),
    Collection.workflow_runs: (_WORKFLOW,),
    Collection.workflow_user_results: (_WORKFLOW, _RUN),
    Collection.workflow_task_results: (
        _WORKFLOW,
        _RUN,
        ("userProcessingResultId", "userProcessingResults"),
    ),
    Collection.workflow_task_reports: (_WORKFLOW, _RUN),
}

# What DuckDB's JSON reader accepts beyond the JSON standard (trailing commas, NaN, Infinity),
# and runs of 64 nested openings (a nesting bomb the strict parser measures and refuses).
LENIENT = (
    r",\s*[\]}]|[\[:,]\s*[-+]?(NaN|Infinity|nan|inf)\b"
    r'|(?:[\[{]\s*(?:"[^"]*"\s*:\s*)?){64}'
)


def staged_paths(columns: list[Column], fallback_key: str) -> list[str]:
    """The JSON paths extracted once per record: id, fallback key, value, then each column."""
    return ["$.id", f"$.{fallback_key}", "$.value", *(c.path for c in columns)]


def stage_file(
    con: duckdb.DuckDBPyConnection, file: SnapshotFile, file_no: int, paths: list[str]
) -> None:
    """Read a file's records into _stage in file order, each JSON document parsed once.

    A document is a record, a JSON array of records or of list responses, or a Graph list
    response (a `value` array with only `@` annotations beside it), whose elements are the
    records. `suspicious` marks
    documents that may hold what DuckDB's lenient reader accepts and strict JSON does not.
    """
    lines = file.format is FileFormat.json_lines
    if lines:
        largest = LINE_OBJECT_BYTES
    else:  # a compressed file's documents can be far larger than the file
        largest = MAX_OBJECT_BYTES if file.compressed else min(MAX_OBJECT_BYTES, file.size + 1)
    envelope = None if file.envelope is None else orjson.dumps(file.envelope.defaults).decode()
    pages = stage_documents(
        con,
        str(file.path),
        json_lines=lines,
        largest=largest,
        paths=paths,
        file_no=file_no,
        lenient=LENIENT,
        envelope=envelope,
    )
    if file.envelope is not None:
        check_categories(con, [file], file_no)
    if pages:
        expand_pages(con, paths, file_no)


def check_strictness(con: duckdb.DuckDBPyConnection, files: list[SnapshotFile]) -> None:
    """Refuse what DuckDB's reader tolerates but JSON forbids (trailing commas, NaN).

    The regular expression can also match inside a string ("a,]"), so each flagged file is
    checked with the strict parser, which has the final word and the exact position.
    """
    for file_no in suspicious_files(con):
        check_syntax(files[file_no])


def stage_blobs(
    con: duckdb.DuckDBPyConnection, files: list[SnapshotFile], first: int, paths: list[str]
) -> None:
    """Read export blobs of one category (numbered from `first`) in one pass: their records'
    `properties` staged, their categories checked. DuckDB's error names no file, so a batch
    it cannot read is raised for the caller to read file by file."""
    envelope = files[0].envelope
    assert envelope is not None
    stage_documents(
        con,
        [str(f.path) for f in files],
        json_lines=True,
        largest=LINE_OBJECT_BYTES,
        paths=paths,
        file_no=first,
        lenient=LENIENT,
        envelope=orjson.dumps(envelope.defaults).decode(),
    )
    check_categories(con, files, first)


def check_categories(con: duckdb.DuckDBPyConnection, files: list[SnapshotFile], first: int) -> None:
    """Refuse an export blob record without a `properties` object or of another category than
    its container's (a blob copied into the wrong folder); `files` are numbered from `first`."""
    envelope = files[0].envelope
    assert envelope is not None
    found = first_off_category(con, first, first + len(files) - 1, envelope.name)
    if found is None:
        return
    file_no, position, category = found
    file = files[file_no - first]
    assert file.envelope is not None
    ordinal = ordinal_of(con, file_no, position)
    if category is None:
        field, message = "properties", "an exported log record needs a 'properties' object"
    else:
        field = "category"
        message = (
            f"the record's category is '{category}', but its folder "
            f"{file.envelope.container} holds {file.envelope.name} records"
        )
    line, column = locate_record(file, ordinal, field)
    raise SnapshotError(
        f"record {ordinal}: {message}", path=file.path, line=line, column=column, field=field
    )
