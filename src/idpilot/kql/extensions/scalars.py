"""Scalar functions Sentinel content calls that duckdb-kql 1.1 does not map.

Each is a row of duckdb-kql's own registry (`SCALAR_FUNCTIONS`) or a renderer of its special
forms (`_SPECIAL_FORMS`, which it extends the same way), so the translator reaches them exactly
as it reaches its built-ins:

- `bag_keys(bag)`: the keys of a property bag as a dynamic array (null for a non-bag).
- `ipv4_is_private(ip)`: true inside 10/8, 172.16/12 or 192.168/16; null for text that is not an
  address (built on duckdb-kql's `parse_ipv4`, so a CIDR suffix masks the address as there).
- `ipv4_is_in_range(ip, range)`: whether `ip` lies in `range` ("a.b.c.d/n", or one address).
- `row_number([start])`, `prev(x [, offset [, default]])`, `next(...)`: window functions over
  the rows in the order they arrive, which is what Kusto's serialized row set means.
- `split(text, delimiter, index)`: the one-element array of the index-th part (the two-argument
  form stays duckdb-kql's).
- `format_timespan(ts, format)`: the custom timespan format elements (d, h, hh, m, mm, s, ss,
  f..., and quoted or punctuation literals); the format must be a constant.
- `parse_user_agent(ua, families)`: Browser, OperatingSystem and Device families and versions
  read from the user-agent text by the well-known product tokens (see `user_agent`).
"""

from __future__ import annotations

import re

from duckdb_kql import KqlUnsupportedError, ir
from duckdb_kql.translate import _SPECIAL_FORMS, constant_string, quote_string, render_expr
from duckdb_kql.translate.functions import SCALAR_FUNCTIONS, FunctionSpec

from idpilot.kql.extensions.user_agent import render_parse_user_agent

# 10.0.0.0/8, 172.16.0.0/12 and 192.168.0.0/16 as (first, last) numbers.
_PRIVATE_IPV4 = ((167772160, 184549375), (2886729728, 2887778303), (3232235520, 3232301055))
_ALL_IPV4 = 4294967296
_TIMESPAN_ELEMENT = re.compile(r"d+|h+|H+|m+|s+|f+|F+|'[^']*'|\"[^\"]*\"|\\.|.", re.S)
_SECONDS = {"d": 86400, "h": 3600, "H": 3600, "m": 60, "s": 1}
_UNIT_LIMIT = {"d": None, "h": 24, "H": 24, "m": 60, "s": 60}


def register() -> None:
    """Add the scalar rows and special forms to duckdb-kql's registries."""
    SCALAR_FUNCTIONS["bag_keys"] = FunctionSpec(
        "bag_keys",
        "template",
        "(CASE WHEN json_type(TRY_CAST({0} AS JSON)) = 'OBJECT' "
        "THEN to_json(json_keys(TRY_CAST({0} AS JSON))) END)",
        (1,),
        ("R9",),
    )
    for name, arities in (
        ("ipv4_is_private", (1,)),
        ("ipv4_is_in_range", (2,)),
        ("row_number", (0, 1, 2)),
        ("prev", (1, 2, 3)),
        ("next", (1, 2, 3)),
        ("format_timespan", (2,)),
        ("parse_user_agent", (2,)),
        ("split", (2, 3)),
    ):
        kept = SCALAR_FUNCTIONS.get(name)
        SCALAR_FUNCTIONS[name] = (
            FunctionSpec(name, kept.kind, kept.template, arities, kept.rules, kept.note)
            if kept
            else FunctionSpec(name, "template", "", arities, note="special")
        )
    _SPECIAL_FORMS.update(
        {
            "ipv4_is_private": _render_ipv4_is_private,
            "ipv4_is_in_range": _render_ipv4_is_in_range,
            "row_number": _render_row_number,
            "prev": _render_neighbour,
            "next": _render_neighbour,
            "format_timespan": _render_format_timespan,
            "parse_user_agent": render_parse_user_agent,
            "split": _render_split_part,
        }
    )


def _ipv4_number(node: ir.Expr) -> str:
    """duckdb-kql's `parse_ipv4` of `node`: the address as a long, null when not one."""
    return render_expr(ir.FunctionCall("parse_ipv4", (node,)))


def _render_ipv4_is_private(node: ir.FunctionCall) -> str:
    number = _ipv4_number(node.args[0])
    ranges = " OR ".join(f"_ip BETWEEN {low} AND {high}" for low, high in _PRIVATE_IPV4)
    return (
        f"list_transform([{number}], lambda _ip: CASE WHEN _ip IS NOT NULL THEN ({ranges}) END)[1]"
    )


def _render_ipv4_is_in_range(node: ir.FunctionCall) -> str:
    address = _ipv4_number(node.args[0])
    network = _ipv4_number(node.args[1])
    text = render_expr(node.args[1])
    prefix = (
        f"CASE WHEN strpos(trim({text}), '/') > 0 "
        f"THEN TRY_CAST(split_part(trim({text}), '/', 2) AS BIGINT) ELSE 32 END"
    )
    mask = f"({_ALL_IPV4} - (1 << (32 - ({prefix}))))"
    return f"(({address}) & {mask}) = ({network})"


def _render_row_number(node: ir.FunctionCall) -> str:
    if len(node.args) > 1:
        raise KqlUnsupportedError(
            "function:row_number", hint="the restart argument of row_number() is not mapped"
        )
    start = render_expr(node.args[0]) if node.args else "1"
    return f"(row_number() OVER () + ({start}) - 1)"


def _render_neighbour(node: ir.FunctionCall) -> str:
    window = "lag" if node.name.lower() == "prev" else "lead"
    args = [render_expr(arg) for arg in node.args]
    if len(args) == 1:
        args.append("1")
    return f"{window}({', '.join(args)}) OVER ()"


def _render_format_timespan(node: ir.FunctionCall) -> str:
    fmt = constant_string(node.args[1])
    if fmt is None:
        raise KqlUnsupportedError(
            "function:format_timespan", hint="the format must be a constant string"
        )
    seconds = f"epoch({render_expr(node.args[0])})"
    pieces = [_timespan_piece(element, seconds) for element in _TIMESPAN_ELEMENT.findall(fmt)]
    return f"CASE WHEN {seconds} IS NOT NULL THEN concat({', '.join(pieces)}) END"


def _timespan_piece(element: str, seconds: str) -> str:
    """One element of a timespan format as SQL text over the span's seconds."""
    unit = element[0]
    if unit in _SECONDS:
        whole = f"trunc(abs({seconds}) / {_SECONDS[unit]})"
        limit = _UNIT_LIMIT[unit]
        value = (
            f"CAST({whole} AS BIGINT)" if limit is None else f"CAST({whole} AS BIGINT) % {limit}"
        )
        return f"lpad(CAST({value} AS VARCHAR), {len(element)}, '0')"
    if unit in "fF":
        fraction = f"CAST(trunc((abs({seconds}) % 1) * {10 ** len(element)}) AS BIGINT)"
        return f"lpad(CAST({fraction} AS VARCHAR), {len(element)}, '0')"
    if element[0] in "'\"" and len(element) > 1:
        return quote_string(element[1:-1])
    return quote_string(element[-1])


def _render_split_part(node: ir.FunctionCall) -> str | None:
    if len(node.args) != 3:
        return None
    text, delimiter, index = (render_expr(arg) for arg in node.args)
    return f"list_slice(str_split({text}, {delimiter}), ({index}) + 1, ({index}) + 1)"
