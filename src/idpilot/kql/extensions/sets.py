"""Set and JSON-path functions over dynamic values: `set_difference`, `set_union`,
`set_intersect`, and `extract_json` / `extractjson`.

- `set_difference(a, b, ...)`: the distinct elements of `a` in none of the others.
- `set_union(a, b, ...)`: the distinct elements of any of them.
- `set_intersect(a, b, ...)`: the distinct elements of `a` in every other one.
  Each is a dynamic array, compared element by element as JSON, the way duckdb-kql's own
  `set_has_element` compares; the order of the result is not Kusto's (Kusto does not promise one).
- `extract_json(path, text)` and its older spelling `extractjson`: the element at a JSONPath
  (`$.state`, `$.a[0]`) of a JSON text, as a string (a scalar unquoted, an object or array as
  JSON text), null when the text is not JSON or the path finds nothing.
"""

from __future__ import annotations

from duckdb_kql import ir
from duckdb_kql.translate import _SPECIAL_FORMS, render_expr
from duckdb_kql.translate.functions import SCALAR_FUNCTIONS, FunctionSpec

_VARIADIC = (2, 3, 4, 5, 6, 7, 8)


def register() -> None:
    """Add the set functions and `extract_json` to duckdb-kql's registries."""
    for name in ("set_difference", "set_union", "set_intersect"):
        SCALAR_FUNCTIONS[name] = FunctionSpec(name, "template", "", _VARIADIC, note="special")
    _SPECIAL_FORMS.update(
        {
            "set_difference": _render_set_difference,
            "set_union": _render_set_union,
            "set_intersect": _render_set_intersect,
        }
    )
    for name in ("extract_json", "extractjson"):
        SCALAR_FUNCTIONS[name] = FunctionSpec(
            name, "template", "json_extract_string(TRY_CAST({1} AS JSON), {0})", (2,), ("R9",)
        )


def _elements(node: ir.Expr) -> str:
    """A dynamic array as a DuckDB list of JSON values."""
    return f"CAST(to_json({render_expr(node)}) AS JSON[])"


def _render_set_difference(node: ir.FunctionCall) -> str:
    others = f"list_concat({', '.join(_elements(arg) for arg in node.args[1:])})"
    return (
        f"to_json(list_filter(list_distinct({_elements(node.args[0])}), "
        f"lambda _element: NOT list_contains({others}, _element)))"
    )


def _render_set_union(node: ir.FunctionCall) -> str:
    every = f"list_concat({', '.join(_elements(arg) for arg in node.args)})"
    return f"to_json(list_distinct({every}))"


def _render_set_intersect(node: ir.FunctionCall) -> str:
    tests = " AND ".join(f"list_contains({_elements(arg)}, _element)" for arg in node.args[1:])
    return (
        f"to_json(list_filter(list_distinct({_elements(node.args[0])}), lambda _element: {tests}))"
    )
