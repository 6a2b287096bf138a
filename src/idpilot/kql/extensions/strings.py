"""Text functions and operators over any value: `replace_strings`, and `has`/`contains` on arrays.

`replace_strings(text, lookups, rewrites)`: several constant replacements in one call.

Kusto replaces every lookup with the rewrite at the same position in one pass. With constant
lookups no one of which occurs inside another lookup or inside any rewrite, replacing them one
after the other gives the same text, so that is what is rendered (nested `replace`); lookups
that could interact, or arrays that are not constant, are refused rather than guessed.

The term and substring operators (`has`, `contains`, `hasprefix`, `startswith`, ... with their
negations and case-sensitive forms) match the text of their left operand in Kusto, a dynamic
array included (`make_list(x) !has "MFA"`). duckdb-kql's rows for them take a text column only
and DuckDB refused a list; here they read the left operand as text (a list as `[a, b]`): in
their rows of its operator table, and in `translate.term_match_sql`, the one helper its folded
`has` and `has_any`/`has_all` renderings build their term match with.
"""

from __future__ import annotations

import json
from typing import Any

from duckdb_kql import KqlUnsupportedError, ir, translate
from duckdb_kql.translate import _SPECIAL_FORMS, quote_string, render_expr
from duckdb_kql.translate.functions import (
    BINARY_OPERATORS,
    SCALAR_FUNCTIONS,
    BinarySpec,
    FunctionSpec,
)

_ARITY = 3
_TEXT_OPERATORS = ("has", "contains", "startswith", "endswith")
_LEFT = "{0}"
_LEFT_AS_TEXT = "CAST({0} AS VARCHAR)"


def register() -> None:
    """Add `replace_strings` to duckdb-kql's registry and special forms."""
    SCALAR_FUNCTIONS["replace_strings"] = FunctionSpec(
        "replace_strings", "template", "", (_ARITY,), note="special"
    )
    _SPECIAL_FORMS["replace_strings"] = render_replace_strings
    for name, spec in list(BINARY_OPERATORS.items()):
        if name.lstrip("!").startswith(_TEXT_OPERATORS) and _LEFT_AS_TEXT not in spec.template:
            template = spec.template.replace(_LEFT, _LEFT_AS_TEXT, 1)
            BINARY_OPERATORS[name] = BinarySpec(
                spec.op, template, spec.rules, spec.note, spec.null_result
            )
    term_match_sql = translate.term_match_sql

    def term_match_over_text(value: str, needle: str, *args: Any, **kwargs: Any) -> str:
        return term_match_sql(_LEFT_AS_TEXT.format(value), needle, *args, **kwargs)

    translate.term_match_sql = term_match_over_text


def render_replace_strings(node: ir.FunctionCall) -> str:
    """The SQL of `replace_strings`: one `replace` per constant lookup, in order."""
    lookups = _constant_strings(node.args[1])
    rewrites = _constant_strings(node.args[2])
    if lookups is None or rewrites is None or len(lookups) != len(rewrites):
        raise KqlUnsupportedError(
            "function:replace_strings",
            hint="the lookups and rewrites must be constant string arrays of one length",
        )
    if _interacting(lookups, rewrites):
        raise KqlUnsupportedError(
            "function:replace_strings",
            hint="a lookup occurs inside another lookup or a rewrite; only independent "
            "replacements are mapped",
        )
    sql = f"CAST({render_expr(node.args[0])} AS VARCHAR)"
    for lookup, rewrite in zip(lookups, rewrites, strict=True):
        if lookup:
            sql = f"replace({sql}, {quote_string(lookup)}, {quote_string(rewrite)})"
    return sql


def _constant_strings(node: ir.Expr) -> list[str] | None:
    """The strings of a constant `dynamic([...])` array, None for anything else."""
    if not isinstance(node, ir.Literal) or node.kind != "dynamic":
        return None
    try:
        value = json.loads(str(node.value))
    except ValueError:
        return None
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        return None
    return value


def _interacting(lookups: list[str], rewrites: list[str]) -> bool:
    """Whether one replacement could create or consume another's match."""
    for index, lookup in enumerate(lookups):
        others = [text for position, text in enumerate(lookups) if position != index]
        if lookup and any(lookup in text for text in [*others, *rewrites]):
            return True
    return False
