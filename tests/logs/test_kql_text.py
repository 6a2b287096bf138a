"""Values written into remote KQL as literals: untrusted text stays a value."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from idpilot.kql.adapter import run_kql
from idpilot.logs import kql_text as lit
from idpilot.store import Store


@pytest.mark.parametrize(
    "text",
    ["plain", 'quote " inside', "back\\slash", 'ends with \\"', "line\nbreak\tand\rreturn", "ç 名"],
)
def test_a_string_literal_reads_back_as_the_same_text(store: Store, text: str) -> None:
    result = run_kql(store, f"print s = {lit.string(text)}")
    assert result.rows == [(text,)]


def test_a_control_character_is_refused_not_written() -> None:
    with pytest.raises(ValueError, match="control character"):
        lit.string("bell\x07")


def test_text_that_looks_like_kql_stays_one_value(store: Store) -> None:
    hostile = '" | union AuditLogs | where "" == "'
    result = run_kql(store, f"print s = {lit.string(hostile)} | project s")
    assert result.rows == [(hostile,)]


def test_a_time_literal_is_the_same_moment_in_utc(store: Store) -> None:
    moment = datetime(2026, 11, 20, 11, 30, 5, 123456, tzinfo=timezone(timedelta(hours=1)))
    assert lit.moment(moment) == "datetime(2026-11-20T10:30:05.123456Z)"
    (value,) = run_kql(store, f"print t = {lit.moment(moment)}").rows[0]
    assert value.replace(tzinfo=value.tzinfo or UTC) == moment.astimezone(UTC)
    with pytest.raises(ValueError, match="aware"):
        lit.moment(datetime(2026, 1, 1))


def test_a_list_of_strings_for_in_and_an_empty_one_matching_no_id() -> None:
    assert lit.strings(["a", 'b"']) == '("a", "b\\"")'
    assert lit.strings([]) == '("")'
