"""The request budget per 10 seconds, the shared pause, and how long a retry waits."""

from __future__ import annotations

import asyncio
from email.utils import formatdate

import pytest

from idpilot.sync.throttle import BUDGET_WINDOW_SECONDS, RequestBudget, retry_wait
from tests.sync.helpers import FakeTime


def test_the_budget_lets_n_requests_through_per_window_then_waits() -> None:
    time = FakeTime()
    budget = RequestBudget(3, time.clock, time.sleep)

    async def send(count: int) -> list[float]:
        sent = []
        for _ in range(count):
            await budget.acquire()
            sent.append(time.now)
        return sent

    sent = asyncio.run(send(7))
    assert sent[:3] == [1_000.0] * 3
    assert sent[3] == 1_000.0 + BUDGET_WINDOW_SECONDS
    assert sent[6] == 1_000.0 + 2 * BUDGET_WINDOW_SECONDS


def test_a_pause_holds_every_request() -> None:
    time = FakeTime()
    budget = RequestBudget(100, time.clock, time.sleep)
    budget.pause(30)
    asyncio.run(budget.acquire())
    assert time.now == pytest.approx(1_030.0) and budget.paused == pytest.approx(30.0)


def test_retry_after_in_seconds_or_as_a_date_wins_over_backoff() -> None:
    assert retry_wait({"Retry-After": "12"}, 1) == 12.0
    in_a_minute = formatdate(__import__("time").time() + 60, usegmt=True)
    assert 55 <= retry_wait({"Retry-After": in_a_minute}, 1) <= 61


def test_without_retry_after_the_wait_backs_off() -> None:
    waits = [retry_wait({}, attempt) for attempt in range(1, 8)]
    assert waits[0] <= 1.0 and waits[3] > waits[0] and max(waits) <= 60.0
