"""The typed columns of each collection table, read from the schema the migrations built."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import duckdb

from idpilot.model.collections import Collection

# Columns whose value does not sit at the top level of the Graph object.
_NESTED_PATHS: dict[tuple[str, str], str] = {
    ("signIns", "errorCode"): "$.status.errorCode",
    ("lifecycleWorkflowUserProcessingResults", "subjectId"): "$.subject.id",
    ("lifecycleWorkflowTaskProcessingResults", "subjectId"): "$.subject.id",
}
# JSON columns that hold arrays in Graph's shape; the other JSON columns hold objects.
_ARRAY_PROPERTIES = frozenset(
    {
        "assignedLicenses", "groupTypes", "members", "owners", "appRoles",
        "passwordCredentials", "keyCredentials", "tags", "requiredResourceAccess",
        "appliedConditionalAccessPolicies", "targetResources", "additionalDetails",
        "ipAddresses", "ipRanges", "countriesAndRegions", "methodsRegistered", "tasks",
        "verifiedDomains", "signInEventTypes", "authenticationMethodConfigurations",
        "reviewers", "includes", "excludes", "values", "rules", "allowedCombinations",
        "servicePlans", "supportedServices", "taskProcessingResults",
    }
)  # fmt: skip
# Tables derived from another collection at ingest, not read from files.
_NOT_GRAPH = frozenset({"raw"})


class ColumnKind(StrEnum):
    """What a column holds, and so which JSON types are acceptable for it."""

    string = "VARCHAR"
    boolean = "BOOLEAN"
    integer = "INTEGER"
    timestamp = "TIMESTAMPTZ"
    json_object = "OBJECT"
    json_array = "ARRAY"


@dataclass(frozen=True)
class Column:
    """A typed column of a collection table and the JSON path it is read from."""

    name: str
    kind: ColumnKind
    path: str

    @property
    def accepted_json_types(self) -> tuple[str, ...]:
        """DuckDB `json_type` names a value of this column may have (besides null)."""
        return {
            ColumnKind.string: ("VARCHAR",),
            ColumnKind.boolean: ("BOOLEAN",),
            ColumnKind.integer: ("BIGINT", "UBIGINT"),
            ColumnKind.timestamp: ("VARCHAR",),
            ColumnKind.json_object: ("OBJECT",),
            ColumnKind.json_array: ("ARRAY",),
        }[self.kind]

    @property
    def expected(self) -> str:
        """How an error message names the expected type."""
        return {
            ColumnKind.string: "a string",
            ColumnKind.boolean: "true or false",
            ColumnKind.integer: "an integer",
            ColumnKind.timestamp: "an ISO 8601 timestamp string",
            ColumnKind.json_object: "a JSON object",
            ColumnKind.json_array: "a JSON array",
        }[self.kind]


def collection_columns(con: duckdb.DuckDBPyConnection, collection: Collection) -> list[Column]:
    """The typed columns of a collection's table, in table order (`raw` excluded)."""
    rows = con.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = 'main' AND table_name = ? ORDER BY ordinal_position",
        [collection.value],
    ).fetchall()
    columns = []
    for name, data_type in rows:
        if name in _NOT_GRAPH:
            continue
        if data_type == "JSON":
            kind = ColumnKind.json_array if name in _ARRAY_PROPERTIES else ColumnKind.json_object
        elif data_type.startswith("TIMESTAMP"):
            kind = ColumnKind.timestamp
        else:
            kind = ColumnKind(data_type)
        path = _NESTED_PATHS.get((collection.value, name), f"$.{name}")
        columns.append(Column(name, kind, path))
    return columns
