"""Upstream-ready extensions to duckdb-kql: the KQL constructs Sentinel content uses that it lacks.

duckdb-kql keeps its coverage as data (`translate.functions.SCALAR_FUNCTIONS`,
`AGGREGATE_FUNCTIONS`, the `_SPECIAL_FORMS` renderers it grows with `.update(...)` itself) and
lowers operators in one dispatch (`lower._lower_operator`) rendered by another
(`translate.render_operator`), whose output columns `schema._operator_columns_unchecked` tracks.
Each module here adds to those same tables and wraps those same three dispatch points, nothing
else: no query text is ever rewritten. The modules are written to be offered upstream as they
stand (one construct family each, each with the Kusto behaviour it reproduces in its docstring).

`install()` applies them once per process; `idpilot.kql.adapter` calls it before translating.
"""

from __future__ import annotations

from idpilot.kql.extensions import (
    aggregates,
    case_names,
    comparisons,
    discovery,
    dynamic_arithmetic,
    geo,
    make_series,
    mv_apply,
    mv_expand,
    named_arguments,
    operators,
    paths,
    plugins,
    scalars,
    series,
    sets,
    strings,
    tabular_functions,
    top_nested,
    trailing_comma,
    tuples,
    union_types,
)

_installed = False


def install() -> None:
    """Register every extension with duckdb-kql (idempotent)."""
    global _installed
    if _installed:
        return
    comparisons.register()
    scalars.register()
    strings.register()
    sets.register()
    geo.register()
    aggregates.register()
    mv_expand.register()
    named_arguments.register()
    paths.register()
    operators.register()
    mv_apply.register()
    tabular_functions.register()
    trailing_comma.register()
    make_series.register()
    series.register()
    tuples.register()
    top_nested.register()
    plugins.register()
    discovery.register()
    union_types.register()
    case_names.register()
    dynamic_arithmetic.register()
    _installed = True
