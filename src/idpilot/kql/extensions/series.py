"""The `series_*` functions hunting queries apply to `make-series` arrays.

Each takes a numeric array (a list from `make-series` or `make_list`, or a dynamic array) and is
rendered as list arithmetic over it, read once through a one-element `list_transform`:

- `series_fill_const(s, c [, missing])`: missing values (null, or `missing`) replaced by `c`.
- `series_fill_forward(s [, missing])` / `series_fill_backward(...)`: a missing value takes the
  nearest present value before (after) it; leading (trailing) ones stay missing.
- `series_fill_linear(s [, missing [, fill_edges [, constant]]])`: missing values interpolated
  between their present neighbours; at the edges the nearest present value (`fill_edges`, the
  default) or `constant`.
- `series_stats_dynamic(s)`: a bag of `min`, `min_idx`, `max`, `max_idx`, `avg`, `stdev`,
  `variance` (sample), nulls ignored.
- `series_stats(s)`, `series_fit_line(s)`, `series_decompose(s)`, `series_decompose_anomalies`:
  several results, read by `extend (a, b, ...) = f(s)` or `extend f(s)` (see `tuples`).
- `series_outliers(s [, kind])`: Tukey's score of each point: 0 inside the
  10th-90th percentile range (25th-75th for `"tukey"`), else its distance past the nearer
  bound in units of that range.
- `series_decompose(s [, seasonality [, trend]])`: baseline, seasonal, trend and residual; the
  trend is `avg` (the default), `linefit` (a least-squares line) or `none` (0).
- `series_decompose_anomalies(s [, threshold [, seasonality [, trend]]])`: the baseline is that
  trend, the residual is scored by `series_outliers`, and a score past `threshold` (1.5) flags
  +1 or -1. Seasonality is not decomposed: `-1` (autodetect) and `0` both mean none here (the
  seasonal part is 0), a positive period is refused.
Percentiles are interpolated (DuckDB's `quantile_cont`).
"""

from __future__ import annotations

from duckdb_kql import ir
from duckdb_kql.translate import _SPECIAL_FORMS, constant_string, render_expr
from duckdb_kql.translate.functions import SCALAR_FUNCTIONS, FunctionSpec

from idpilot.kql.extensions._hooks import PartlySupported

# The fields of each function that returns several results, in Kusto's order.
TUPLE_FIELDS: dict[str, tuple[str, ...]] = {
    "series_stats": ("min", "min_idx", "max", "max_idx", "avg", "stdev", "variance"),
    "series_fit_line": ("rsquare", "slope", "variance", "rvariance", "interception", "line_fit"),
    "series_decompose": ("baseline", "seasonal", "trend", "residual"),
    "series_decompose_anomalies": ("ad_flag", "ad_score", "baseline"),
}
_DEFAULT_THRESHOLD = "1.5"
_RANGES = {"ctukey": (0.1, 0.9), "tukey": (0.25, 0.75)}
_ARITIES = {
    "series_fill_const": (2, 3),
    "series_fill_forward": (1, 2),
    "series_fill_backward": (1, 2),
    "series_fill_linear": (1, 2, 3, 4),
    "series_stats_dynamic": (1, 2),
    "series_stats": (1, 2),
    "series_fit_line": (1,),
    "series_outliers": (1, 2),
    "series_decompose": (1, 2, 3, 4, 5),
    "series_decompose_anomalies": (1, 2, 3, 4, 5, 6, 7),
}


def register() -> None:
    """Add the series functions to duckdb-kql's registry and special forms."""
    for name, arities in _ARITIES.items():
        SCALAR_FUNCTIONS[name] = FunctionSpec(name, "template", "", arities, note="special")
    _SPECIAL_FORMS.update(
        {
            "series_fill_const": _fill_const,
            "series_fill_forward": _fill_forward,
            "series_fill_backward": _fill_backward,
            "series_fill_linear": _fill_linear,
            "series_stats_dynamic": _stats_dynamic,
            "series_stats": _stats,
            "series_fit_line": _fit_line,
            "series_outliers": _outliers,
            "series_decompose": _decompose,
            "series_decompose_anomalies": _decompose_anomalies,
        }
    )


def _over(series: ir.Expr, body: str) -> str:
    """`body` with `_s` bound to the series as doubles, the series evaluated once."""
    return f"list_transform([CAST({render_expr(series)} AS DOUBLE[])], lambda _s: {body})[1]"


def _present(node: ir.FunctionCall, index: int, value: str) -> str:
    """Whether `value` is present: not null, and not the `missing` argument when given."""
    if len(node.args) > index:
        return f"({value} IS NOT NULL AND {value} IS DISTINCT FROM {render_expr(node.args[index])})"
    return f"({value} IS NOT NULL)"


def _fill_const(node: ir.FunctionCall) -> str:
    fill = render_expr(node.args[1])
    present = _present(node, 2, "_v")
    return _over(
        node.args[0], f"list_transform(_s, lambda _v: CASE WHEN {present} THEN _v ELSE {fill} END)"
    )


def _fill_forward(node: ir.FunctionCall) -> str:
    present = _present(node, 1, "_v")
    return _over(
        node.args[0],
        f"list_transform(range(1, len(_s) + 1), lambda _i: "
        f"list_filter(_s[1:_i], lambda _v: {present})[-1])",
    )


def _fill_backward(node: ir.FunctionCall) -> str:
    present = _present(node, 1, "_v")
    return _over(
        node.args[0],
        f"list_transform(range(1, len(_s) + 1), lambda _i: "
        f"list_filter(_s[_i:], lambda _v: {present})[1])",
    )


def _fill_linear(node: ir.FunctionCall) -> str:
    present = _present(node, 1, "_s[_j]")
    edges = render_expr(node.args[2]) if len(node.args) > 2 else "true"
    constant = render_expr(node.args[3]) if len(node.args) > 3 else "NULL"
    before = f"list_filter(range(1, _i + 1), lambda _j: {present})[-1]"
    after = f"list_filter(range(_i, len(_s) + 1), lambda _j: {present})[1]"
    value = (
        "CASE WHEN _p IS NOT NULL AND _q IS NOT NULL THEN "
        "(CASE WHEN _p = _q THEN _s[_p] "
        "ELSE _s[_p] + (_s[_q] - _s[_p]) * (_i - _p) / (_q - _p) END) "
        f"WHEN {edges} THEN coalesce(_s[_p], _s[_q]) ELSE {constant} END"
    )
    return _over(
        node.args[0],
        f"list_transform(range(1, len(_s) + 1), lambda _i: list_transform("
        f"[struct_pack(p := {before}, q := {after})], lambda _pq: list_transform([_pq.p], "
        f"lambda _p: list_transform([_pq.q], lambda _q: {value})[1])[1])[1])",
    )


def _stats_fields() -> dict[str, str]:
    return {
        "min": "list_aggregate(_s, 'min')",
        "min_idx": "list_position(_s, list_aggregate(_s, 'min')) - 1",
        "max": "list_aggregate(_s, 'max')",
        "max_idx": "list_position(_s, list_aggregate(_s, 'max')) - 1",
        "avg": "list_aggregate(_s, 'avg')",
        "stdev": "list_aggregate(_s, 'stddev_samp')",
        "variance": "list_aggregate(_s, 'var_samp')",
    }


def _struct(fields: dict[str, str]) -> str:
    return "struct_pack(" + ", ".join(f"{name} := {sql}" for name, sql in fields.items()) + ")"


def _stats_dynamic(node: ir.FunctionCall) -> str:
    return f"CAST(to_json({_over(node.args[0], _struct(_stats_fields()))}) AS JSON)"


def _stats(node: ir.FunctionCall) -> str:
    return _over(node.args[0], _struct(_stats_fields()))


def _line(points: str) -> dict[str, str]:
    """Least-squares slope and intercept of `points` over x = 0, 1, ... (as SQL on `_s`)."""
    n = f"len({points})"
    sx = f"({n} * ({n} - 1) / 2.0)"
    sxx = f"(({n} - 1) * {n} * (2 * {n} - 1) / 6.0)"
    sy = f"coalesce(list_sum({points}), 0)"
    sxy = f"coalesce(list_sum(list_transform({points}, lambda _y, _k: _y * (_k - 1))), 0)"
    slope = (
        f"CASE WHEN {n} > 1 THEN ({n} * {sxy} - {sx} * {sy}) / ({n} * {sxx} - {sx} * {sx}) "
        "ELSE 0 END"
    )
    interception = f"CASE WHEN {n} > 0 THEN ({sy} - ({slope}) * {sx}) / {n} END"
    return {
        "slope": slope,
        "interception": interception,
        "line_fit": f"list_transform(_s, lambda _y, _k: ({interception}) + ({slope}) * (_k - 1))",
    }


def _fit_line(node: ir.FunctionCall) -> str:
    line = _line("_s")
    fit = line["line_fit"]
    residual = f"list_transform(_s, lambda _y, _k: _y - ({fit})[_k])"
    variance = "list_aggregate(_s, 'var_samp')"
    rvariance = f"list_aggregate({residual}, 'var_samp')"
    fields = {
        "rsquare": f"1 - {rvariance} / NULLIF({variance}, 0)",
        "slope": line["slope"],
        "variance": variance,
        "rvariance": rvariance,
        "interception": line["interception"],
        "line_fit": fit,
    }
    return _over(node.args[0], _struct(fields))


def _scores(values: str, kind: str) -> str:
    """Tukey's score of each of `values` against its own percentile range."""
    low_q, high_q = _RANGES[kind]
    low = f"list_aggregate({values}, 'quantile_cont', {low_q})"
    high = f"list_aggregate({values}, 'quantile_cont', {high_q})"
    return (
        f"list_transform([struct_pack(lo := {low}, hi := {high})], lambda _r: list_transform("
        f"{values}, lambda _v: CASE WHEN _v IS NULL OR _r.hi = _r.lo THEN 0.0 "
        "WHEN _v > _r.hi THEN (_v - _r.hi) / (_r.hi - _r.lo) "
        "WHEN _v < _r.lo THEN (_v - _r.lo) / (_r.hi - _r.lo) ELSE 0.0 END))[1]"
    )


def _kind(node: ir.FunctionCall, index: int) -> str:
    if len(node.args) <= index:
        return "ctukey"
    kind = constant_string(node.args[index])
    if kind not in _RANGES:
        raise PartlySupported(
            f"function:{node.name}", hint='the method must be a constant "ctukey" or "tukey"'
        )
    return kind


def _outliers(node: ir.FunctionCall) -> str:
    return _over(node.args[0], _scores("_s", _kind(node, 1)))


def _trend(node: ir.FunctionCall, season_at: int, trend_at: int) -> str:
    """The baseline of a decomposition (SQL on `_s`): its trend, as no seasonality is taken."""
    if len(node.args) > season_at:
        season = node.args[season_at]
        if not (
            isinstance(season, ir.Literal) and isinstance(season.value, int) and season.value <= 0
        ):
            raise PartlySupported(
                f"function:{node.name}",
                hint="seasonality must be -1 or 0 here (no seasonal decomposition locally)",
            )
    trend = constant_string(node.args[trend_at]) if len(node.args) > trend_at else "avg"
    if trend == "avg":
        return "list_transform(_s, lambda _y: list_aggregate(_s, 'avg'))"
    if trend == "linefit":
        return _line("_s")["line_fit"]
    if trend == "none":
        return "list_transform(_s, lambda _y: 0.0)"
    raise PartlySupported(f"function:{node.name}", hint="trend must be 'avg', 'linefit' or 'none'")


def _decompose(node: ir.FunctionCall) -> str:
    body = (
        f"list_transform([{_trend(node, 1, 2)}], lambda _b: struct_pack(baseline := _b, "
        "seasonal := list_transform(_s, lambda _y: 0.0), trend := _b, "
        "residual := list_transform(_s, lambda _y, _k: _y - _b[_k])))[1]"
    )
    return _over(node.args[0], body)


def _decompose_anomalies(node: ir.FunctionCall) -> str:
    threshold = render_expr(node.args[1]) if len(node.args) > 1 else _DEFAULT_THRESHOLD
    baseline = _trend(node, 2, 3)
    kind = _kind(node, 5)
    residual = "list_transform(_s, lambda _y, _k: _y - _b[_k])"
    flags = (
        f"list_transform(_z, lambda _x: CASE WHEN _x > {threshold} THEN 1 "
        f"WHEN _x < -({threshold}) THEN -1 ELSE 0 END)"
    )
    body = (
        f"list_transform([{baseline}], lambda _b: list_transform([{_scores(residual, kind)}], "
        f"lambda _z: struct_pack(ad_flag := {flags}, ad_score := _z, baseline := _b))[1])[1]"
    )
    return _over(node.args[0], body)
