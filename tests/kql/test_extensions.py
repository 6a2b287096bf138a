"""The constructs idpilot.kql.extensions adds to duckdb-kql, on the fixture store."""

from __future__ import annotations

from idpilot.kql.adapter import run_kql
from idpilot.store import Store


def test_mv_apply_keeps_each_row_apart(store: Store) -> None:
    result = run_kql(
        store,
        "SigninLogs | mv-apply C = ConditionalAccessPolicies on (summarize n = count())"
        " | project Id, n | order by Id asc",
    )
    whole = run_kql(
        store,
        "SigninLogs | extend n = array_length(ConditionalAccessPolicies)"
        " | where n > 0 | project Id, n | order by Id asc",
    )
    assert result.rows == whole.rows


def test_mv_apply_filters_the_expanded_elements(store: Store) -> None:
    result = run_kql(
        store,
        "SigninLogs | mv-apply C = ConditionalAccessPolicies on"
        ' (where tostring(C.result) == "success" | project Policy = tostring(C.displayName))'
        " | project Id, Policy",
    )
    assert result.rows == [("success-1", "Require MFA for admins")]


def test_mv_expand_of_a_conversion_takes_the_column_name(store: Store) -> None:
    result = run_kql(
        store, "AADNonInteractiveUserSignInLogs | mv-expand todynamic(ConditionalAccessPolicies)"
    )
    assert "ConditionalAccessPolicies" in result.columns


def test_project_reorder_and_keep(store: Store) -> None:
    reordered = run_kql(store, "SigninLogs | project-reorder IPAddress, User* | take 1")
    assert reordered.columns[:2] == ["IPAddress", "UserAgent"]
    kept = run_kql(store, "SigninLogs | project-keep Id, IP* | take 1")
    assert kept.columns[0] == "Id" and set(kept.columns) >= {"IPAddress"}


def test_conditional_sets_and_bags(store: Store) -> None:
    result = run_kql(
        store,
        'SigninLogs | summarize s = make_set_if(UserPrincipalName, ResultType != "0"),'
        " b = make_bag(bag_pack(Id, 1)) | extend k = array_length(bag_keys(b))",
    )
    (row,) = result.records()
    assert sorted(row["s"]) == [
        "testaccount1@contoso.com",
        "user2@contoso.com",
        "user3@contoso.com",
        "user4@contoso.com",
        "user9@contoso.com",
    ]
    assert row["k"] == run_kql(store, "SigninLogs | count").rows[0][0]


def test_ipv4_ranges_and_timespan_format(store: Store) -> None:
    result = run_kql(
        store,
        'print a = ipv4_is_private("10.1.2.3"), b = ipv4_is_private("8.8.8.8"),'
        ' c = ipv4_is_in_range("192.168.1.7", "192.168.1.0/24"),'
        ' d = ipv4_is_in_range("192.168.2.7", "192.168.1.0/24"),'
        ' e = format_timespan(time(1.02:03:04.5), "d.hh:mm:ss.f")',
    )
    assert result.rows == [(True, False, True, False, "1.02:03:04.5")]


def test_serialize_numbers_rows_and_reads_the_previous(store: Store) -> None:
    result = run_kql(
        store,
        "SigninLogs | project Id | sort by Id asc | serialize n = row_number(), p = prev(Id)"
        " | take 2",
    )
    first, second = result.rows
    assert first[1:] == (1, None)
    assert second[1:] == (2, first[0])


def test_legacy_path_step_and_split_part(store: Store) -> None:
    result = run_kql(
        store,
        'AuditLogs | where OperationName == "Add member to role"'
        " | project t = tostring(TargetResources.[0].userPrincipalName),"
        ' d = split(tostring(TargetResources.[0].userPrincipalName), "@", 1)',
    )
    assert result.rows == [("bob@contoso.com", ["contoso.com"])]


def test_parse_user_agent_families(store: Store) -> None:
    agent = (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
        " Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91"
    )
    result = run_kql(store, f'print ua = parse_user_agent("{agent}", "browser")')
    parsed = result.rows[0][0]
    assert parsed["Browser"]["Family"] == "Edge"
    assert parsed["Browser"]["MajorVersion"] == "120"
    assert parsed["OperatingSystem"]["Family"] == "Windows"


def test_text_compared_with_a_number_compares_as_kusto_does(store: Store) -> None:
    total = run_kql(store, "SigninLogs | count").rows[0][0]
    assert run_kql(store, "SigninLogs | where ConditionalAccessStatus == 1 | count").rows == [(0,)]
    assert run_kql(store, "SigninLogs | where 1 != ConditionalAccessStatus | count").rows == [
        (total,)
    ]
    as_number = run_kql(store, "SigninLogs | where ResultType == 0 | count").rows
    assert as_number == run_kql(store, 'SigninLogs | where ResultType == "0" | count').rows
    assert run_kql(store, "print x = 2 == 2.0").rows == [(True,)]
