"""`mv-apply`: a subquery run on the expanded array(s) of each row, its result joined back.

`T | mv-apply x = arr on (where x.k == 1 | summarize n = count())` answers, for each row of
`T`, the rows the subquery returns over that row's expanded elements, each joined with the
row's own columns. The subquery sees only the expanded columns, as in Kusto.

It is rendered as: number the input rows once (a materialized CTE), expand the targets of
every row with duckdb-kql's own mv-expand, run the subquery's operators over the expansion
with each row kept apart (`summarize` groups by the row number as well, `take` and `top` cut
per row), and join the result back to the numbered rows. A subquery column with the name of
an input column replaces it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from duckdb_kql import KqlUnsupportedError, ir, lower, schema, translate
from duckdb_kql.translate import render_sort_keys

from idpilot.kql.extensions._hooks import add_operator, quote_ident

ROW = "__mvapply_row"
_BASE = "__mvapply_base"
_BODY_CLASSES = ("ContextualSubExpression",)


@dataclass(frozen=True)
class MvApply(ir.Operator):
    """`mv-apply`: the expansion (an optional `extend` and an `mv-expand`) and the subquery."""

    expansion: tuple[ir.Operator, ...]
    body: tuple[ir.Operator, ...]


def register() -> None:
    """Hook mv-apply into duckdb-kql's lowering, rendering and column tracking."""
    add_operator(("MvapplyOperator", "MvApplyOperator"), _lower, {MvApply: (_render, columns)})


def _lower(node: Any, kids: list[Any]) -> ir.Operator:
    bodies = [kid for kid in kids if lower._cls(kid) in _BODY_CLASSES]
    if len(bodies) != 1:
        raise KqlUnsupportedError("operator:mv-apply", span=lower._span(node))
    expansion = lower._lower_mv_expand(node, [kid for kid in kids if kid not in bodies])
    expansion = expansion if isinstance(expansion, list) else [expansion]
    return MvApply(tuple(expansion), tuple(_lower_body(bodies[0])))


def _lower_body(node: Any) -> list[ir.Operator]:
    """The subquery's operators, lowered one by one as a pipeline's are."""
    pipe = lower._rule_children(node)[0]
    operators: list[ir.Operator] = []
    for kid in lower._rule_children(pipe):
        lowered = lower._lower_operator(kid)
        if isinstance(lowered, list):
            operators += lowered
        elif lowered is not None:
            operators.append(lowered)
    return operators


def _expanded_columns(op: MvApply) -> list[str]:
    """The columns the expansion reads: all the subquery sees of each row."""
    expand = op.expansion[-1]
    assert isinstance(expand, ir.MvExpand)
    return list(dict.fromkeys(target.column for target in expand.targets))


def _body_stages(op: MvApply, cols: list[str]) -> list[tuple[ir.Operator, list[str]]]:
    """Each operator of the expansion and the subquery with the columns it reads."""
    stages: list[tuple[ir.Operator, list[str]]] = []
    current = [*cols, ROW]
    for step in op.expansion[:-1]:
        stages.append((step, current))
        current = schema._operator_columns(step, current, None)
    current = [ROW, *_expanded_columns(op)]
    for step in (op.expansion[-1], *op.body):
        step = _per_row(schema.resolve_let_refs(step, current))
        stages.append((step, current))
        current = schema._operator_columns(step, current, None)
    stages.append((ir.Take(0), current))  # carries the subquery's output columns
    return stages


def _per_row(op: ir.Operator) -> ir.Operator:
    """A subquery operator made to keep the rows of `T` apart: it groups by, and keeps, the row."""
    row = ir.NamedExpr(ir.ColumnRef(ROW))
    if isinstance(op, ir.Summarize):
        return dataclasses.replace(op, by=(row, *op.by))
    if isinstance(op, (ir.Project, ir.Distinct)):
        return dataclasses.replace(op, expressions=(row, *op.expressions))
    return op


def columns(op: MvApply, cols: list[str]) -> list[str]:
    """The input's columns, then the subquery's (which replace input columns of their name)."""
    inner = [col for col in _body_stages(op, cols)[-1][1] if col != ROW]
    return [col for col in cols if col not in inner] + inner


def _render(op: MvApply, prev: str, cols: list[str] | None) -> str:
    if cols is None:
        raise KqlUnsupportedError("operator:mv-apply", hint="the input's columns are not known")
    stages = _body_stages(op, cols)
    source = quote_ident(_BASE)
    body = ""
    for index, (step, step_cols) in enumerate(stages[:-1]):
        if index == len(op.expansion) - 1:
            kept = ", ".join(quote_ident(col) for col in step_cols)
            source = f"(SELECT {kept} FROM {source}) AS _mva_in"
        body = _render_step(step, source, step_cols)
        source = f"({body}) AS _mva{index}"
    replaced = [col for col in cols if col in stages[-1][1]]
    outer_excluded = ", ".join(quote_ident(col) for col in [ROW, *replaced])
    row = quote_ident(ROW)
    return (
        f"WITH {quote_ident(_BASE)} AS MATERIALIZED "
        f"(SELECT *, row_number() OVER () AS {row} FROM {prev}) "
        f"SELECT _mva_outer.* EXCLUDE ({outer_excluded}), _mva_result.* EXCLUDE ({row}) "
        f"FROM {quote_ident(_BASE)} AS _mva_outer JOIN ({body}) AS _mva_result USING ({row})"
    )


def _render_step(step: ir.Operator, source: str, cols: list[str]) -> str:
    """One operator over `source`, cutting `take` and `top` per input row."""
    partition = f"PARTITION BY {quote_ident(ROW)}"
    if isinstance(step, ir.Take):
        return f"SELECT * FROM {source} QUALIFY row_number() OVER ({partition}) <= {step.count}"
    if isinstance(step, ir.Top):
        order = render_sort_keys(step.keys)
        return (
            f"SELECT * FROM {source} "
            f"QUALIFY row_number() OVER ({partition} ORDER BY {order}) <= {max(step.count, 0)}"
        )
    if isinstance(step, (ir.Join, ir.Lookup, ir.Union)):
        raise KqlUnsupportedError("operator:mv-apply", hint="a join or union inside mv-apply")
    return translate.render_operator(step, source, cols)
