"""Dynamic paths with the legacy element step: `parse_json(TargetResources).[0].displayName`.

Kusto still accepts a dot before a bracket (`d.[0]`, `d.['name']`), and published queries use
it; it means exactly `d[0]` / `d['name']`. duckdb-kql's parser produces a
`LegacyFunctionCallOrPathElementOperation` for it that its lowering refuses as a 'path step';
this lowers that step like the bracket step it spells.

A bracket step whose value is only known when the query runs (`parse_json(v)[ChangedValue]`)
is a property name when that value is a string and an element index when it is a number, as in
Kusto. duckdb-kql renders every runtime step as an index (`k < 0`), which DuckDB refuses to bind
for a text column; `translate.render_path` is wrapped so such a step picks by the value's type.
"""

from __future__ import annotations

from typing import Any

from duckdb_kql import ir, lower, translate
from duckdb_kql.translate import quote_string, render_expr

_LEGACY_ELEMENT = "LegacyFunctionCallOrPathElementOperation"


def register() -> None:
    """Wrap duckdb-kql's path lowering so the legacy element step is understood."""
    original = lower._lower_path
    if getattr(original, "idpilot_extension", False):
        return

    def lower_path(node: Any) -> ir.Expr:
        kids = lower._rule_children(node)
        if not any(lower._cls(lower._collapse(kid)) == _LEGACY_ELEMENT for kid in kids[1:]):
            return original(node)
        expr = lower._lower_expr(kids[0])
        for kid in kids[1:]:
            expr = _step(expr, lower._collapse(kid))
        return expr

    lower_path.idpilot_extension = True  # type: ignore[attr-defined]
    lower._lower_path = lower_path
    translate.render_path = _path_renderer(translate.render_path)


def _path_renderer(original: Any) -> Any:
    """duckdb-kql's path rendering, with runtime bracket steps read as a name or an index."""

    def render_path(node: ir.PathAccess) -> str:
        if all(step.index is None or _static(step.index) for step in node.steps):
            return str(original(node))
        sql = render_expr(node.base)
        for step in node.steps:
            if step.name is not None:
                path = quote_string("$." + translate._json_path_key(step.name))
            elif _static(step.index):
                path = quote_string(f"$[{_index_text(translate._static_index(step.index))}]")
            else:
                path = _runtime_step(render_expr(step.index))
            sql = f"json_extract({sql}, {path})"
        return sql

    return render_path


def _static(index: ir.Expr | None) -> bool:
    return index is not None and translate._static_index(index) is not None


def _index_text(index: int) -> str:
    """DuckDB's spelling of an element index (`#-1` counts from the end, as KQL's -1)."""
    return f"#{index}" if index < 0 else str(index)


def _runtime_step(index: str) -> str:
    """The JSON path of one runtime step: `$."name"` for text, `$[i]` / `$[#-i]` for numbers."""
    text = f"CAST({index} AS VARCHAR)"
    return (
        f"CASE WHEN typeof({index}) = 'VARCHAR' "
        f"THEN '$.\"' || replace({text}, '\"', {quote_string(chr(92) + chr(34))}) || '\"' "
        f"WHEN TRY_CAST({index} AS BIGINT) < 0 THEN '$[#' || {text} || ']' "
        f"ELSE '$[' || {text} || ']' END"
    )


def _step(base: ir.Expr, op: Any) -> ir.Expr:
    """`base` followed by one path step (a name, a bracket or a legacy element)."""
    cls = lower._cls(op)
    if cls == "FunctionCallOrPathPathOperation":
        step = ir.PathStep(name=lower._find_names(op)[0])
    else:
        index = lower._lower_expr(lower._rule_children(op)[0])
        if isinstance(index, ir.Literal) and index.kind == "string":
            step = ir.PathStep(name=str(index.value))
        else:
            step = ir.PathStep(index=index)
    if isinstance(base, ir.PathAccess):
        return ir.PathAccess(base.base, (*base.steps, step))
    return ir.PathAccess(base, (step,))
