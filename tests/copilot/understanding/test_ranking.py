"""The order and count a prompt asks of a list, and the words that only look like one."""

from __future__ import annotations

import pytest

from idpilot.copilot.understanding.ranking import read_rank
from idpilot.model.ranking import Rank


@pytest.mark.parametrize(
    ("prompt", "order", "limit"),
    [
        ("Who are the last 3 accounts we created?", "newest", 3),
        ("Who were the last 3 people to reset their own password?", "newest", 3),
        ("Who are the last two users Identity Protection flagged?", "newest", 2),
        ("who was the very first person identity protection flagged this month?", "oldest", 1),
        ("who was the first to register MFA", "oldest", 1),
        ("the 5 most recent password resets", "newest", 5),
        ("Which of those was added most recently?", "newest", 1),
        ("first 5 failures this morning", "oldest", 5),
        ("show me the last 10 sign-ins of bob", "newest", 10),
        ("the last people to sign in to the VPN", "newest", None),
    ],
)
def test_an_order_and_count_asked_is_read(prompt: str, order: str, limit: int | None) -> None:
    assert read_rank(prompt) == Rank(order=order, limit=limit)


@pytest.mark.parametrize(
    "prompt",
    [
        "when did Kim last sign in?",
        "show sign-ins from last week",
        "what is his first name",
        "tell me about the last one",
        "failures in the last 7 days",
        "the first time he signed in",
        "the last 2 days of sign-ins",
        "first 3 days of the month",
        "top 5 apps by failures",
    ],
)
def test_words_of_time_and_reference_rank_nothing(prompt: str) -> None:
    assert read_rank(prompt) is None


def test_a_rank_says_itself_in_the_answers_words() -> None:
    assert Rank(order="newest", limit=3).words("created") == "the last 3 created, newest first"
    assert Rank(order="oldest", limit=1).words("flagged") == "the first flagged"
    assert Rank(order="oldest").shown(40, 15) == 15
    assert Rank(order="newest", limit=2).shown(40, 15) == 2


@pytest.mark.parametrize(
    ("prompt", "least"),
    [
        ("which users had more than 5 failed sign-ins last week?", 6),
        ("anyone with at least 3 failed sign-ins today?", 3),
        ("did anyone type a wrong password more than five times?", 6),
        ("users over 10 failures this week", 11),
    ],
)
def test_a_number_of_failures_is_a_condition(prompt: str, least: int) -> None:
    from idpilot.copilot.understanding.ranking import min_failures

    assert min_failures(prompt) == least


def test_other_numbers_are_no_number_of_failures() -> None:
    from idpilot.copilot.understanding.ranking import min_failures

    assert min_failures("apps with more than 10 users") is None
    assert min_failures("failed sign-ins in the last 7 days") is None
