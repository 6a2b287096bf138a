"""`union` of legs whose columns share a name but not a type: one column per name and type.

Kusto's outer union (the default) has every column of every leg, one for each name *and type*:
a column that is `dynamic` in one leg and `string` in another comes out as two columns, the name
suffixed with `_` and the type (`LocationDetails_dynamic`, `LocationDetails_string`), each null
in the rows of the legs that do not have it (the union operator's documentation, `kind`). This is
why Sentinel content reads `LocationDetails_dynamic` after `union SigninLogs,
AADNonInteractiveUserSignInLogs`: the first publishes it as `dynamic`, the second as `string`.
An inner union keeps the columns, name and type, that every leg has.

duckdb-kql matches legs by name alone (`UNION ALL BY NAME`), which casts both to one type. The
legs' types are not in its schema, so they are read from DuckDB's binder before rendering
(`discovery.Prober`: each leg run with no rows); a union whose shared columns agree on their
types is left to duckdb-kql unchanged.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from duckdb_kql import ir, schema, translate
from duckdb_kql.types import kusto_type

from idpilot.kql.extensions import discovery

# Per leg, in the order duckdb-kql renders its arms: (column name, Kusto type) pairs.
LegTypes = tuple[tuple[tuple[str, str], ...], ...]

_wrapped = False


@dataclass(frozen=True)
class TypedUnion(ir.Union):
    """A `union` with each leg's column types, read before rendering."""

    legs: LegTypes = ()


def register() -> None:
    """Type unions before rendering, and name and render their columns by type."""
    global _wrapped
    if _wrapped:
        return
    discovery.add_typer(_typed)
    original_columns = schema.union_output_columns
    original_render = translate.render_union

    def union_output_columns(op: ir.Union, left: list[str], known: object) -> list[str]:
        if isinstance(op, TypedUnion):
            return typed_columns(op)
        return original_columns(op, left, known)

    def render_union(
        op: ir.Union, prev: str, left_cols: list[str], query: ir.Query, known: object, leading: bool
    ) -> str:
        if isinstance(op, TypedUnion):
            return _render(op, prev, query, known, leading)
        return original_render(op, prev, left_cols, query, known, leading)

    schema.union_output_columns = union_output_columns
    translate.render_union = render_union
    _wrapped = True


def typed_columns(op: TypedUnion) -> list[str]:
    """The union's columns: a name with several types once per type, as `name_type`."""
    types = _types_by_name(op.legs)
    if op.kind == "inner":
        common = set(op.legs[0]).intersection(*(set(leg) for leg in op.legs[1:]))
        columns = [name for name, kind in op.legs[0] if (name, kind) in common]
    else:
        columns = []
        for name, kinds in types.items():
            columns += [name] if len(kinds) == 1 else [f"{name}_{kind}" for kind in kinds]
    return ([op.with_source] if op.with_source else []) + columns


def _types_by_name(legs: LegTypes) -> dict[str, list[str]]:
    """Each column name with its types, in the order the legs first show them."""
    types: dict[str, list[str]] = {}
    for leg in legs:
        for name, kind in leg:
            kinds = types.setdefault(name, [])
            if kind not in kinds:
                kinds.append(kind)
    return types


def _typed(op: ir.Operator, prober: discovery.Prober) -> ir.Operator:
    """A union with its legs' types when a shared column's types differ, else `op` itself."""
    if not isinstance(op, ir.Union) or isinstance(op, TypedUnion):
        return op
    legs = tuple(
        tuple((name, kusto_type(kind)) for name, kind in prober.columns(leg))
        for leg in _leg_queries(op, prober)
    )
    if all(len(kinds) == 1 for kinds in _types_by_name(legs).values()):
        return op
    fields = {field.name: getattr(op, field.name) for field in dataclasses.fields(op)}
    return TypedUnion(**fields, legs=legs)


def _leg_queries(op: ir.Union, prober: discovery.Prober) -> list[ir.Query]:
    """One query per arm duckdb-kql renders: the input, then each branch that resolves; a
    bare wildcard (`Signin*`) is one arm per table it matches."""
    before = prober.before
    known = prober.schema
    legs = (
        _tables(before.source, known)
        if not before.operators and isinstance(before.source, ir.WildcardTableRef)
        else [before]
    )
    for branch in schema.surviving_branches(op, known):
        if not branch.operators and isinstance(branch.source, ir.WildcardTableRef):
            legs += _tables(branch.source, known)
        else:
            legs.append(prober.in_scope(branch))
    return legs


def _tables(source: ir.WildcardTableRef, known: object) -> list[ir.Query]:
    """A query per table a wildcard matches, in duckdb-kql's order."""
    names = schema.match_wildcard(source, known)  # type: ignore[arg-type]
    return [ir.Query(ir.TableRef(name.rpartition(".")[2], source.database)) for name in names]


def _render(op: TypedUnion, prev: str, query: ir.Query, known: object, leading: bool) -> str:
    """duckdb-kql's union rendering, each arm's retyped columns renamed `name_type` first."""
    let_names = frozenset(name for name, _ in query.lets)
    qualify = translate._union_qualifies(query, op, leading)
    arms = translate._left_arms(op, prev, query, known, leading, let_names, qualify)
    for index, branch in enumerate(schema.surviving_branches(op, known), start=1):  # type: ignore[arg-type]
        arms += translate._branch_arms(branch, index, known, let_names, qualify)
    retyped = {name for name, kinds in _types_by_name(op.legs).items() if len(kinds) > 1}
    quote = translate.quote_ident
    selects = []
    for (sql, label), leg in zip(arms, op.legs, strict=True):
        moved = [(name, kind) for name, kind in leg if name in retyped]
        projection = "*"
        if moved:
            excluded = ", ".join(quote(name) for name, _ in moved)
            renamed = ", ".join(
                f"{quote(name)} AS {quote(f'{name}_{kind}')}" for name, kind in moved
            )
            projection = f"* EXCLUDE ({excluded}), {renamed}"
        if op.with_source:
            projection = f"{translate.quote_string(label)} AS {quote(op.with_source)}, {projection}"
        selects.append(f"SELECT {projection} FROM ({sql})")
    body = "\nUNION ALL BY NAME ".join(selects)
    keep = ", ".join(quote(column) for column in typed_columns(op))
    return f"SELECT {keep} FROM ({body})"
