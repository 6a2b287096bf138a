"""Time phrases resolve against the snapshot time."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from idpilot.copilot.time_phrases import parse_time_window

ANCHOR = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)  # a Friday


@pytest.mark.parametrize(
    ("prompt", "start", "end"),
    [
        ("failures yesterday", "2026-11-19T00:00", "2026-11-20T00:00"),
        ("why did she fail this morning", "2026-11-20T00:00", "2026-11-20T10:00"),
        ("sign-ins today", "2026-11-20T00:00", "2026-11-20T10:00"),
        ("in the last 7 days", "2026-11-13T10:00", "2026-11-20T10:00"),
        ("past 24 hours", "2026-11-19T10:00", "2026-11-20T10:00"),
        ("last week", "2026-11-09T00:00", "2026-11-16T00:00"),
        ("since Monday", "2026-11-16T00:00", "2026-11-20T10:00"),
        ("on 2026-11-02", "2026-11-02T00:00", "2026-11-03T00:00"),
        ("between 2026-11-01 and 2026-11-03", "2026-11-01T00:00", "2026-11-04T00:00"),
        ("this month", "2026-11-01T00:00", "2026-11-20T10:00"),
        ("last month", "2026-10-01T00:00", "2026-11-01T00:00"),
        ("on November 3rd", "2026-11-03T00:00", "2026-11-04T00:00"),
        ("in the last two weeks", "2026-11-06T10:00", "2026-11-20T10:00"),
    ],
)
def test_phrases(prompt: str, start: str, end: str) -> None:
    window = parse_time_window(prompt, ANCHOR)
    assert window is not None
    assert window.start.strftime("%Y-%m-%dT%H:%M") == start
    assert window.end.strftime("%Y-%m-%dT%H:%M") == end


def test_no_phrase_means_no_window() -> None:
    assert parse_time_window("who is bob", ANCHOR) is None


@pytest.mark.parametrize(
    ("prompt", "start"),
    [
        ("what CA policy edits happened after the 5th?", datetime(2026, 11, 6, tzinfo=UTC)),
        ("any changes after Monday", datetime(2026, 11, 17, tzinfo=UTC)),
        ("sign-ins later than Nov 12", datetime(2026, 11, 13, tzinfo=UTC)),
    ],
)
def test_after_a_day_runs_from_its_end_to_the_anchor(prompt: str, start: datetime) -> None:
    window = parse_time_window(prompt, ANCHOR)
    assert window is not None
    assert (window.start, window.end > ANCHOR) == (start, True)


def test_after_a_moment_of_the_day_is_not_a_range() -> None:
    window = parse_time_window("it failed on Tuesday morning but worked after lunch", ANCHOR)
    assert window is not None
    assert window.start.date() == window.end.date() == datetime(2026, 11, 17).date()
