"""Tabular `let` functions with scalar parameters, and `table(name)`.

Kusto lets a `let` function return rows: `let aadFunc = (tableName:string, upn:string) {
table(tableName) | where UserPrincipalName == upn }; aadFunc("SigninLogs", "a@b")`. duckdb-kql
1.1 inlines scalar `let` functions and splices those with a tabular parameter (`invoke`), and
refuses a tabular body with only scalar parameters; yet it expands a *stored* function, which
is exactly such a body, at each call site into a binding of its own (`lower._expand`: the
arguments bound in the caller's scope, the body's own `let`s, recursion refused). A tabular
`let` function is that same declaration (`LetFunctionDeclaration`) scoped to the query, so it
is registered beside the query's other `let` functions and expanded by the same routine.

`table(name)` names a table by a constant string (or a scalar `let` or parameter holding one).
duckdb-kql's grammar keeps `table` as a keyword of `render table` only, so the lexer reads
`table` followed by `(` as the function name it is in Kusto; the argument resolves against the
scalars in scope where the body is lowered (the call's bound parameters inside a function).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from duckdb_kql import KqlUnsupportedError, ir, lower, parser
from duckdb_kql._antlr.KqlLexer import KqlLexer
from duckdb_kql.stored_functions import StoredFunction

TABLE_FUNCTION = "table"
_CALL = "NamedFunctionCallExpression"


@dataclasses.dataclass(frozen=True)
class TabularLetFunction(lower.LetFunction):
    """A `let` function whose body is a table, kept as its declaration for each call site."""

    declaration: Any = dataclasses.field(default=None, compare=False, repr=False)


class TableCallLexer(KqlLexer):
    """duckdb-kql's lexer, reading the keyword `table` before `(` as a function name."""

    def nextToken(self) -> Any:
        """The next token; `table(` becomes an identifier token."""
        token = super().nextToken()
        if token.type == KqlLexer.TABLE and _opens_call(self._input, token.stop + 1):
            token.type = KqlLexer.IDENTIFIER
        return token


def register() -> None:
    """Teach duckdb-kql's lexer `table(` and its lowering tabular `let` functions."""
    parser.KqlLexer = TableCallLexer
    declare_let_function = lower._declare_let_function
    is_tabular_value = lower._is_tabular_value
    lower_source = lower._lower_source

    def declare(decl: Any, scalars: dict[str, ir.Expr]) -> None:
        if not _has_tabular_body(decl, scalars, is_tabular_value):
            declare_let_function(decl, scalars)
            return
        name = _declared_name(decl)
        lower._LET_FUNCTIONS_STATE.get()[name] = TabularLetFunction(name, (), declaration=decl)

    def tabular_value(node: Any, scalars: dict[str, ir.Expr]) -> bool:
        name = _called_name(lower._unparenthesize(node))
        return (
            name == TABLE_FUNCTION
            or _tabular_function(name) is not None
            or (is_tabular_value(node, scalars))
        )

    def source(node: Any) -> ir.Source:
        collapsed = lower._collapse(node)
        name = _called_name(collapsed)
        if name == TABLE_FUNCTION:
            return _table_source(collapsed)
        if (function := _tabular_function(name)) is not None:
            stored = StoredFunction(
                name, None, "", "", "", "", "", declaration=function.declaration
            )
            return lower._expand(collapsed, stored, lower._rule_children(collapsed)[1:])
        return lower_source(node)

    lower._declare_let_function = declare
    lower._is_tabular_value = tabular_value
    lower._lower_source = source


def _opens_call(stream: Any, index: int) -> bool:
    """Whether the first character at or after `index` that is not a space is `(`."""
    size = stream.size
    while index < size:
        character = stream.getText(index, index)
        if not character.isspace():
            return character == "("
        index += 1
    return False


def _declared_name(decl: Any) -> str:
    kids = lower._rule_children(decl)
    names = lower._find_names(kids[0])
    return names[0] if names else kids[0].getText()


def _has_tabular_body(decl: Any, scalars: dict[str, ir.Expr], is_tabular: Any) -> bool:
    """A declaration with scalar parameters only, whose body ends in a table."""
    parameters: list[str] = []
    body = None
    for kid in lower._rule_children(decl)[1:]:
        if lower._cls(kid) == "LetFunctionParameterList":
            for parameter in lower._rule_children(kid):
                if lower._cls(parameter) != "ScalarParameter":
                    return False
                parameters.append(lower._lower_let_parameter(parameter)[0])
        elif lower._cls(kid) == "LetFunctionBody":
            body = kid
    if body is None:
        return False
    final = [k for k in lower._rule_children(body) if lower._cls(k) != "LetFunctionBodyStatement"]
    if len(final) != 1:
        return False
    scope = {**scalars, **{name: ir.ColumnRef(name) for name in parameters}}
    value = lower._unparenthesize(lower._collapse(final[0]))
    if lower._cls(value) in lower._NAME_KINDS:
        return False  # a bare name in a body is a parameter or a local, not a table
    return bool(is_tabular(value, scope)) or _called_name(value) == TABLE_FUNCTION


def _called_name(node: Any) -> str | None:
    """The name a `name(...)` call node calls, None for any other node."""
    if lower._cls(node) != _CALL:
        return None
    kids = lower._rule_children(node)
    found = lower._find_names(kids[0]) if kids else []
    return found[0] if found else None


def _tabular_function(name: str | None) -> TabularLetFunction | None:
    declared = lower._LET_FUNCTIONS_STATE.get().get(name or "")
    return declared if isinstance(declared, TabularLetFunction) else None


def _table_source(node: Any) -> ir.Source:
    """`table(name)`: the table a constant name, or a scalar in scope holding one, names."""
    arguments = lower._rule_children(node)[1:]
    scope = lower._FN_STATE.get()
    value = (
        lower._substitute(lower._lower_expr(arguments[0]), scope.scalars if scope else {})
        if len(arguments) == 1
        else None
    )
    if not isinstance(value, ir.Literal) or value.kind != "string":
        raise KqlUnsupportedError(
            "function:table", hint="table() takes one constant table name (a string)"
        )
    return ir.TableRef(str(value.value))
