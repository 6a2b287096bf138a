"""Dynamic paths with the legacy element step: `parse_json(TargetResources).[0].displayName`.

Kusto still accepts a dot before a bracket (`d.[0]`, `d.['name']`), and published queries use
it; it means exactly `d[0]` / `d['name']`. duckdb-kql's parser produces a
`LegacyFunctionCallOrPathElementOperation` for it that its lowering refuses as a 'path step';
this lowers that step like the bracket step it spells.
"""

from __future__ import annotations

from typing import Any

from duckdb_kql import ir, lower

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
