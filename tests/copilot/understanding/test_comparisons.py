"""Two periods compared in one question: the question is asked of each period."""

from __future__ import annotations

from datetime import UTC, datetime

from idpilot.copilot.engine import Copilot
from idpilot.copilot.understanding.comparisons import compared_windows
from tests.conftest import DemoTenant

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


def test_two_periods_set_side_by_side_are_read_in_order() -> None:
    periods = compared_windows("were more users flagged risky this week than last week?", NOW)
    assert periods is not None
    assert [p.phrase for p in periods] == ["this week", "last week"]
    today, yesterday = compared_windows("failed sign-ins today vs yesterday", NOW) or ()
    assert today.start.day == 20 and yesterday.start.day == 19


def test_no_comparison_of_periods_is_none() -> None:
    assert compared_windows("failed sign-ins this week", NOW) is None
    assert compared_windows("more failures than usual this week?", NOW) is None
    assert compared_windows("sign-ins from Germany vs France yesterday", NOW) is None


def test_a_compared_question_is_asked_of_each_period(demo_tenant: DemoTenant) -> None:
    answer = Copilot(demo_tenant.store).ask(
        "were there more failed sign-ins this week than last week?"
    )
    phrases = [call.params["window"]["phrase"] for call in answer.skills]
    assert phrases == ["this week", "last week"]
    assert len({call.name for call in answer.skills}) == 1
