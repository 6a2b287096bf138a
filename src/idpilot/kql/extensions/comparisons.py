"""Text compared for equality with a number, as Kusto compares it.

Kusto runs `ConditionalAccessStatus == 1` (a string column against a long) and answers false for
"success"; DuckDB binds the comparison by casting the column to the literal's type and fails at
the first value that is not a number. So an equality between an expression and a numeric
literal compares `toreal(expression)` with it: text that holds a number compares as that number
(`ResultType == 0` is unchanged), other text as null (false for `==`, true for `!=`, Kusto's
total equality), and a numeric column is unchanged. The expression is rewritten in duckdb-kql's
IR, on the node, never in the query text.
"""

from __future__ import annotations

from typing import Any

from duckdb_kql import ir, translate

_EQUALITIES = frozenset({"==", "!=", "<>"})
_NUMBER_KINDS = frozenset({"long", "int", "real", "decimal"})
_wrapped = False


def register() -> None:
    """Wrap duckdb-kql's expression renderer once."""
    global _wrapped
    if _wrapped:
        return
    original = translate.render_expr

    def render_expr(node: Any) -> str:
        return original(as_number_comparison(node))

    translate.render_expr = render_expr
    _wrapped = True


def as_number_comparison(node: Any) -> Any:
    """`node`, or for `expr == <number>` (either side) the same comparison of `toreal(expr)`."""
    if not isinstance(node, ir.BinaryOp) or node.op not in _EQUALITIES:
        return node
    left, right = node.left, node.right
    if _number(right) and _convertible(left):
        return ir.BinaryOp(node.op, ir.FunctionCall("toreal", (left,)), right)
    if _number(left) and _convertible(right):
        return ir.BinaryOp(node.op, left, ir.FunctionCall("toreal", (right,)))
    return node


def _number(node: Any) -> bool:
    return isinstance(node, ir.Literal) and node.kind in _NUMBER_KINDS


def _convertible(node: Any) -> bool:
    """An expression (not a literal, not already converted) whose value may be text."""
    if isinstance(node, ir.Literal):
        return False
    return not (isinstance(node, ir.FunctionCall) and node.name in ("toreal", "todouble"))
