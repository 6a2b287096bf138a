"""A function call whose first argument is written with a name: the name names the column.

Kusto names an unnamed column after the first argument of functions such as `round`,
`tostring` or `bin`, and the name of an argument written `Name = expr` is `Name` (Kusto.Language's
`Binder.GetExpressionResultName`: a named expression's result name is its name, and a
first-argument function passes its first argument's name on). So `project round(FailureRate =
Failed * 100.0 / Total)` is a column `FailureRate`, which Microsoft's hunting queries then read.
duckdb-kql lowers the argument to its value and names the column `Column1`. Here the call
keeps the name (`NamedFirstArgumentCall`, rendered as the call it is) and duckdb-kql's naming rule
is asked about the call with that name in place of the argument, so every function it names
after its first argument (`strlen_Name`, ...) follows.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from duckdb_kql import ir, lower
from duckdb_kql.translate import naming

_wrapped = False


@dataclass(frozen=True)
class NamedFirstArgumentCall(ir.FunctionCall):
    """A call whose first argument was written `name = value`; `args` hold the values."""

    first_name: str = ""


def register() -> None:
    """Keep a first argument's name through lowering, and name the call's column by it."""
    global _wrapped
    if _wrapped:
        return
    original_lower = lower._lower_function_call
    original_name = naming.expression_name

    def lower_function_call(node: Any) -> ir.Expr:
        lowered = original_lower(node)
        arguments = lower._rule_children(node)[1:]  # after the function's name
        if type(lowered) is not ir.FunctionCall or not arguments:
            return lowered
        first = lower._collapse(arguments[0])
        if lower._cls(first) != "NamedExpression":
            return lowered
        name = lower._lower_named(first).name
        if not name:
            return lowered
        fields = {field.name: getattr(lowered, field.name) for field in dataclasses.fields(lowered)}
        return NamedFirstArgumentCall(**fields, first_name=name)

    def expression_name(expr: ir.Expr) -> str | None:
        if isinstance(expr, NamedFirstArgumentCall):
            return original_name(
                ir.FunctionCall(expr.name, (ir.ColumnRef(expr.first_name), *expr.args[1:]))
            )
        return original_name(expr)

    lower._lower_function_call = lower_function_call
    naming.expression_name = expression_name
    _wrapped = True
