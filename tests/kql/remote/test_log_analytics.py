"""`query_workspace` against a loopback Log Analytics Query API replaying documented responses."""

from __future__ import annotations

import math
import socket
from datetime import UTC, datetime, timedelta

import pytest

from idpilot.errors import IdpilotError
from idpilot.kql.remote.errors import RemoteErrorKind, RemoteQueryError
from idpilot.kql.remote.log_analytics import query_scope, query_workspace, workspace_endpoint
from tests.kql.remote.helpers import RecordedSleep, policy, token_from
from tests.kql.remote.kusto_server import (
    QUERY_PATH,
    WORKSPACE_ID,
    FakeCredential,
    LoopbackKusto,
    Reply,
    ok,
    refused,
)

QUERY = """// failures by user, as in Sentinel
SigninLogs
| where ResultType != "0" and UserPrincipalName has "ç"
| summarize count() by UserPrincipalName"""


def run(server: LoopbackKusto, query: str = QUERY, **kwargs: object):
    credential = kwargs.pop("credential", None) or FakeCredential()
    endpoint = workspace_endpoint(server.base_url, WORKSPACE_ID, 180)
    token = token_from(credential, query_scope(server.base_url))
    kwargs.setdefault("policy", policy())
    return query_workspace(endpoint, query, token, **kwargs)


def test_the_query_is_posted_unchanged_with_a_bearer_token_and_typed_rows_come_back() -> None:
    credential = FakeCredential()
    with LoopbackKusto({QUERY_PATH: [ok("log_analytics/signins.typed.json")]}) as server:
        ran = run(server, timespan="P7D", credential=credential)
    (sent,) = server.requests
    assert sent.method == "POST" and sent.path == QUERY_PATH
    assert sent.body == {"query": QUERY, "timespan": "P7D"}
    assert sent.headers["authorization"] == "Bearer fake-token-1"
    assert sent.headers["content-type"].startswith("application/json")
    assert sent.headers["prefer"] == "wait=180"
    assert credential.scopes == [f"{server.base_url}/.default"]

    result = ran.result
    assert ran.source == f"Log Analytics workspace {WORKSPACE_ID}" and ran.partial is None
    assert result.columns[:3] == ["TimeGenerated", "UserPrincipalName", "ResultType"]
    assert result.types[0] == "datetime" and result.types[6] == "dynamic"
    first, second, third = result.rows
    assert first[0] == datetime(2026, 11, 19, 8, 15, 2, 123456, tzinfo=UTC)
    assert first[5] is True and second[5] is False
    assert first[6]["geoCoordinates"]["latitude"] == 6.45  # dynamic parsed from its JSON text
    assert first[7] == [{"displayName": "Require MFA for admins", "result": "failure"}]
    assert first[8] == timedelta(seconds=1.5) and second[8] == timedelta(days=1, seconds=7384)
    assert first[9] == 0.75 and math.isnan(second[9]) and first[10] == 3
    assert third[0] is None and third[1] == "carol@contoso.com"
    assert result.sql == "" and not result.truncated


def test_the_documented_example_reads_as_rows() -> None:
    with LoopbackKusto({QUERY_PATH: [ok("log_analytics/query.simple.json")]}) as server:
        ran = run(server, "AzureActivity | summarize count() by Category", limit=2)
    assert server.requests[0].body == {"query": "AzureActivity | summarize count() by Category"}
    assert ran.result.columns == ["Category", "count_"]
    assert ran.result.rows == [("Administrative", 20839), ("Recommendation", 122)]
    assert ran.result.truncated


def test_a_throttled_query_waits_what_retry_after_asks_then_succeeds() -> None:
    sleep = RecordedSleep()
    script = [Reply(429, b"", {"Retry-After": "7"}), ok("log_analytics/query.simple.json")]
    with LoopbackKusto({QUERY_PATH: script}) as server:
        ran = run(server, policy=policy(sleep))
    assert sleep.waits == [7.0]
    assert len(server.requests) == 2 and ran.exchange.statuses == [429, 200]
    assert ran.result.row_count == 4


def test_a_wait_longer_than_allowed_is_not_waited_for_and_says_when_to_retry() -> None:
    sleep = RecordedSleep()
    script = [Reply(429, b"", {"Retry-After": "900"})]
    with LoopbackKusto({QUERY_PATH: script}) as server, pytest.raises(RemoteQueryError) as raised:
        run(server, policy=policy(sleep))
    assert raised.value.kind is RemoteErrorKind.throttled
    assert "asks to wait 900 s" in str(raised.value) and sleep.waits == []


def test_a_syntax_error_gives_the_services_message() -> None:
    script = [refused(400, "log_analytics/error.syntax.json")]
    with LoopbackKusto({QUERY_PATH: script}) as server, pytest.raises(RemoteQueryError) as raised:
        run(server, "SigninLogs | where")
    assert raised.value.kind is RemoteErrorKind.bad_query and raised.value.status == 400
    text = str(raised.value)
    assert "refused the query (400)" in text
    assert "BadArgumentError: The request had some invalid properties" in text
    assert "SyntaxError: Syntax Error" in text
    assert len(server.requests) == 1  # a wrong query is not retried


def test_a_403_names_the_role_to_grant() -> None:
    script = [refused(403, "log_analytics/error.insufficient_access.json")]
    with LoopbackKusto({QUERY_PATH: script}) as server, pytest.raises(RemoteQueryError) as raised:
        run(server)
    assert raised.value.kind is RemoteErrorKind.forbidden
    assert "InsufficientAccessError" in str(raised.value)
    assert "Log Analytics Reader" in str(raised.value)


def test_a_401_asks_for_a_fresh_token_once_then_says_the_sign_in_was_refused() -> None:
    credential = FakeCredential()
    script = [refused(401, "log_analytics/error.authentication_failed.json")]
    with LoopbackKusto({QUERY_PATH: script}) as server, pytest.raises(RemoteQueryError) as raised:
        run(server, credential=credential)
    tokens = [request.headers["authorization"] for request in server.requests]
    assert tokens == ["Bearer fake-token-1", "Bearer fake-token-2"]
    assert raised.value.kind is RemoteErrorKind.unauthorized
    assert "AuthenticationFailed" in str(raised.value) and "--tenant" in str(raised.value)


def test_an_unknown_workspace_is_a_404_that_says_to_check_the_id() -> None:
    with LoopbackKusto({}) as server, pytest.raises(RemoteQueryError) as raised:
        run(server)
    assert raised.value.kind is RemoteErrorKind.not_found
    assert "PathNotFoundError" in str(raised.value)


def test_a_partial_error_returns_the_rows_marked_partial() -> None:
    with LoopbackKusto({QUERY_PATH: [ok("log_analytics/query.partial_error.json")]}) as server:
        ran = run(server)
    assert ran.result.rows == [("adele.vance@contoso.com", 12)]
    assert ran.partial is not None and ran.partial.startswith("PartialError")
    assert "E_QUERY_RESULT_SET_TOO_LARGE" in ran.partial


def test_a_workspace_with_no_data_answers_204_and_gives_no_rows() -> None:
    with LoopbackKusto({QUERY_PATH: [Reply(204)]}) as server:
        ran = run(server)
    assert ran.result.rows == [] and ran.notes == ["the workspace holds no data"]


def test_a_query_slower_than_the_timeout_is_reported_as_such() -> None:
    slow = Reply(200, b'{"tables": []}', delay=1.5)
    with LoopbackKusto({QUERY_PATH: [slow]}) as server, pytest.raises(RemoteQueryError) as raised:
        run(server, policy=policy(timeout=0.3))
    assert raised.value.kind is RemoteErrorKind.timeout
    assert "did not answer within 0.3 s" in str(raised.value)
    assert len(server.requests) == 1  # a heavy query is not sent again


def test_an_unreachable_service_names_the_host_and_the_setting() -> None:
    with socket.socket() as probe:  # a loopback port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    endpoint = workspace_endpoint(f"http://127.0.0.1:{port}", WORKSPACE_ID, 180)
    with pytest.raises(RemoteQueryError) as raised:
        query_workspace(endpoint, QUERY, lambda: "t", policy=policy())
    assert raised.value.kind is RemoteErrorKind.unreachable
    assert "cannot reach" in str(raised.value) and "IDPILOT_LOG_ANALYTICS_URL" in str(raised.value)


def test_a_response_that_is_not_a_query_result_is_refused() -> None:
    script = [Reply(200, b"<html>proxy</html>")]
    with LoopbackKusto({QUERY_PATH: script}) as server, pytest.raises(RemoteQueryError) as raised:
        run(server)
    assert "no result table" in str(raised.value)


def test_a_workspace_id_that_is_not_an_id_is_refused_before_anything_is_sent() -> None:
    with pytest.raises(RemoteQueryError, match="not a workspace id"):
        workspace_endpoint("https://api.loganalytics.io", "../../subscriptions", 180)


def test_the_network_guard_stops_a_request_to_a_real_address() -> None:
    endpoint = workspace_endpoint("http://203.0.113.9", WORKSPACE_ID, 180)
    with pytest.raises(AssertionError, match="tried to reach the network"):
        query_workspace(endpoint, QUERY, lambda: "t", policy=policy())


def test_a_failed_sign_in_is_the_querys_error_and_nothing_is_sent() -> None:
    def no_token() -> str:
        raise IdpilotError("could not sign in to Log Analytics (secret): AADSTS7000215")

    with LoopbackKusto({QUERY_PATH: [ok("log_analytics/query.simple.json")]}) as server:
        endpoint = workspace_endpoint(server.base_url, WORKSPACE_ID, 180)
        with pytest.raises(RemoteQueryError) as raised:
            query_workspace(endpoint, QUERY, no_token, policy=policy())
    assert raised.value.kind is RemoteErrorKind.unauthorized
    assert "AADSTS7000215" in str(raised.value) and server.requests == []
