"""A remote result's shape checks and `--timespan` as the ISO 8601 the services take."""

from __future__ import annotations

import pytest

from idpilot.errors import IdpilotError
from idpilot.kql.remote.errors import RemoteQueryError
from idpilot.kql.remote.result import build_result, iso_timespan


@pytest.mark.parametrize(
    ("given", "sent"),
    [
        ("7d", "P7D"),
        ("12h", "PT12H"),
        ("30m", "PT30M"),
        ("90M", "PT90M"),
        ("P7D", "P7D"),
        ("PT1H30M", "PT1H30M"),
        ("2026-11-01T00:00:00Z/2026-11-08T00:00:00Z", "2026-11-01T00:00:00Z/2026-11-08T00:00:00Z"),
    ],
)
def test_timespans_become_iso_8601(given: str, sent: str) -> None:
    assert iso_timespan(given) == sent


@pytest.mark.parametrize("given", ["a week", "7", "P", "PT", "7y"])
def test_a_timespan_that_is_none_of_those_is_refused_with_examples(given: str) -> None:
    with pytest.raises(IdpilotError, match="expected 7d, 12h or 30m"):
        iso_timespan(given)


def test_a_row_whose_shape_does_not_match_the_columns_is_refused() -> None:
    with pytest.raises(RemoteQueryError, match="row 2 with a shape"):
        build_result("X", ["a", "b"], ["long", "long"], [[1, 2], [3]], None, dynamic_as_text=True)
    with pytest.raises(RemoteQueryError, match="row 1 with a shape"):
        build_result("X", ["a"], ["long"], [{"a": 1}], None, dynamic_as_text=True)
