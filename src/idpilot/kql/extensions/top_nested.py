"""`top-nested`: hierarchical top-N, one key and one aggregate column per level.

`T | top-nested 3 of UserPrincipalName by n = count(), top-nested 2 of IPAddress by count()`
keeps the 3 users with most rows, and for each of them its 2 addresses with most rows; each
row of the result holds a user, its count, an address and that address's count
(`aggregated_IPAddress`, the name Kusto gives an unnamed aggregate). As in Kusto:

- a level without `N` keeps every value; `asc` keeps the smallest aggregates (`desc` is the
  default); ties at the cut are broken by the key, so the answer is the same on every run;
- `with others = V` adds, under each kept parent, one row whose key is `V` and whose aggregate
  covers the rows that did not make the cut; the levels below such a row are null;
- the key may be any expression (`of bin(TimeGenerated, 1d)`), named with `Name = Expr`.

It is rendered as one SELECT: the keys computed once (a materialized CTE), each level's groups
aggregated over the rows of the parents kept above it, cut with a window per parent, and the
levels joined back on the keys (`IS NOT DISTINCT FROM`, so a null key is a value as in Kusto).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from duckdb_kql import ir, lower
from duckdb_kql.translate import render_expr, render_summarize, summarize_names

from idpilot.kql.extensions._hooks import PartlySupported, add_operator, quote_ident

_KEY = "__tn_k{}"
_AGGREGATE = "__tn_a{}"
_ROWS = "_tn_rows"


@dataclass(frozen=True)
class NestedLevel(ir.Node):
    """One `top-nested [N] of key [with others = V] by aggregate [asc|desc]` clause."""

    key: ir.NamedExpr
    aggregate: ir.NamedExpr
    count: ir.Expr | None = None
    others: ir.Expr | None = None
    ascending: bool = False


@dataclass(frozen=True)
class TopNested(ir.Operator):
    """`top-nested`: its clauses, outermost first."""

    levels: tuple[NestedLevel, ...]


def register() -> None:
    """Hook top-nested into duckdb-kql's lowering, rendering and column tracking."""
    add_operator(
        ("TopNestedOperator", "TopNestedOperatorPart"), _lower, {TopNested: (_render, columns)}
    )


def _lower(node: Any, kids: list[Any]) -> ir.Operator:
    parts = [node] if lower._cls(node) == "TopNestedOperatorPart" else kids
    return TopNested(tuple(_lower_level(part) for part in parts))


def _lower_level(part: Any) -> NestedLevel:
    """One clause, its parts told apart by the keyword before each."""
    found: dict[str, Any] = {}
    keyword = "top-nested"
    for child in part.getChildren():
        if not hasattr(child, "getRuleIndex"):
            keyword = child.getText().lower()
        elif lower._cls(child) == "TopNestedOperatorWithOthersClause":
            found["others"] = lower._lower_expr(lower._rule_children(child)[-1])
        else:
            found[keyword] = child
    if "of" not in found or "by" not in found:
        raise PartlySupported("operator:top-nested", span=lower._span(part))
    count = lower._lower_expr(found["top-nested"]) if "top-nested" in found else None
    ordered = lower._rule_children(found["by"])
    direction = ordered[-1].getText().lower() if len(ordered) > 1 else ""
    return NestedLevel(
        key=lower._lower_named(found["of"]),
        aggregate=lower._lower_named(ordered[0]),
        count=count,
        others=found.get("others"),
        ascending=direction.startswith("asc"),
    )


def _names(op: TopNested, cols: list[str]) -> list[tuple[str, str]]:
    """Each level's key and aggregate column names."""
    keys, _ = summarize_names(ir.Summarize((), tuple(level.key for level in op.levels)), cols)
    return [
        (key, level.aggregate.name or f"aggregated_{key}")
        for key, level in zip(keys, op.levels, strict=True)
    ]


def columns(op: TopNested, cols: list[str]) -> list[str]:
    """The columns after `top-nested`: key and aggregate of each level."""
    return [name for pair in _names(op, cols) for name in pair]


def _same(left: str, right: str, count: int) -> str:
    """The first `count` keys of `left` and `right` equal (null equal to null)."""
    keys = [quote_ident(_KEY.format(i)) for i in range(count)]
    return " AND ".join(f"{left}.{k} IS NOT DISTINCT FROM {right}.{k}" for k in keys) or "true"


def _render(op: TopNested, prev: str, cols: list[str] | None) -> str:
    keys = [
        f"{render_expr(level.key.expr)} AS {quote_ident(_KEY.format(i))}"
        for i, level in enumerate(op.levels)
    ]
    ctes = [f"{_ROWS} AS MATERIALIZED (SELECT *, {', '.join(keys)} FROM {prev})"]
    known = [*(cols or []), *(_KEY.format(i) for i in range(len(op.levels)))]
    for depth, level in enumerate(op.levels):
        rows = _ROWS
        if depth:
            rows = (
                f"(SELECT _r.* FROM {_ROWS} AS _r SEMI JOIN _tn_l{depth - 1} AS _p "
                f"ON {_same('_r', '_p', depth)})"
            )
        ctes.append(f"_tn_rows{depth} AS ({_level_rows(level, depth, rows, known)})")
        ctes.append(f"_tn_c{depth} AS ({_level_cut(level, depth)})")
        parent = f"_tn_l{depth - 1}" if depth else None
        ctes.append(f"_tn_l{depth} AS ({_level_join(depth, parent)})")
    last = len(op.levels) - 1
    selected = ", ".join(
        f"{quote_ident(_KEY.format(i))} AS {quote_ident(key)}, "
        f"{quote_ident(_AGGREGATE.format(i))} AS {quote_ident(aggregate)}"
        for i, (key, aggregate) in enumerate(_names(op, cols or []))
    )
    return f"WITH {', '.join(ctes)} SELECT {selected} FROM _tn_l{last}"


def _level_rows(level: NestedLevel, depth: int, rows: str, known: list[str]) -> str:
    """The level's groups (keys down to this level) with their aggregate and rank."""
    summarize = ir.Summarize(
        (ir.NamedExpr(level.aggregate.expr, _AGGREGATE.format(depth)),),
        tuple(ir.NamedExpr(ir.ColumnRef(_KEY.format(i))) for i in range(depth + 1)),
    )
    parents = ", ".join(quote_ident(_KEY.format(i)) for i in range(depth))
    order = "ASC" if level.ascending else "DESC"
    aggregate = quote_ident(_AGGREGATE.format(depth))
    return (
        f"SELECT *, row_number() OVER ({f'PARTITION BY {parents} ' if parents else ''}"
        f"ORDER BY {aggregate} {order} NULLS LAST, {quote_ident(_KEY.format(depth))}) AS __tn_rank "
        f"FROM ({render_summarize(summarize, rows, known)}) AS _tn_g{depth}"
    )


def _count(level: NestedLevel) -> int | None:
    """The level's N, a constant (or a `let` holding one) by the time it is rendered."""
    value = level.count.value if isinstance(level.count, ir.LetRef) else level.count
    if value is None:
        return None
    if not isinstance(value, ir.Literal) or not isinstance(value.value, int):
        raise PartlySupported("operator:top-nested", hint="N must be a constant")
    return max(int(value.value), 0)


def _level_cut(level: NestedLevel, depth: int) -> str:
    """The kept groups, and with `with others` one more row per parent for the rest."""
    names = [quote_ident(_KEY.format(i)) for i in range(depth + 1)]
    aggregate = quote_ident(_AGGREGATE.format(depth))
    kept = f"SELECT {', '.join(names)}, {aggregate} FROM _tn_rows{depth}"
    count = _count(level)
    if count is None:
        return kept
    cut = f"{kept} WHERE __tn_rank <= {count}"
    if level.others is None:
        return cut
    parents = names[:-1]
    grouping = f" GROUP BY {', '.join(parents)}" if parents else ""
    others = (
        f"SELECT {', '.join([*parents, f'{render_expr(level.others)} AS {names[-1]}'])}, "
        f"{_rest_aggregate(level, aggregate)} AS {aggregate} FROM _tn_rows{depth} "
        f"WHERE __tn_rank > {count}{grouping} HAVING count(*) > 0"
    )
    return f"{cut} UNION ALL BY NAME ({others})"


def _rest_aggregate(level: NestedLevel, column: str) -> str:
    """The aggregate of the rows past the cut, combined from their groups' aggregates."""
    expr = level.aggregate.expr
    name = expr.name.lower() if isinstance(expr, ir.FunctionCall) else ""
    combine = {"count": "sum", "sum": "sum", "min": "min", "max": "max"}.get(name)
    if combine is None:
        raise PartlySupported(
            "operator:top-nested",
            hint="with others is supported for count(), sum(), min() and max() here",
        )
    combined = f"{combine}({column})"
    return f"CAST({combined} AS BIGINT)" if name == "count" else combined


def _level_join(depth: int, parent: str | None) -> str:
    """The level's rows with the columns of the levels above."""
    names = [quote_ident(_KEY.format(depth)), quote_ident(_AGGREGATE.format(depth))]
    if parent is None:
        return f"SELECT * FROM _tn_c{depth}"
    return (
        f"SELECT _p.*, {', '.join(f'_c.{name}' for name in names)} FROM {parent} AS _p "
        f"LEFT JOIN _tn_c{depth} AS _c ON {_same('_p', '_c', depth)}"
    )
