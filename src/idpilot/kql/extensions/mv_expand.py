"""`mv-expand` of an unnamed computed expression, named the way Kusto names it.

duckdb-kql refuses `mv-expand todynamic(AuthenticationDetails)` and `mv-expand
TargetResources.modifiedProperties` because the output column needs a name. Kusto's rule is
that of an unnamed `extend` (duckdb-kql's `naming.expression_name`): a path is named after its
steps (`TargetResources_modifiedProperties`) and a conversion after the column it converts
(`todynamic(AuthenticationDetails)` takes over `AuthenticationDetails`). An expression that
rule leaves positional is still refused, as before.
"""

from __future__ import annotations

from typing import Any

from duckdb_kql import KqlUnsupportedError, ir, lower
from duckdb_kql.translate import naming

_UNNAMED = "mv-expand of an unnamed computed expression"


def register() -> None:
    """Wrap duckdb-kql's lowering of one mv-expand target."""
    original = lower._lower_mv_expand_target
    if getattr(original, "idpilot_extension", False):
        return

    def lower_target(node: Any) -> tuple[ir.MvExpandTarget, ir.NamedExpr | None]:
        try:
            return original(node)
        except KqlUnsupportedError as error:
            if error.construct != _UNNAMED:
                raise
            target = _unnamed_target(node)
            name = naming.expression_name(target.expr)
            if name is None:
                raise
        return ir.MvExpandTarget(name, None, _to_type(node)), ir.NamedExpr(target.expr, name)

    lower_target.idpilot_extension = True  # type: ignore[attr-defined]
    lower._lower_mv_expand_target = lower_target


def _unnamed_target(node: Any) -> ir.NamedExpr:
    named = node
    for kid in lower._rule_children(node):
        if lower._cls(kid) == "NamedExpression":
            named = kid
    return lower._lower_named(named)


def _to_type(node: Any) -> str | None:
    for kid in lower._rule_children(node):
        if lower._cls(kid) == "MvapplyOperatorExpressionToClause":
            return kid.getText().lower().partition("typeof(")[2].rstrip(")").strip()
    return None
