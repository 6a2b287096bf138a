"""Time phrases in prompts ("yesterday", "last 7 days", "since Monday") as UTC windows.

Relative phrases resolve against the snapshot time, never the wall clock, so an old export
answers "yesterday" about the day before it was captured.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

from pydantic import BaseModel

_UNITS = {
    "minute": timedelta(minutes=1),
    "hour": timedelta(hours=1),
    "day": timedelta(days=1),
    "week": timedelta(weeks=1),
    "month": timedelta(days=30),
    "year": timedelta(days=365),
}
_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "twelve": 12, "fourteen": 14,
    "thirty": 30, "ninety": 90, "few": 3, "couple": 2,
}  # fmt: skip
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTHS = [
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
]  # fmt: skip
MORNING_END = time(12, 0)
AFTERNOON_END = time(18, 0)

_LAST_N = re.compile(
    r"\b(?:last|past|previous|in the last|in the past|over the last|over the past|within the last)"
    r"\s+(?:(\d+|" + "|".join(_NUMBER_WORDS) + r")\s+)?(minute|hour|day|week|month|year)s?\b"
)
# "last week" alone is the calendar week; "in the last week" / "past week" is rolling.
_CALENDAR_LAST = re.compile(r"(?<!the )(?<!past )\blast (week|month)\b")
_AGO = re.compile(
    r"\b(\d+|" + "|".join(_NUMBER_WORDS) + r")\s+(minute|hour|day|week|month)s?\s+ago\b"
)
_SINCE_WEEKDAY = re.compile(r"\bsince\s+(?:last\s+)?(" + "|".join(_WEEKDAYS) + r")\b")
_ON_WEEKDAY = re.compile(r"\b(?:on\s+|last\s+)(" + "|".join(_WEEKDAYS) + r")\b")
_ISO_DATE = re.compile(r"\b(\d{4}-\d{2}-\d{2})\b")
_SINCE_ISO = re.compile(r"\bsince\s+(\d{4}-\d{2}-\d{2})\b")
_BETWEEN_ISO = re.compile(r"\bbetween\s+(\d{4}-\d{2}-\d{2})\s+and\s+(\d{4}-\d{2}-\d{2})\b")
_MONTH_DAY = re.compile(r"\b(" + "|".join(_MONTHS) + r")\s+(\d{1,2})(?:st|nd|rd|th)?\b")


class TimeWindow(BaseModel):
    """A half-open UTC interval [start, end) and the words it came from."""

    start: datetime
    end: datetime
    phrase: str

    def contains(self, moment: datetime) -> bool:
        """True when `moment` lies in the window."""
        return self.start <= moment < self.end


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=UTC)


def _number(text: str | None) -> int:
    if not text:
        return 1
    return int(text) if text.isdigit() else _NUMBER_WORDS[text]


def parse_time_window(prompt: str, anchor: datetime) -> TimeWindow | None:
    """The time window a prompt speaks of, relative to `anchor` (the snapshot time), or None."""
    text = prompt.lower()
    anchor = anchor.astimezone(UTC)
    today = _day_start(anchor.date())
    end = anchor + timedelta(microseconds=1)

    if match := _BETWEEN_ISO.search(text):
        first, last = (date.fromisoformat(g) for g in match.groups())
        return TimeWindow(
            start=_day_start(first), end=_day_start(last) + timedelta(days=1), phrase=match.group(0)
        )
    if match := _SINCE_ISO.search(text):
        return TimeWindow(
            start=_day_start(date.fromisoformat(match.group(1))), end=end, phrase=match.group(0)
        )
    if match := _CALENDAR_LAST.search(text):
        return _calendar_last(today, match.group(1))
    if match := _LAST_N.search(text):
        span = _UNITS[match.group(2)] * _number(match.group(1))
        return TimeWindow(start=anchor - span, end=end, phrase=match.group(0))
    if match := _AGO.search(text):
        moment = anchor - _UNITS[match.group(2)] * _number(match.group(1))
        return TimeWindow(
            start=moment - timedelta(hours=1),
            end=moment + timedelta(hours=1),
            phrase=match.group(0),
        )
    if match := _SINCE_WEEKDAY.search(text):
        return TimeWindow(
            start=_previous_weekday(today, match.group(1)), end=end, phrase=match.group(0)
        )
    for phrase, start, stop in (
        ("this morning", today, today.replace(hour=MORNING_END.hour)),
        (
            "this afternoon",
            today.replace(hour=MORNING_END.hour),
            today.replace(hour=AFTERNOON_END.hour),
        ),
        ("tonight", today.replace(hour=AFTERNOON_END.hour), today + timedelta(days=1)),
        ("yesterday", today - timedelta(days=1), today),
        ("today", today, end),
        ("this week", today - timedelta(days=today.weekday()), end),
        ("this month", today.replace(day=1), end),
    ):
        if re.search(rf"\b{phrase}\b", text):
            return TimeWindow(
                start=start, end=min(stop, end) if stop > start else end, phrase=phrase
            )
    if match := _ON_WEEKDAY.search(text):
        day = _previous_weekday(today, match.group(1))
        return TimeWindow(start=day, end=day + timedelta(days=1), phrase=match.group(0))
    if match := _ISO_DATE.search(text):
        day = _day_start(date.fromisoformat(match.group(1)))
        return TimeWindow(start=day, end=day + timedelta(days=1), phrase=match.group(0))
    if match := _MONTH_DAY.search(text):
        month = _MONTHS.index(match.group(1)) + 1
        year = (
            anchor.year
            if (month, int(match.group(2))) <= (anchor.month, anchor.day)
            else anchor.year - 1
        )
        try:
            day = _day_start(date(year, month, int(match.group(2))))
        except ValueError:
            return None
        return TimeWindow(start=day, end=day + timedelta(days=1), phrase=match.group(0))
    return None


def _calendar_last(today: datetime, unit: str) -> TimeWindow:
    """ "last week" (Monday to Monday) or "last month" (the previous calendar month)."""
    if unit == "week":
        this_monday = today - timedelta(days=today.weekday())
        return TimeWindow(
            start=this_monday - timedelta(days=7), end=this_monday, phrase="last week"
        )
    first = today.replace(day=1)
    previous = (first - timedelta(days=1)).replace(day=1)
    return TimeWindow(start=previous, end=first, phrase="last month")


def _previous_weekday(today: datetime, name: str) -> datetime:
    """The most recent `name`day strictly before today (today itself when it is that day)."""
    delta = (today.weekday() - _WEEKDAYS.index(name)) % 7
    return today - timedelta(days=delta)
