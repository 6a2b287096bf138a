"""Log Analytics query API results: `{"tables": [{"name", "columns": [{"name", "type"}],
"rows": [[...], ...]}]}`, read row by row (`json_stream`), each row with its line."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, TextIO

from idpilot.sources.exports.json_stream import JsonStream

_QUERY_RESULT = re.compile(r'^\s*\{\s*"tables"\s*:')


def looks_like_query_result(head: str) -> bool:
    """True when text starts as a Log Analytics query result (`{"tables": ...`)."""
    return bool(_QUERY_RESULT.match(head.lstrip("\ufeff")))


@dataclass(frozen=True)
class ResultRow:
    """One row of a result table, with the table's name and column names."""

    table: str
    columns: list[str]
    values: list[Any]
    line: int


class QueryResultError(ValueError):
    """The document is not a query result as the API writes it; with its position."""

    def __init__(self, message: str, line: int, column: int, field: str | None = None) -> None:
        super().__init__(message)
        self.line, self.column, self.field = line, column, field


def read_rows(handle: TextIO, warnings: list[str]) -> Iterator[ResultRow]:
    """Every row of every table, in order; a partial-error notice goes to `warnings`."""
    stream = JsonStream(handle)
    stream.expect("{", "a JSON object")
    for _ in stream.members("}"):
        key = stream.key()
        if key == "tables":
            stream.expect("[", "an array of tables")
            for _ in stream.members("]"):
                yield from _table(stream)
        elif key == "error":
            error = stream.value()
            detail = error.get("message") if isinstance(error, dict) else error
            warnings.append(f"the query reported an error, its rows may be partial: {detail}")
        else:
            stream.value()
    if not stream.at_end():
        raise stream.error("unexpected text after the query result")


def _table(stream: JsonStream) -> Iterator[ResultRow]:
    stream.expect("{", "a table object")
    name, columns = "", None
    for _ in stream.members("}"):
        key = stream.key()
        stream.peek()
        line, column = stream.where()
        if key == "name":
            name = stream.value()
        elif key == "columns":
            columns = _columns(stream.value(), line, column)
        elif key == "rows":
            if columns is None:
                raise QueryResultError(
                    "a table's 'columns' must come before its 'rows' (as the API writes them)",
                    line,
                    column,
                    "rows",
                )
            stream.expect("[", "an array of rows")
            for _ in stream.members("]"):
                stream.peek()  # past the whitespace: the row's own line
                row_line, row_column = stream.where()
                values = stream.value()
                if not isinstance(values, list) or len(values) != len(columns):
                    size = len(values) if isinstance(values, list) else type(values).__name__
                    raise QueryResultError(
                        f"a row must be an array of {len(columns)} values (one per column), "
                        f"got {size}",
                        row_line,
                        row_column,
                    )
                yield ResultRow(str(name), columns, values, row_line)
        else:
            stream.value()


def _columns(value: Any, line: int, column: int) -> list[str]:
    if not isinstance(value, list) or not all(
        isinstance(c, dict) and isinstance(c.get("name"), str) for c in value
    ):
        raise QueryResultError(
            '\'columns\' must be an array of {"name", "type"} objects', line, column, "columns"
        )
    return [c["name"] for c in value]
