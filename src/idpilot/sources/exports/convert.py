"""Log Analytics query results and CSV exports converted, streaming, into Graph JSON Lines files
that ingest then reads like any snapshot file (one per collection, in a work folder)."""

from __future__ import annotations

import csv
import gzip
import zlib
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import IO, Any, TextIO

import msgspec

from idpilot.errors import SnapshotError
from idpilot.model.collections import Collection
from idpilot.sources.exports.categories import LogCategory, category_of_table
from idpilot.sources.exports.json_stream import JsonStreamError
from idpilot.sources.exports.la_records import (
    ColumnReading,
    RowError,
    column_readings,
    graph_record,
)
from idpilot.sources.exports.query_results import QueryResultError, read_rows
from idpilot.sources.exports.tables import row_category, table_of, type_column
from idpilot.sources.snapshot_files import FileFormat, SnapshotFile

CSV_FIELD_LIMIT = 256 << 20  # a dynamic cell (a sign-in's policies) can be large
_GZIP_ERRORS = (gzip.BadGzipFile, EOFError, zlib.error)


class ExportKind(StrEnum):
    """The export layouts converted before ingest."""

    query_result = "Log Analytics query result"
    csv = "Log Analytics CSV export"


@dataclass(frozen=True)
class ExportFile:
    """A file of a folder that holds exported logs rather than Graph objects."""

    path: Path
    kind: ExportKind
    compressed: bool


def open_text(path: Path, compressed: bool) -> TextIO:
    """The file as UTF-8 text (a byte order mark skipped), decompressed when `.gz`."""
    if compressed:
        return gzip.open(path, "rt", encoding="utf-8-sig", newline="")
    return path.open(encoding="utf-8-sig", newline="")


@dataclass
class _Rows:
    """Rows of one export with their table, line and column names."""

    category: LogCategory
    readings: list[ColumnReading]
    values: list[Any]
    line: int


class _Output:
    """One JSON Lines file per collection in the work folder."""

    def __init__(self, folder: Path, source: Path, stack: ExitStack, number: int) -> None:
        self._folder, self._source, self._stack, self._number = folder, source, stack, number
        self._handles: dict[Collection, IO[bytes]] = {}
        self.files: list[SnapshotFile] = []

    def write(self, collection: Collection, record: dict[str, Any]) -> None:
        handle = self._handles.get(collection)
        if handle is None:
            path = self._folder / f"{self._number:04d}.{collection.value}.jsonl"
            handle = self._stack.enter_context(path.open("wb"))
            self._handles[collection] = handle
            self.files.append(
                SnapshotFile(path, collection, FileFormat.json_lines, False, origin=self._source)
            )
        handle.write(msgspec.json.encode(record))
        handle.write(b"\n")


def convert_export(
    export: ExportFile, folder: Path, number: int, warnings: list[str]
) -> list[SnapshotFile]:
    """Convert one export into JSON Lines files of Graph records in `folder`; return them."""
    read = _query_result_rows if export.kind is ExportKind.query_result else _csv_rows
    with ExitStack() as stack:
        output = _Output(folder, export.path, stack, number)
        try:
            text = stack.enter_context(open_text(export.path, export.compressed))
            count = 0
            for rows in read(export, text, warnings):
                try:
                    record = graph_record(rows.category, rows.readings, rows.values)
                except RowError as error:
                    raise SnapshotError(
                        f"{rows.category.table} row: {error}",
                        path=export.path,
                        line=rows.line,
                        field=error.column,
                    ) from None
                output.write(rows.category.collection, record)
                count += 1
        except UnicodeDecodeError as error:
            raise SnapshotError(
                f"is not UTF-8 text (byte {error.start}): export it again as UTF-8",
                path=export.path,
            ) from None
        except _GZIP_ERRORS as error:
            raise SnapshotError(
                f"cannot be decompressed as gzip ({error or type(error).__name__})",
                path=export.path,
            ) from None
        except (JsonStreamError, QueryResultError) as error:
            raise SnapshotError(
                str(error),
                path=export.path,
                line=error.line,
                column=error.column,
                field=getattr(error, "field", None),
            ) from None
        if not count:
            warnings.append(f"{export.path.name} ({export.kind.value}) holds no rows")
    return output.files


def _query_result_rows(export: ExportFile, text: TextIO, warnings: list[str]) -> Iterator[_Rows]:
    tables: dict[tuple[str, tuple[str, ...]], _TableReader] = {}
    for row in read_rows(text, warnings):
        key = (row.table, tuple(row.columns))
        reader = tables.get(key)
        if reader is None:
            reader = tables[key] = _TableReader(export, row.table, row.columns, row.line)
        yield reader.rows(row.values, row.line)


def _csv_rows(export: ExportFile, text: TextIO, warnings: list[str]) -> Iterator[_Rows]:
    csv.field_size_limit(CSV_FIELD_LIMIT)
    reader = csv.reader(text)
    try:
        header = next(reader)
    except StopIteration:
        return
    except csv.Error as error:
        raise SnapshotError(f"unreadable CSV header: {error}", path=export.path, line=1) from None
    table = _TableReader(export, "", header, 1)
    try:
        for values in reader:
            if not values:
                continue
            if len(values) != len(header):
                raise SnapshotError(
                    f"a row of {len(values)} cells under a header of {len(header)} columns",
                    path=export.path,
                    line=reader.line_num,
                )
            yield table.rows(values, reader.line_num)
    except csv.Error as error:
        raise SnapshotError(
            f"unreadable CSV: {error}", path=export.path, line=reader.line_num
        ) from None


class _TableReader:
    """Reads the rows of one result table: its log, and each column's Graph property."""

    def __init__(self, export: ExportFile, name: str, columns: list[str], line: int) -> None:
        self._export, self._columns = export, columns
        self._type = type_column(columns)
        self._interactive = next(
            (i for i, c in enumerate(columns) if c.strip().lower() == "isinteractive"), None
        )
        self._base = table_of(name, columns)
        if self._base is None and self._type is None:
            raise SnapshotError(
                f"cannot tell which Entra ID log the table '{name or 'CSV'}' holds: keep the "
                "Type column or the log's own columns (SigninLogs, "
                "AADNonInteractiveUserSignInLogs, AADServicePrincipalSignInLogs, "
                "AADManagedIdentitySignInLogs, AuditLogs, AADRiskyUsers, AADUserRiskEvents, "
                "AADRiskyServicePrincipals, AADServicePrincipalRiskEvents)",
                path=export.path,
                line=line,
            )
        self._readings: dict[str, list[ColumnReading]] = {}

    def rows(self, values: list[Any], line: int) -> _Rows:
        category = self._base
        if self._type is not None and values[self._type]:
            category = category_of_table(str(values[self._type]))
            if category is None:
                raise SnapshotError(
                    f"rows of the table '{values[self._type]}' are not an Entra ID log "
                    "idpilot reads",
                    path=self._export.path,
                    line=line,
                    field="Type",
                )
        elif category is None:
            raise SnapshotError(
                "a row without a Type, in a table whose columns name no Entra ID log",
                path=self._export.path,
                line=line,
                field="Type",
            )
        elif self._interactive is not None:
            category = row_category(category, values[self._interactive])
        readings = self._readings.get(category.name)
        if readings is None:
            readings = self._readings[category.name] = column_readings(category, self._columns)
        return _Rows(category, readings, values, line)
