"""What a translated KQL query may touch, checked on DuckDB's own parse tree before it runs.

The translator turns a bracketed name (`['./export.csv']`), a `database("x").T` or a let-bound
name into a table reference, and DuckDB would read a file, a URL or another catalog for it. So
the SQL is parsed by DuckDB itself (`json_serialize_sql`) and every node is checked against
allow-lists: a table reference must name one of the Log Analytics views or a CTE in scope
(unqualified, without time travel), a table function must be one that only generates rows, and
every scalar, aggregate and window function must be one the translator emits. Anything else is
refused before the query reaches the connection, which is itself locked down (no external
access, no extensions, configuration locked): this check is what keeps a query to the views.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from idpilot.kql.errors import KqlErrorKind, KqlQueryError

# The DuckDB functions the duckdb-kql translator emits: every function its registry renders
# (each KQL scalar, aggregate and binary operator called with literal and column arguments),
# those its operators write (arg_max, bin, mv-expand, row_number ...), and those DuckDB's
# parser makes of SQL syntax (`x[1]`, `LIKE`, `count(*)`). None reads a file, a setting, the
# catalog or the environment. tests/kql/test_guard.py fails when the translator starts emitting
# a function missing here.
# fmt: off
SCALAR_FUNCTIONS = frozenset({
    "abs", "acos", "add", "ago", "any_value", "arg_max", "arg_min", "array_concat",
    "array_extract", "array_length", "array_slice", "array_to_string", "asin", "atan", "atan2",
    "avg", "bin", "ceil", "chr", "concat", "concat_ws", "contains", "cos", "cot", "count",
    "count_star", "countif", "date_diff", "date_part", "date_trunc", "day", "dayofweek",
    "dayofyear", "decode", "degrees", "dense_rank", "ends_with", "epoch", "epoch_us", "error",
    "exp", "filter", "first", "flatten", "floor", "format", "from_base64", "gamma",
    "generate_series", "greatest", "hash", "hour", "if", "ilike_escape", "isfinite", "isinf",
    "isnan", "json", "json_array", "json_array_length", "json_extract", "json_extract_string",
    "json_keys", "json_object", "json_type", "least", "left", "len", "length", "like_escape",
    "list", "list_aggregate", "list_append", "list_bool_and", "list_bool_or", "list_concat",
    "list_contains", "list_distinct", "list_extract", "list_filter", "list_has_any",
    "list_position", "list_prepend", "list_reverse", "list_reverse_sort", "list_slice",
    "list_sort", "list_sum", "list_transform", "list_value", "ln", "log10", "log2", "lower",
    "lpad", "ltrim", "make_timestamp", "map", "map_from_entries", "max", "md5", "min", "month",
    "now", "nullif", "pi", "position", "pow", "power", "prefix", "printf", "quantile_disc",
    "radians", "range", "rank", "regexp_escape", "regexp_extract", "regexp_extract_all",
    "regexp_full_match", "regexp_matches", "regexp_replace", "repeat", "replace", "reverse",
    "round", "row", "row_number", "rtrim", "sha1", "sha256", "sign", "sin", "split",
    "split_part", "sqrt", "starts_with", "stddev_samp", "str_split", "strftime", "strlen",
    "strpos", "struct_extract", "struct_insert", "struct_pack", "substr", "substring", "sum",
    "tan", "timezone", "to_base64", "to_days", "to_hours", "to_json", "to_microseconds",
    "to_minutes", "to_months", "to_seconds", "to_timestamp", "to_years", "trim", "trunc",
    "try_strptime", "typeof", "unnest", "upper", "uuid", "var_samp", "weekofyear", "xor",
    "year", "!~~", "!~~*", "%", "&", "*", "**", "+", "-", "->>", "/", "//", "<<", ">>", "^",
    "|", "||", "~", "~~", "~~*", "~~~",
})
# fmt: on
# What `idpilot.kql.extensions` emits beyond duckdb-kql's own set (window neighbours for
# prev/next, JSON bag merging for make_bag, list folding, the map geo_info_from_ip_address
# looks addresses up in): pure functions of their arguments.
EXTENSION_FUNCTIONS = frozenset(
    {"json_merge_patch", "lag", "lead", "list_reduce", "map_extract_value"}
)
SCALAR_FUNCTIONS = SCALAR_FUNCTIONS | EXTENSION_FUNCTIONS
# Table functions that only generate rows from their arguments (`range`, `mv-expand`).
TABLE_FUNCTIONS = frozenset({"range", "generate_series", "unnest"})
# Kinds of FROM items: a view or CTE, a join, a subquery, VALUES (datatable), no FROM (print),
# a row generator, and DESCRIBE of a query (getschema).
_TABLE_REF_TYPES = frozenset(
    {"BASE_TABLE", "JOIN", "SUBQUERY", "EXPRESSION_LIST", "EMPTY", "TABLE_FUNCTION", "SHOW_REF"}
)
_FUNCTION_CLASSES = frozenset({"FUNCTION", "WINDOW"})
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def check_tree(tree: dict[str, Any], views: Iterable[str]) -> set[str]:
    """Refuse a parsed statement that reaches beyond `views`; return the views it reads.

    `tree` is DuckDB's `json_serialize_sql` output for the translated query.
    """
    if tree.get("error") or len(tree.get("statements") or []) != 1:
        raise KqlQueryError(
            "the query would do more than read the snapshot; idpilot kql only reads",
            kind=KqlErrorKind.read_only,
        )
    checker = _Checker({name.casefold(): name for name in views})
    checker.walk(tree["statements"][0], frozenset())
    return checker.read


class _Checker:
    """One walk over a parse tree, with the CTE names in scope at each node."""

    def __init__(self, views: dict[str, str]) -> None:
        self.views = views
        self.read: set[str] = set()

    def walk(self, node: Any, scope: frozenset[str]) -> None:
        if isinstance(node, list):
            for item in node:
                self.walk(item, scope)
            return
        if not isinstance(node, dict):
            return
        if "cte_map" in node:
            scope = self._ctes(node["cte_map"], scope)
        if node.get("type") == "RECURSIVE_CTE_NODE":
            scope = scope | {str(node.get("cte_name", "")).casefold()}
        if "sample" in node and "alias" in node and not str(node.get("type")).endswith("_NODE"):
            self._table_ref(node, scope)
        elif "function_name" in node or node.get("class") in _FUNCTION_CLASSES:
            self._function(node, SCALAR_FUNCTIONS)
        elif "table_name" in node:
            raise _refused(f"the name '{node.get('table_name')}'")
        for key, value in node.items():
            if key != "cte_map":
                self.walk(value, scope)

    def _ctes(self, cte_map: dict[str, Any], scope: frozenset[str]) -> frozenset[str]:
        """Walk each CTE with the names declared before it; return the scope of the body."""
        for entry in cte_map.get("map") or []:
            self.walk(entry.get("value"), scope)
            scope = scope | {str(entry.get("key", "")).casefold()}
        return scope

    def _table_ref(self, node: dict[str, Any], scope: frozenset[str]) -> None:
        kind = node.get("type")
        if kind not in _TABLE_REF_TYPES:
            raise _refused(f"a {str(kind).lower().replace('_', ' ')}")
        if kind == "TABLE_FUNCTION":
            self._function(node.get("function") or {}, TABLE_FUNCTIONS)
            return
        if kind not in ("BASE_TABLE", "SHOW_REF"):
            return
        name = str(node.get("table_name") or "")
        if kind == "SHOW_REF" and not name:
            return  # DESCRIBE of a query: the query is walked like any other
        qualified = [part for part in (node.get("catalog_name"), node.get("schema_name")) if part]
        if qualified or node.get("at_clause") or (kind == "SHOW_REF" and node.get("query")):
            raise unknown_table(".".join([*qualified, name]), self.views.values())
        folded = name.casefold()
        if folded in scope:
            return
        if folded not in self.views:
            raise unknown_table(name, self.views.values())
        self.read.add(self.views[folded])

    def _function(self, node: dict[str, Any], allowed: frozenset[str]) -> None:
        name = str(node.get("function_name") or "")
        if node.get("catalog") or node.get("schema") or name.casefold() not in allowed:
            raise _refused(f"the DuckDB function '{name}'")


def unknown_table(name: str, views: Iterable[str]) -> KqlQueryError:
    """The error for a table that is not one of `views`; a name that looks like a path, a URL
    or a qualified name is told that files, URLs and other databases are not read."""
    message = f"unknown table '{name}': the tables available are {', '.join(views)}"
    if not _IDENTIFIER.match(name):
        message += " (idpilot kql reads these tables only: no files, URLs or other databases)"
    return KqlQueryError(message, kind=KqlErrorKind.unknown_table)


def _refused(what: str) -> KqlQueryError:
    return KqlQueryError(
        f"the query was translated to use {what}, which idpilot kql does not run: it reads "
        "only the Log Analytics tables of the snapshot",
        kind=KqlErrorKind.refused,
    )
