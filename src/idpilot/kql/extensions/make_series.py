"""`make-series`: one row per group, each aggregate an array over the bins of an axis.

`T | make-series n = count() default = 0, avg(x) on TimeGenerated from S to E step 1d by U`
answers, for each distinct `U` of the input, the array of `count()` (and of `avg(x)`) over the
bins `S, S+1d, ...` below `E`, a bin without rows holding the default (0 unless `default =`
says otherwise), and the array of bin starts under the axis column's name. As in Kusto:

- columns come out as the `by` columns, the aggregates, then the axis;
- rows are binned with `bin_at(axis, step, S)`; rows outside `[S, E)` add nothing, yet their
  group still gets a row (of defaults);
- without `from`, S is the first bin (`bin(axis, step)`) holding data, over the whole input;
  without `to`, E is the end of the last bin from S holding data, so every series has the
  same axis;
- `on axis in range(start, stop, step)` bins with `bin()` and includes `stop`'s bin;
- empty input gives no rows, unless `kind=nonempty` asks for one row of defaults.

Arrays are DuckDB lists, as duckdb-kql's `make_list` returns them, so `mv-expand` and the
`series_*` functions read them directly. The axis is a datetime with a timespan step, or a
number with a numeric step.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from duckdb_kql import ir, lower
from duckdb_kql.translate import _is_timespan_expr, render_expr, render_summarize, summarize_names

from idpilot.kql.extensions._hooks import PartlySupported, add_operator, quote_ident

_KEY = "__ms_k{}"
_X = "__ms_x"
_INDEX = "__ms_i"
_NONEMPTY = "nonempty"
# A bin without rows holds 0 unless `default =` says otherwise.
_ZERO = ir.Literal(0, "long")


@dataclass(frozen=True)
class SeriesAggregate(ir.Node):
    """One aggregate of the series and the value of a bin without rows."""

    aggregate: ir.NamedExpr
    default: ir.Expr = _ZERO


@dataclass(frozen=True)
class MakeSeries(ir.Operator):
    """`make-series`: aggregates per group and bin, as arrays along the axis."""

    aggregates: tuple[SeriesAggregate, ...]
    axis: ir.Expr
    step: ir.Expr
    start: ir.Expr | None = None
    end: ir.Expr | None = None
    by: tuple[ir.NamedExpr, ...] = ()
    nonempty: bool = False
    inclusive_range: bool = False


def register() -> None:
    """Hook make-series into duckdb-kql's lowering, rendering and column tracking."""
    add_operator(("MakeSeriesOperator",), _lower, {MakeSeries: (_render, columns)})


def _lower(node: Any, kids: list[Any]) -> ir.Operator:
    aggregates: list[SeriesAggregate] = []
    fields: dict[str, Any] = {"by": ()}
    called: tuple[str, str] | None = None
    for kid in kids:
        kind = lower._cls(kid)
        if kind == "RelaxedQueryOperatorParameter":
            name, _, value = kid.getText().partition("=")
            if name.strip().lower() == "kind":
                fields["nonempty"] = value.strip().lower() == _NONEMPTY
            elif not name.strip().lower().startswith("hint."):
                called = (name.strip(), value.strip())
        elif kind == "MakeSeriesOperatorAggregation":
            named, *default = lower._rule_children(kid)
            aggregate = _aggregate(named, default)
            if called is not None:
                aggregate = _named_call(called, aggregate)
                called = None
            aggregates.append(aggregate)
        elif kind == "MakeSeriesOperatorOnClause":
            fields["axis"] = lower._lower_expr(lower._rule_children(kid)[-1])
        elif kind == "MakeSeriesOperatorFromToStepClause":
            fields.update(_from_to_step(kid))
        elif kind == "MakeSeriesOperatorInRangeClause":
            start, end, step = (lower._lower_expr(k) for k in lower._rule_children(kid))
            fields.update(start=start, end=end, step=step, inclusive_range=True)
        elif kind == "MakeSeriesOperatorByClause":
            fields["by"] = tuple(lower._lower_named(k) for k in lower._rule_children(kid))
        else:
            aggregates.append(SeriesAggregate(lower._lower_named(kid)))
    if called is not None or not aggregates or "axis" not in fields or "step" not in fields:
        raise PartlySupported("operator:make-series", span=lower._span(node))
    return MakeSeries(tuple(aggregates), **fields)


def _aggregate(named: Any, default: list[Any]) -> SeriesAggregate:
    """An aggregate and its `default = value` clause, if it has one."""
    if not default:
        return SeriesAggregate(lower._lower_named(named))
    value = lower._rule_children(default[0])[-1]
    return SeriesAggregate(lower._lower_named(named), lower._lower_expr(value))


def _named_call(called: tuple[str, str], aggregate: SeriesAggregate) -> SeriesAggregate:
    """`n = sum(x)`, which the grammar reads as a parameter `n=sum` and an aggregate `(x)`."""
    name, function = called
    call = ir.FunctionCall(function, (aggregate.aggregate.expr,))
    return SeriesAggregate(ir.NamedExpr(call, name), aggregate.default)


def _from_to_step(clause: Any) -> dict[str, ir.Expr]:
    """`from a to b step c` (each part but `step` optional), by the keyword before each."""
    found: dict[str, ir.Expr] = {}
    keyword = None
    for child in clause.getChildren():
        text = child.getText().lower()
        if not hasattr(child, "getRuleIndex") and text in ("from", "to", "step"):
            keyword = text
        elif hasattr(child, "getRuleIndex") and keyword is not None:
            found[{"from": "start", "to": "end", "step": "step"}[keyword]] = lower._lower_expr(
                child
            )
    return found


def _names(op: MakeSeries, cols: list[str]) -> tuple[list[str], list[str], str]:
    """The output names: `by` columns, aggregates, then the axis."""
    summarize = ir.Summarize(
        tuple(aggregate.aggregate for aggregate in op.aggregates),
        (*op.by, ir.NamedExpr(op.axis)),
    )
    keys, aggregates = summarize_names(summarize, cols)
    return keys[:-1], [names[0] for names in aggregates], keys[-1]


def columns(op: MakeSeries, cols: list[str]) -> list[str]:
    """The columns after `make-series`."""
    keys, aggregates, axis = _names(op, cols)
    return [*keys, *aggregates, axis]


def _render(op: MakeSeries, prev: str, cols: list[str] | None) -> str:
    keys, aggregates, axis = _names(op, cols or [])
    timed = _is_timespan_expr(op.step)
    step = f"epoch({render_expr(op.step)})" if timed else f"({render_expr(op.step)})"

    def number(expr: ir.Expr) -> str:
        return f"epoch({render_expr(expr)})" if timed else f"({render_expr(expr)})"

    key_refs = [quote_ident(_KEY.format(i)) for i in range(len(op.by))]
    binned = ", ".join(
        ["*", *(f"{render_expr(k.expr)} AS {ref}" for k, ref in zip(op.by, key_refs, strict=True))]
    )
    first_bin = f"(SELECT min(floor({_X} / {step}) * {step}) FROM _ms_rows)"
    # The end of the last bin holding data, on the grid that starts at `_lo`.
    last_end = f"_lo + (floor(((SELECT max({_X}) FROM _ms_rows) - _lo) / {step}) + 1) * {step}"
    if op.inclusive_range and op.start is not None and op.end is not None:
        low = f"floor({number(op.start)} / {step}) * {step}"
        high = f"floor({number(op.end)} / {step}) * {step} + {step}"
    else:
        low = number(op.start) if op.start is not None else first_bin
        high = number(op.end) if op.end is not None else last_end
    cells = render_summarize(
        ir.Summarize(
            tuple(
                ir.NamedExpr(aggregate.aggregate.expr, name)
                for aggregate, name in zip(op.aggregates, aggregates, strict=True)
            ),
            tuple(ir.NamedExpr(ir.ColumnRef(name)) for name in [*_key_names(op), _INDEX]),
        ),
        "_ms_binned",
        [*(cols or []), *_key_names(op), _X, _INDEX],
    )
    maps = ", ".join(
        f"map_from_entries(list(struct_pack(k := {quote_ident(_INDEX)}, v := {quote_ident(name)}))"
        f") AS {quote_ident(f'__ms_m{i}')}"
        for i, name in enumerate(aggregates)
    )
    grouping = f" GROUP BY {', '.join(key_refs)}" if key_refs else ""
    groups = (
        f"SELECT DISTINCT {', '.join(key_refs)} FROM _ms_rows"
        if key_refs
        else "SELECT DISTINCT true AS __ms_any FROM _ms_rows"
    )
    if op.nonempty:
        empty = ", ".join(f"NULL AS {ref}" for ref in key_refs) or "true AS __ms_any"
        groups += f" UNION ALL SELECT {empty} WHERE NOT EXISTS (SELECT 1 FROM _ms_rows)"
    joined = " AND ".join(f"_ms_g.{ref} IS NOT DISTINCT FROM _ms_m.{ref}" for ref in key_refs)
    arrays = [
        f"list_transform(range(_ms_axis.__ms_len), lambda _i: coalesce("
        f"map_extract_value(_ms_m.{quote_ident(f'__ms_m{i}')}, _i), "
        f"{render_expr(aggregate.default)})) AS {quote_ident(name)}"
        for i, (aggregate, name) in enumerate(zip(op.aggregates, aggregates, strict=True))
    ]
    point = "_ms_axis.__ms_lo + _i * _ms_axis.__ms_step"
    point = f"to_timestamp({point}) AT TIME ZONE 'UTC'" if timed else point
    selected = [
        *(f"_ms_g.{ref} AS {quote_ident(name)}" for ref, name in zip(key_refs, keys, strict=True)),
        *arrays,
        f"list_transform(range(_ms_axis.__ms_len), lambda _i: {point}) AS {quote_ident(axis)}",
    ]
    return (
        f"WITH _ms_rows AS MATERIALIZED (SELECT {binned}, {number(op.axis)} AS {_X} FROM {prev}), "
        f"_ms_axis AS (SELECT _lo AS __ms_lo, {step} AS __ms_step, "
        f"CAST(greatest(ceil((_hi - _lo) / {step}), 0) AS BIGINT) AS __ms_len "
        f"FROM (SELECT _lo, {high} AS _hi FROM (SELECT {low} AS _lo))), "
        f"_ms_binned AS (SELECT _ms_rows.*, CAST(floor(({_X} - __ms_lo) / __ms_step) AS BIGINT) "
        f"AS {_INDEX} FROM _ms_rows, _ms_axis WHERE {_X} >= __ms_lo AND {_X} < __ms_lo + "
        f"__ms_len * __ms_step), "
        f"_ms_cells AS ({cells}), "
        f"_ms_m AS (SELECT {', '.join([*key_refs, maps])} FROM _ms_cells{grouping}), "
        f"_ms_g AS ({groups}) "
        f"SELECT {', '.join(selected)} FROM _ms_g CROSS JOIN _ms_axis "
        f"LEFT JOIN _ms_m ON {joined or 'true'}"
    )


def _key_names(op: MakeSeries) -> list[str]:
    return [_KEY.format(i) for i in range(len(op.by))]
