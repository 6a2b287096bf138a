"""Dates as admins say them resolve against the snapshot time, in UTC."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from idpilot.copilot.time_phrases import parse_time_window, unresolved_time_phrase

FRIDAY = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)  # Friday 20 November 2026, 10:00 UTC
WEDNESDAY_MORNING = datetime(2026, 11, 18, 9, 0, tzinfo=UTC)
SATURDAY = datetime(2026, 11, 21, 15, 0, tzinfo=UTC)
FIFTH = datetime(2026, 11, 5, 12, 0, tzinfo=UTC)
MARCH = datetime(2026, 3, 15, 12, 0, tzinfo=UTC)
FMT = "%Y-%m-%dT%H:%M"


def _window(prompt: str, anchor: datetime = FRIDAY) -> tuple[str, str]:
    window = parse_time_window(prompt, anchor)
    assert window is not None, prompt
    return window.start.strftime(FMT), window.end.strftime(FMT)


@pytest.mark.parametrize(
    ("prompt", "start", "end"),
    [
        # weekdays, with and without "on" / "last", and parts of the day
        ("Wednesday afternoon", "2026-11-18T12:00", "2026-11-18T18:00"),
        ("it failed Monday evening", "2026-11-16T18:00", "2026-11-17T00:00"),
        ("on Tuesday morning", "2026-11-17T06:00", "2026-11-17T12:00"),
        ("what did he change early thursday morning", "2026-11-19T00:00", "2026-11-19T09:00"),
        ("early morning on Tuesday", "2026-11-17T00:00", "2026-11-17T09:00"),
        ("pushes around 11 at night on Wednesday", "2026-11-18T22:00", "2026-11-19T00:00"),
        ("at night on Wednesday", "2026-11-18T18:00", "2026-11-19T06:00"),
        ("on Wednesday at 3 in the afternoon", "2026-11-18T14:00", "2026-11-18T16:00"),
        ("blocked on Tuesday early in the morning", "2026-11-17T00:00", "2026-11-17T09:00"),
        (
            "Dana says the expenses app wouldn't let her in on Tuesday morning, "
            "but it worked after lunch",
            "2026-11-17T06:00",
            "2026-11-17T18:00",
        ),
        ("what happened on Thursday", "2026-11-19T00:00", "2026-11-20T00:00"),
        ("who removed her from the group last Tuesday", "2026-11-17T00:00", "2026-11-18T00:00"),
        ("Friday morning", "2026-11-20T06:00", "2026-11-20T10:00"),
        ("last Friday", "2026-11-13T00:00", "2026-11-14T00:00"),
        ("Friday evening", "2026-11-13T18:00", "2026-11-14T00:00"),
        ("Monday night", "2026-11-16T18:00", "2026-11-17T06:00"),
        ("Tuesday last week", "2026-11-10T00:00", "2026-11-11T00:00"),
        ("on Tuesday of last week", "2026-11-10T00:00", "2026-11-11T00:00"),
        # days of the month and named dates
        ("she got kicked out of the group on the 13th, who did it?", "2026-11-13T00:00",
         "2026-11-14T00:00"),
        ("on the 3rd", "2026-11-03T00:00", "2026-11-04T00:00"),
        ("Nov 9 around 3pm", "2026-11-09T14:00", "2026-11-09T16:00"),
        ("9 Nov", "2026-11-09T00:00", "2026-11-10T00:00"),
        ("the 9th of November", "2026-11-09T00:00", "2026-11-10T00:00"),
        ("November 9th, 2025", "2025-11-09T00:00", "2025-11-10T00:00"),
        ("on Dec 24", "2025-12-24T00:00", "2025-12-25T00:00"),
        ("around 9am on 2026-11-09", "2026-11-09T08:00", "2026-11-09T10:00"),
        ("2026-11-09T15:00:00Z", "2026-11-09T14:00", "2026-11-09T16:00"),
        # numeric dates: the most recent reading on or before the anchor
        ("on 11/9", "2026-11-09T00:00", "2026-11-10T00:00"),
        ("on 9/11", "2026-11-09T00:00", "2026-11-10T00:00"),
        ("13/11", "2026-11-13T00:00", "2026-11-14T00:00"),
        ("11/13", "2026-11-13T00:00", "2026-11-14T00:00"),
        ("on 3/4/2026", "2026-04-03T00:00", "2026-04-04T00:00"),
        # spans
        ("the last couple of weeks", "2026-11-06T10:00", "2026-11-20T10:00"),
        ("over the past few days", "2026-11-17T10:00", "2026-11-20T10:00"),
        ("who had the most failed logins over the past fortnight", "2026-11-06T10:00",
         "2026-11-20T10:00"),
        ("in the past 48h", "2026-11-18T10:00", "2026-11-20T10:00"),
        ("last 24 hrs", "2026-11-19T10:00", "2026-11-20T10:00"),
        ("in the last hour", "2026-11-20T09:00", "2026-11-20T10:00"),
        ("last month", "2026-10-01T00:00", "2026-11-01T00:00"),
        ("this month", "2026-11-01T00:00", "2026-11-20T10:00"),
        ("this week", "2026-11-16T00:00", "2026-11-20T10:00"),
        ("this year", "2026-01-01T00:00", "2026-11-20T10:00"),
        ("last quarter", "2026-07-01T00:00", "2026-10-01T00:00"),
        ("in Q3", "2026-07-01T00:00", "2026-10-01T00:00"),
        ("during Q4 2025", "2025-10-01T00:00", "2026-01-01T00:00"),
        ("end of last week", "2026-11-12T00:00", "2026-11-16T00:00"),
        ("start of last week", "2026-11-09T00:00", "2026-11-12T00:00"),
        ("end of last month", "2026-10-25T00:00", "2026-11-01T00:00"),
        ("over the weekend", "2026-11-14T00:00", "2026-11-16T00:00"),
        ("in October", "2026-10-01T00:00", "2026-11-01T00:00"),
        ("in October we had 5 failures", "2026-10-01T00:00", "2026-11-01T00:00"),
        ("in October 2025", "2025-10-01T00:00", "2025-11-01T00:00"),
        ("in October 9th", "2026-10-09T00:00", "2026-10-10T00:00"),
        ("in December", "2025-12-01T00:00", "2026-01-01T00:00"),
        ("in 2025", "2025-01-01T00:00", "2026-01-01T00:00"),
        ("over Christmas", "2025-12-24T00:00", "2026-01-02T00:00"),
        ("which secrets expire in the next 30 days", "2026-11-20T10:00", "2026-12-20T10:00"),
        # today and yesterday
        ("earlier today", "2026-11-20T00:00", "2026-11-20T10:00"),
        ("this morning", "2026-11-20T00:00", "2026-11-20T10:00"),
        ("tonight", "2026-11-20T18:00", "2026-11-21T00:00"),
        ("yesterday afternoon", "2026-11-19T12:00", "2026-11-19T18:00"),
        ("anything change in the tenant last night?", "2026-11-19T18:00", "2026-11-20T06:00"),
        ("the day before yesterday", "2026-11-18T00:00", "2026-11-19T00:00"),
        ("before 9am yesterday", "2026-11-19T00:00", "2026-11-19T09:00"),
        ("after 5pm on Monday", "2026-11-16T17:00", "2026-11-17T00:00"),
        # clock times with no day: the latest that has begun
        ("around 3pm", "2026-11-19T14:00", "2026-11-19T16:00"),
        ("around 9am", "2026-11-20T08:00", "2026-11-20T10:00"),
        ("at 15:30", "2026-11-19T14:30", "2026-11-19T16:30"),
        ("between 2 and 4pm", "2026-11-19T14:00", "2026-11-19T16:00"),
        ("between 11 and 1pm yesterday", "2026-11-19T11:00", "2026-11-19T13:00"),
        ("from 9 to 11am on Monday", "2026-11-16T09:00", "2026-11-16T11:00"),
        ("2-4pm on Tuesday", "2026-11-17T14:00", "2026-11-17T16:00"),
        # ago
        ("an hour ago", "2026-11-20T08:00", "2026-11-20T10:00"),
        ("3 days ago", "2026-11-17T00:00", "2026-11-18T00:00"),
        ("2 weeks ago", "2026-11-02T00:00", "2026-11-09T00:00"),
        ("2 months ago", "2026-09-01T00:00", "2026-10-01T00:00"),
        ("a couple of days ago", "2026-11-17T00:00", "2026-11-20T00:00"),
        # abbreviations and typos
        ("on Wed", "2026-11-18T00:00", "2026-11-19T00:00"),
        ("Tues morning", "2026-11-17T06:00", "2026-11-17T12:00"),
        ("since thurs", "2026-11-19T00:00", "2026-11-20T10:00"),
        ("on Mon", "2026-11-16T00:00", "2026-11-17T00:00"),
        ("Sat 14 Nov", "2026-11-14T00:00", "2026-11-15T00:00"),
        ("on wendesday", "2026-11-18T00:00", "2026-11-19T00:00"),
        ("on wensday afternoon", "2026-11-18T12:00", "2026-11-18T18:00"),
        ("thrusday", "2026-11-19T00:00", "2026-11-20T00:00"),
        ("yestreday morning", "2026-11-19T06:00", "2026-11-19T12:00"),
        ("novmber 9", "2026-11-09T00:00", "2026-11-10T00:00"),
        # ranges
        ("since the 10th", "2026-11-10T00:00", "2026-11-20T10:00"),
        ("since Tuesday morning", "2026-11-17T06:00", "2026-11-20T10:00"),
        ("since last month", "2026-10-01T00:00", "2026-11-20T10:00"),
        ("since 3pm", "2026-11-19T14:00", "2026-11-20T10:00"),
        ("since October", "2026-10-01T00:00", "2026-11-20T10:00"),
        ("since 9 November 2026", "2026-11-09T00:00", "2026-11-20T10:00"),
        ("since 3 days ago", "2026-11-17T10:00", "2026-11-20T10:00"),
        ("between Monday and Wednesday", "2026-11-16T00:00", "2026-11-19T00:00"),
        ("from Nov 2 to Nov 5", "2026-11-02T00:00", "2026-11-06T00:00"),
    ],
)  # fmt: skip
def test_admin_phrases(prompt: str, start: str, end: str) -> None:
    assert _window(prompt) == (start, end)


@pytest.mark.parametrize(
    ("prompt", "anchor", "start", "end"),
    [
        # A weekday is the latest such day on or before the anchor's day...
        ("Wednesday", WEDNESDAY_MORNING, "2026-11-18T00:00", "2026-11-18T09:00"),
        # ... unless the part of the day named has not begun yet: then the week before.
        ("Wednesday evening", WEDNESDAY_MORNING, "2026-11-11T18:00", "2026-11-12T00:00"),
        ("last Wednesday", WEDNESDAY_MORNING, "2026-11-11T00:00", "2026-11-12T00:00"),
        # "the 13th" before the 13th of this month is last month's.
        ("on the 13th", FIFTH, "2026-10-13T00:00", "2026-10-14T00:00"),
        ("on the 31st", FIFTH, "2026-10-31T00:00", "2026-11-01T00:00"),
        # "Nov 9" in March is last November's.
        ("Nov 9", MARCH, "2025-11-09T00:00", "2025-11-10T00:00"),
        ("in Q2", MARCH, "2025-04-01T00:00", "2025-07-01T00:00"),
        ("last month", MARCH, "2026-02-01T00:00", "2026-03-01T00:00"),
        ("in the next 2 weeks", MARCH, "2026-03-15T12:00", "2026-03-29T12:00"),
        # "over the weekend" said on a Saturday is this weekend; "last weekend" the one before.
        ("over the weekend", SATURDAY, "2026-11-21T00:00", "2026-11-21T15:00"),
        ("last weekend", SATURDAY, "2026-11-14T00:00", "2026-11-16T00:00"),
        # "11/9" in March: 9 November 2025 is more recent than 11 September 2025.
        ("11/9", MARCH, "2025-11-09T00:00", "2025-11-10T00:00"),
        ("3/9", MARCH, "2026-03-09T00:00", "2026-03-10T00:00"),
    ],
)
def test_anchor_decides(prompt: str, anchor: datetime, start: str, end: str) -> None:
    assert _window(prompt, anchor) == (start, end)


@pytest.mark.parametrize(
    "prompt",
    [
        "the 3rd attempt failed",
        "24/7 support desk",
        "more than 5 failures between 2 and 4",
        "Good morning, who is bob?",
        "users who sign in every morning",
        "sign-ins from 10.1.0.0/16",
        "sign-ins from 2001:db8:12:34::1",
        "over the holidays",
        "did the leaver workflow run after their last day",
        "powershell -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIAB8AM",
        "recently",
        "he sat at his desk",
        "the sun is up",
        "a fridge in the office",
        "sign-ins from Augusta",
        "tuesdays are busy",
        "which 3 may be risky",
        "Who added Bob Stone to Night Shift?",
        "members of Morning Crew",
        "who owns Q3 Projects",
        "who is in the Christmas Party group",
    ],
)
def test_not_a_window(prompt: str) -> None:
    assert parse_time_window(prompt, FRIDAY) is None


def test_phrase_names_the_words() -> None:
    window = parse_time_window("blocked on Tuesday morning, fine after lunch", FRIDAY)
    assert window is not None and window.phrase == "tuesday morning … after lunch"


def test_days_joined_by_and_read_as_one_phrase() -> None:
    window = parse_time_window("on Monday and Tuesday", FRIDAY)
    assert window is not None and window.phrase == "monday and tuesday"
    assert (window.start.day, window.end.day) == (16, 18)


@pytest.mark.parametrize(
    ("prompt", "phrase"),
    [
        ("anything odd over the holidays?", "over the holidays"),
        ("sign-ins outside business hours", "outside business hours"),
        ("logins out of hours last week", "out of hours"),
        ("after-hours admin activity", "after-hours"),
        ("who signs in on weekends", "on weekends"),
        ("she fails every Monday", "every Monday"),
        ("anything odd yesterday?", None),
        ("over the weekend", None),
    ],
)
def test_unresolved_time_conditions_are_named(prompt: str, phrase: str | None) -> None:
    assert unresolved_time_phrase(prompt) == phrase


def test_a_recurring_weekday_is_not_one_day() -> None:
    assert parse_time_window("she fails every Monday", FRIDAY) is None


def test_windows_are_half_open_and_utc() -> None:
    window = parse_time_window("yesterday", FRIDAY)
    assert window is not None
    assert window.start.tzinfo is UTC and window.end.tzinfo is UTC
    assert window.contains(datetime(2026, 11, 19, 23, 59, tzinfo=UTC))
    assert not window.contains(datetime(2026, 11, 20, 0, 0, tzinfo=UTC))


def test_the_anchor_itself_is_inside_a_window_that_reaches_it() -> None:
    window = parse_time_window("today", FRIDAY)
    assert window is not None and window.contains(FRIDAY)


@pytest.mark.parametrize(
    "prompt",
    [
        "since " * 20_000,
        "between 1 and " * 10_000,
        "the 1st " * 10_000 + "1/" * 10_000,
        "\x00\x1b[31m yesterday \u202e\ufeff" + "é" * 1000,
        "İ" * 5000 + " yesterday",
        "monday morning at 3pm " * 5_000,
        "in the morning, the 13th, 11/9 " * 5_000,
    ],
)
def test_hostile_input_gives_a_window_or_none(prompt: str) -> None:
    window = parse_time_window(prompt, FRIDAY)
    assert window is None or window.start <= window.end


@pytest.mark.parametrize(
    ("prompt", "start", "end"),
    [
        ("can't get into anything since Friday the 13th", "2026-11-13T00:00", "2026-11-20T10:00"),
        ("blocked on Friday the 13th", "2026-11-13T00:00", "2026-11-14T00:00"),
        ("failed on Mon, Nov 16", "2026-11-16T00:00", "2026-11-17T00:00"),
    ],
)
def test_a_weekday_before_a_date_names_the_date(prompt: str, start: str, end: str) -> None:
    assert _window(prompt) == (start, end)


@pytest.mark.parametrize(
    ("prompt", "start", "end"),
    [
        ("novak locked out sun am. why", "2026-11-15T00:00", "2026-11-15T12:00"),
        ("sat pm", "2026-11-14T12:00", "2026-11-15T00:00"),
        ("ca pol changes the first week of november", "2026-11-01T00:00", "2026-11-08T00:00"),
        ("the second week of october", "2026-10-08T00:00", "2026-10-15T00:00"),
        ("the last week of october", "2026-10-25T00:00", "2026-11-01T00:00"),
        ("first half of november", "2026-11-01T00:00", "2026-11-16T00:00"),
        ("in the second half of october", "2026-10-16T00:00", "2026-11-01T00:00"),
        ("early november", "2026-11-01T00:00", "2026-11-11T00:00"),
        ("late october 2025", "2025-10-21T00:00", "2025-11-01T00:00"),
        ("late december", "2025-12-21T00:00", "2026-01-01T00:00"),
        ("it asks the password again since two weeks", "2026-11-06T10:00", "2026-11-20T10:00"),
    ],
)
def test_parts_of_months_and_short_day_halves(prompt: str, start: str, end: str) -> None:
    """A week, half or third of a named month; "sun am" / "sat pm"; "since two weeks"."""
    assert _window(prompt) == (start, end)


MONDAY = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)
MONTH_START = datetime(2026, 11, 5, 9, 0, tzinfo=UTC)  # before November's patch Tuesday


@pytest.mark.parametrize(
    ("prompt", "anchor", "start", "end"),
    [
        (
            "sign-in numbers over the last business day",
            FRIDAY,
            "2026-11-19T00:00",
            "2026-11-20T00:00",
        ),
        ("the previous working day", MONDAY, "2026-11-13T00:00", "2026-11-14T00:00"),
        ("on patch tuesday", FRIDAY, "2026-11-10T00:00", "2026-11-11T00:00"),
        ("since Patch Tuesday", FRIDAY, "2026-11-10T00:00", "2026-11-20T10:00"),
        ("on patch tuesday", MONTH_START, "2026-10-13T00:00", "2026-10-14T00:00"),
        (
            "who joined since the holiday on the 11th?",
            FRIDAY,
            "2026-11-11T00:00",
            "2026-11-20T10:00",
        ),
        ("failures since the outage on Monday", FRIDAY, "2026-11-16T00:00", "2026-11-20T10:00"),
        ("since the weekend", FRIDAY, "2026-11-14T00:00", "2026-11-20T10:00"),
    ],
)
def test_days_named_by_what_they_are(prompt: str, anchor: datetime, start: str, end: str) -> None:
    assert _window(prompt, anchor) == (start, end)


def test_an_event_without_a_day_is_said_not_guessed() -> None:
    assert parse_time_window("failures since the migration", FRIDAY) is None
    assert unresolved_time_phrase("failures since the migration") == "since the migration"
    assert unresolved_time_phrase("since the holiday on the 11th") is None
    assert unresolved_time_phrase("since the 10th") is None


@pytest.mark.parametrize(
    ("prompt", "start", "end"),
    [
        ("which users got it between 1 and 15 November?", "2026-11-01T00:00", "2026-11-16T00:00"),
        (
            "credentials added between 1 and 20 November 2026",
            "2026-11-01T00:00",
            "2026-11-20T10:00",
        ),
        ("the report for 1 October to 20 November 2026", "2026-10-01T00:00", "2026-11-20T10:00"),
        ("policy changes 1-5 Nov", "2026-11-01T00:00", "2026-11-06T00:00"),
        ("what happened nov 3-7", "2026-11-03T00:00", "2026-11-08T00:00"),
        ("from the 3rd to the 9th of november", "2026-11-03T00:00", "2026-11-10T00:00"),
        ("accounts created in week 47", "2026-11-16T00:00", "2026-11-20T10:00"),
        ("sign-ins in week 46 of 2026", "2026-11-09T00:00", "2026-11-16T00:00"),
        ("failures in KW 45", "2026-11-02T00:00", "2026-11-09T00:00"),
        ("the v.46 password spray", "2026-11-09T00:00", "2026-11-16T00:00"),
        ("rang on 17.11. at 09.30", "2026-11-17T08:30", "2026-11-17T10:30"),
        ("the failure on 3.11.2026", "2026-11-03T00:00", "2026-11-04T00:00"),
        ("blocked kl. 14.30 on Monday", "2026-11-16T13:30", "2026-11-16T15:30"),
        ("what changed in CA v 45", "2026-11-02T00:00", "2026-11-09T00:00"),
        ("nyanställda vecka 47", "2026-11-16T00:00", "2026-11-20T10:00"),
        ("failed sign-ins w46", "2026-11-09T00:00", "2026-11-16T00:00"),
        ("between 1 and 15 December", "2025-12-01T00:00", "2025-12-16T00:00"),
    ],
)
def test_ranges_of_days_and_week_numbers(prompt: str, start: str, end: str) -> None:
    assert _window(prompt) == (start, end)


@pytest.mark.parametrize(
    "prompt",
    ["top 5 users", "between 2 and 4 failures", "week 3 users", "v2 of the policy", "version 1.2."],
)
def test_numbers_that_are_not_ranges_of_days(prompt: str) -> None:
    window = parse_time_window(prompt, FRIDAY)
    assert window is None or "week" not in window.phrase


def test_the_meeting_an_answer_is_for_is_no_window() -> None:
    assert _window("three bullet points on yesterday's sign-ins for my 9am") == (
        "2026-11-19T00:00",
        "2026-11-20T00:00",
    )
    assert parse_time_window("the gaps in our CA setup, for tomorrow's meeting", FRIDAY) is None
    assert parse_time_window("what happened with bob, for the 2pm meeting", FRIDAY) is None
    # A time the question asks about stays one.
    assert _window("failed sign-ins before 9am") == ("2026-11-20T00:00", "2026-11-20T09:00")


def test_last_weekday_said_the_day_after_is_the_week_before() -> None:
    """Said on Friday the 20th: "last Thursday" is the 12th (yesterday would be "yesterday"),
    "last Tuesday" the 17th, "Thursday" alone the 19th."""
    assert _window("who disabled her last thursday?")[0].startswith("2026-11-12")
    assert _window("what failed last tuesday?")[0].startswith("2026-11-17")
    assert _window("what failed on thursday?")[0].startswith("2026-11-19")
