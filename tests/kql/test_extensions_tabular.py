"""Tabular `let` functions, `table()`, sets, text operators over arrays and runtime keys."""

from __future__ import annotations

import pytest

from idpilot.kql.adapter import run_kql
from idpilot.kql.errors import KqlQueryError
from idpilot.store import Store


def _count(store: Store, query: str) -> int:
    return run_kql(store, query).rows[0][0]


def test_table_names_a_table_by_a_string_or_a_scalar_let(store: Store) -> None:
    sign_ins = _count(store, "SigninLogs | count")
    assert _count(store, 'table("SigninLogs") | count') == sign_ins
    assert _count(store, 'let t = "SigninLogs"; table(t) | count') == sign_ins
    with pytest.raises(KqlQueryError):
        run_kql(store, "table(tostring(now())) | count")


def test_a_tabular_let_function_expands_at_each_call(store: Store) -> None:
    query = (
        "let aadFunc = (tableName:string, result:string) {"
        " table(tableName) | where ResultType == result };"
        ' let a = aadFunc("SigninLogs", "0");'
        ' let b = aadFunc("AADNonInteractiveUserSignInLogs", "0");'
        " union a, b | count"
    )
    expected = _count(
        store,
        'union SigninLogs, AADNonInteractiveUserSignInLogs | where ResultType == "0" | count',
    )
    assert expected > 0
    assert _count(store, query) == expected


def test_a_tabular_let_function_called_as_the_query(store: Store) -> None:
    query = (
        "let Risky = (UPN:string) { AADRiskyUsers | where UserPrincipalName =~ UPN"
        " | project UserPrincipalName };"
        ' Risky("NOBODY@example.com")'
    )
    assert run_kql(store, query).rows == []
    first = run_kql(store, "AADRiskyUsers | take 1 | project UserPrincipalName").rows[0][0]
    found = run_kql(store, query.replace("NOBODY@example.com", first.upper()))
    assert {row[0] for row in found.rows} == {first}


def test_replace_strings_replaces_each_constant_lookup(store: Store) -> None:
    query = "print s = replace_strings('+1 (555) 010', dynamic([' ','(',')']), dynamic(['','','']))"
    assert run_kql(store, query).rows == [("+1555010",)]
    with pytest.raises(KqlQueryError):
        run_kql(store, "print s = replace_strings('ab', dynamic(['a','ab']), dynamic(['x','y']))")


def test_has_and_contains_read_an_array_as_its_text(store: Store) -> None:
    query = (
        "print l = pack_array('MFA successfully completed', 'other')"
        " | extend h = l has 'MFA', n = l !has 'MFA', c = l contains 'success'"
        " | project h, n, c"
    )
    assert run_kql(store, query).rows == [(True, False, True)]


def test_a_runtime_bracket_step_is_a_key_for_text_and_an_index_for_numbers(
    store: Store,
) -> None:
    query = (
        "print d = dynamic({'a': 'x', 'b c': [5, 6, 7]}), k = 'a', i = -1"
        " | project v = tostring(d[k]), w = tostring(d['b c'][i]), z = tostring(d['b c'][i + 2])"
    )
    assert run_kql(store, query).rows == [("x", "7", "6")]


def test_sets_and_extract_json(store: Store) -> None:
    query = (
        "print d = set_difference(dynamic([1, 2, 3, 2]), dynamic([2]), dynamic([9, 3])),"
        " u = array_length(set_union(dynamic(['x']), dynamic(['y', 'x']))),"
        " i = set_intersect(dynamic([1, 2, 3]), dynamic([3, 4])),"
        " e = extractjson('$.state', '{\"state\": \"enabled\"}'),"
        " m = extract_json('$.missing', '{\"state\": 1}')"
    )
    assert run_kql(store, query).rows == [([1], 2, [3], "enabled", None)]


def test_geo_info_is_where_the_tenant_saw_the_address_sign_in(store: Store) -> None:
    seen = run_kql(
        store,
        "SigninLogs | where isnotempty(IPAddress) and isnotempty(LocationDetails.city)"
        " | top 1 by TimeGenerated desc | project IPAddress, tostring(LocationDetails.city)",
    ).rows[0]
    query = (
        f"print g = geo_info_from_ip_address('{seen[0]}'),"
        " n = geo_info_from_ip_address('192.0.2.1')"
        " | project city = tostring(g.city), n"
    )
    city, nowhere = run_kql(store, query).rows[0]
    assert nowhere == {}
    latest = run_kql(
        store,
        # The two tables publish LocationDetails as dynamic and string: a union has both.
        f"union SigninLogs, AADNonInteractiveUserSignInLogs | where IPAddress == '{seen[0]}'"
        " | extend LocationDetails = coalesce(LocationDetails_dynamic,"
        " todynamic(LocationDetails_string))"
        " | where isnotempty(LocationDetails.city) | top 1 by TimeGenerated desc"
        " | project tostring(LocationDetails.city)",
    ).rows[0][0]
    assert city == latest


def test_scalar_lets_reach_the_operators_extensions_add(store: Store) -> None:
    query = (
        "let k = 'x'; let n = 1; let w = 2;"
        " datatable(a:dynamic, v:long)[dynamic(['x', 'y']), 1, dynamic(['x']), 5]"
        " | mv-apply e = a on (where tostring(e) == k | project m = tostring(e))"
        " | make-series total = sum(v) on v step w by m"
        " | top-nested n of m by count()"
    )
    assert run_kql(store, query).rows == [("x", 1)]


def test_deprecated_aggregate_names_and_a_trailing_comma_before_by(store: Store) -> None:
    query = (
        "datatable(u:string, c:string)['a', 'x', 'a', 'y', 'b', 'x', 'a', 'x']"
        " | summarize s = makeset(c), l = makelist(c), f = anyif(c, c == 'y'), by u"
        " | extend s = array_length(s), l = array_length(l) | order by u asc"
    )
    assert run_kql(store, query).rows == [("a", 2, 3, "y"), ("b", 1, 1, None)]
    with pytest.raises(KqlQueryError):
        run_kql(store, "print x = 1, | project x")
