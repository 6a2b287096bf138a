"""`extend` of a function with several results: `extend (a, b, c) = f(s)` and `extend f(s)`.

Kusto names each result of `series_decompose_anomalies`, `series_stats` or `series_fit_line`:
`extend (flag, score, baseline) = series_decompose_anomalies(s)` names them in order (fewer
names take the first results), and the unnamed `extend series_stats(s)` names them
`series_stats_s_min`, `series_stats_s_max`, ... duckdb-kql reads only the first name of a
tuple and so silently dropped the others. Here such an `extend` is lowered to three
operators: an `extend` holding each multi-result call in a hidden column (the function renders
a struct), an `extend` reading its fields under their names, and a `project-away` of the
hidden columns. Any other `extend` stays duckdb-kql's.
"""

from __future__ import annotations

from typing import Any

from duckdb_kql import ir, lower
from duckdb_kql.translate import _SPECIAL_FORMS, constant_string, render_expr
from duckdb_kql.translate.functions import SCALAR_FUNCTIONS, FunctionSpec

from idpilot.kql.extensions._hooks import PartlySupported, add_operator
from idpilot.kql.extensions.series import TUPLE_FIELDS

FIELD_FUNCTION = "__tuple_field"
_HIDDEN = "__tuple{}"


def register() -> None:
    """Hook `extend` for multi-result calls, and the field reader they lower to."""
    SCALAR_FUNCTIONS[FIELD_FUNCTION] = FunctionSpec(
        FIELD_FUNCTION, "template", "", (2,), note="special"
    )
    _SPECIAL_FORMS[FIELD_FUNCTION] = _render_field
    add_operator(("ExtendOperator",), _lower_extend)


def _lower_extend(node: Any, kids: list[Any]) -> list[ir.Operator] | Any:
    first: list[ir.NamedExpr] = []
    fields: list[ir.NamedExpr] = []
    hidden: list[str] = []
    for kid in kids:
        names = _tuple_names(kid)
        named = lower._lower_named(kid)
        call = named.expr
        unnamed_tuple = (
            named.name is None and isinstance(call, ir.FunctionCall) and call.name in TUPLE_FIELDS
        )
        if names is None and not unnamed_tuple:
            first.append(named)
            continue
        if not isinstance(call, ir.FunctionCall) or call.name not in TUPLE_FIELDS:
            raise PartlySupported(
                "operator:extend",
                hint=f"only {', '.join(sorted(TUPLE_FIELDS))} return several values here",
                span=lower._span(kid),
            )
        column = _HIDDEN.format(len(hidden))
        hidden.append(column)
        first.append(ir.NamedExpr(call, column))
        results = TUPLE_FIELDS[call.name]
        if names is None:
            prefix = f"{call.name}_{_argument_name(call)}"
            names = [f"{prefix}_{field}" for field in results]
        if len(names) > len(results):
            raise PartlySupported(
                "operator:extend",
                hint=f"{call.name} returns {len(results)} values",
                span=lower._span(kid),
            )
        fields += [
            ir.NamedExpr(
                ir.FunctionCall(
                    FIELD_FUNCTION, (ir.ColumnRef(column), ir.Literal(field, "string"))
                ),
                name,
            )
            for name, field in zip(names, results, strict=False)
        ]
    if not hidden:
        return NotImplemented
    return [ir.Extend(tuple(first)), ir.Extend(tuple(fields)), ir.ProjectAway(tuple(hidden))]


def _field(column: str, field: str) -> ir.FunctionCall:
    """The call reading `field` of the struct in the hidden `column`."""
    return ir.FunctionCall(FIELD_FUNCTION, (ir.ColumnRef(column), ir.Literal(field, "string")))


def _tuple_names(kid: Any) -> list[str] | None:
    """The names of `(a, b) = ...`; None for one name or none."""
    parts = lower._rule_children(kid)
    if len(parts) != 2 or lower._cls(parts[0]) != "NamedExpressionNameClause":
        return None
    if not parts[0].getText().lstrip().startswith("("):
        return None
    return lower._find_names(parts[0])


def _argument_name(call: ir.FunctionCall) -> str:
    argument = call.args[0] if call.args else None
    return argument.name if isinstance(argument, ir.ColumnRef) else ""


def _render_field(node: ir.FunctionCall) -> str:
    field = constant_string(node.args[1])
    return f"struct_extract({render_expr(node.args[0])}, '{field}')"
