"""Aggregates Sentinel content uses that duckdb-kql 1.1 does not map, as rows of its registry.

- `make_set_if(x, predicate [, max])` / `make_list_if(...)`: `make_set` / `make_list` over the
  rows where the predicate holds, named `set_x` / `list_x` as Kusto names them.
- `take_anyif(x, predicate)` (and its older name `anyif`): any value of `x` from a row where
  the predicate holds.
- `makeset(x)` / `makelist(x)`: `make_set(x)` / `make_list(x)` under their deprecated names.
- `make_bag(bag [, max])` / `make_bag_if(bag, predicate [, max])`: the union of the property
  bags of the group (a key seen twice keeps one of its values); non-bags are ignored, and an
  empty group is `{}`, as in Kusto.
"""

from __future__ import annotations

import dataclasses

from duckdb_kql.translate.functions import AGGREGATE_FUNCTIONS, AggregateSpec

_AS_LIST = (
    "CASE WHEN json_type(TRY_CAST({0} AS JSON)) = 'ARRAY' "
    "THEN CAST(to_json({0}) AS JSON[]) ELSE [to_json({0})] END"
)
_BAG = "TRY_CAST({0} AS JSON)"


def _merged_bags(condition: str) -> str:
    return (
        f"coalesce(list_reduce(list({_BAG}) FILTER (WHERE json_type({_BAG}) = 'OBJECT'"
        f"{condition}), lambda _a, _b: json_merge_patch(_a, _b)), CAST('{{{{}}}}' AS JSON))"
    )


def register() -> None:
    """Add the aggregate rows to duckdb-kql's registry."""
    rows = [
        AggregateSpec(
            "make_set_if",
            "to_json(coalesce(list_distinct(flatten(list("
            + _AS_LIST
            + ") FILTER (WHERE {0} IS NOT NULL AND ({1})))), []))",
            (2, 3),
            name_prefix="set",
            rules=("R4", "R9"),
        ),
        AggregateSpec(
            "make_list_if",
            "coalesce(list({0}) FILTER (WHERE {0} IS NOT NULL AND ({1})), [])",
            (2, 3),
            name_prefix="list",
            rules=("R4",),
        ),
        AggregateSpec(
            "take_anyif", "any_value({0}) FILTER (WHERE {1})", (2,), name_is_argument=True
        ),
        AggregateSpec("anyif", "any_value({0}) FILTER (WHERE {1})", (2,)),
        AggregateSpec("make_bag", _merged_bags(""), (1, 2), name_prefix="bag", rules=("R9",)),
        AggregateSpec(
            "make_bag_if", _merged_bags(" AND ({1})"), (2, 3), name_prefix="bag", rules=("R9",)
        ),
    ]
    for row in rows:
        AGGREGATE_FUNCTIONS[row.name] = row
    for old, current in (("makeset", "make_set"), ("makelist", "make_list")):
        AGGREGATE_FUNCTIONS[old] = dataclasses.replace(AGGREGATE_FUNCTIONS[current], name=old)
