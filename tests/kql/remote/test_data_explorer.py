"""`query_database` against a loopback Azure Data Explorer v2 endpoint replaying its frames."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from idpilot.kql.remote.data_explorer import cluster_scope, database_endpoint, query_database
from idpilot.kql.remote.errors import RemoteErrorKind, RemoteQueryError
from tests.kql.remote.helpers import policy, token_from
from tests.kql.remote.kusto_server import (
    ADX_PATH,
    FakeCredential,
    LoopbackKusto,
    Reply,
    ok,
    refused,
)

QUERY = "SigninLogs\n| where ResultType != '0'\n| take 10"


def run(server: LoopbackKusto, credential: FakeCredential | None = None):
    endpoint = database_endpoint(server.base_url, "Security")
    token = token_from(credential or FakeCredential(), cluster_scope(server.base_url))
    return query_database(endpoint, "Security", QUERY, token, policy=policy())


def test_db_and_csl_are_posted_read_only_and_the_primary_result_is_read() -> None:
    credential = FakeCredential()
    with LoopbackKusto({ADX_PATH: [ok("data_explorer/frames.typed.json")]}) as server:
        ran = run(server, credential)
    (sent,) = server.requests
    assert sent.path == ADX_PATH and sent.body == {"db": "Security", "csl": QUERY}
    assert sent.headers["x-ms-readonly"] == "true"
    assert sent.headers["authorization"] == "Bearer fake-token-1"
    assert credential.scopes == [f"{server.base_url}/.default"]

    result = ran.result
    assert ran.source == "Azure Data Explorer database Security on 127.0.0.1"
    assert result.columns[:3] == ["TimeGenerated", "UserPrincipalName", "LocationDetails"]
    adele, bob = result.rows
    assert adele[0] == datetime(2026, 11, 19, 8, 15, 2, 123456, tzinfo=UTC)
    assert adele[2] == {"city": "Lagos", "countryOrRegion": "NG"}  # dynamic: native JSON
    assert adele[3] == ["vip", "admin"] and bob[2] == "just text"  # a string stays a string
    assert adele[4] == -timedelta(seconds=1.25) and bob[4] == timedelta(minutes=5)
    assert adele[5] is True and adele[6] == Decimal("12.3400") and bob[6] is None
    assert ran.partial is None


def test_progressive_fragments_are_appended_or_replace_what_came_before() -> None:
    with LoopbackKusto({ADX_PATH: [ok("data_explorer/frames.progressive.json")]}) as server:
        ran = run(server)
    assert ran.result.rows == [
        ("adele.vance@contoso.com", 4),
        ("bob.stone@contoso.com", 2),
        ("carol@contoso.com", 1),
    ]


def test_an_error_after_the_200_keeps_the_rows_and_marks_them_partial() -> None:
    with LoopbackKusto({ADX_PATH: [ok("data_explorer/frames.error_after_200.json")]}) as server:
        ran = run(server)
    assert ran.result.rows == [("adele.vance@contoso.com",)]
    assert ran.partial is not None and ran.partial.count("E_QUERY_RESULT_SET_TOO_LARGE") == 1


def test_a_semantic_error_gives_the_engines_sentence() -> None:
    script = [refused(400, "data_explorer/error.semantic.json")]
    with LoopbackKusto({ADX_PATH: script}) as server, pytest.raises(RemoteQueryError) as raised:
        run(server)
    assert raised.value.kind is RemoteErrorKind.bad_query
    assert "Failed to resolve table expression named 'aaa'" in str(raised.value)
    assert "SEM0100" in str(raised.value)


def test_a_403_names_the_database_viewer_role() -> None:
    body = b'{"error": {"code": "Forbidden", "message": "Principal is not authorized"}}'
    script = [Reply(403, body)]
    with LoopbackKusto({ADX_PATH: script}) as server, pytest.raises(RemoteQueryError) as raised:
        run(server)
    assert raised.value.kind is RemoteErrorKind.forbidden
    assert "Database Viewer" in str(raised.value)


@pytest.mark.parametrize(
    ("body", "why"),
    [
        (b'{"Tables": []}', "not a JSON array of frames"),
        (b'[{"FrameType": "DataSetHeader", "Version": "v2.0"}]', "before its DataSetCompletion"),
        (b'[{"FrameType": "DataSetHeader", "Version": "v1.0"}]', "not v2"),
        (b'[{"FrameType": "DataSetCompletion", "HasErrors": false}]', "no PrimaryResult"),
    ],
)
def test_a_response_that_is_not_a_v2_result_is_refused(body: bytes, why: str) -> None:
    script = [Reply(200, body)]
    with LoopbackKusto({ADX_PATH: script}) as server, pytest.raises(RemoteQueryError) as raised:
        run(server)
    assert why in str(raised.value)


def test_a_cluster_that_is_not_a_url_is_refused_before_anything_is_sent() -> None:
    with pytest.raises(RemoteQueryError, match="not a cluster URL"):
        database_endpoint("mycluster", "Security")
