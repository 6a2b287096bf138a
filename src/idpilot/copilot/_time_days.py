"""Named days ("Tuesday", "the 13th", "Nov 9", "11/9") and parts of a day ("morning", "3pm").

A day resolves to a calendar date on or before the anchor's day; a part of a day is an offset
range from that day's midnight, so "Tuesday" and "morning" combine into Tuesday 06:00-12:00.
The rules are listed in `idpilot.copilot.time_phrases`.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

from idpilot.copilot._time_words import MONTH_PATTERN, MONTHS, WEEKDAY_PATTERN, WEEKDAYS

_MAX_MONTHS_BACK = 12
MAX_MENTIONS = 32
"""Days, and parts of days, read from one prompt at most: no question names more, and the
window they make is their union, so a longer list only costs time (hostile input)."""
_HOUR = timedelta(hours=1)
_DAY = timedelta(days=1)
_CLOCK_SLACK = _HOUR
_ORDINAL = r"(?:st|nd|rd|th)"
_YEAR = r"(?:,?\s+(?:19|20)\d{2}\b)"
# Words after which "the 13th" is a date, and words that may follow a date.
_ORDINAL_BEFORE = re.compile(
    r"\b(?:on|since|from|until|till|by|before|after|between|and|to|through|of|for|"
    r"around|about)\s+$"
)
_ORDINAL_AFTER = re.compile(
    r"\s*(?:$|[,.;:!?)\]]|-|of\b|at\b|around\b|about\b|in\s+the\b|morning|afternoon|evening|"
    r"night|and\b|or\b|between\b|from\b|before\b|after\b|when\b|but\b|who\b|where\b|what\b|"
    r"because\b|\d)"
)


class Step(StrEnum):
    """How far back the previous candidate of a day reference lies."""

    week = "week"
    month = "month"
    year = "year"


@dataclass(frozen=True)
class Part:
    """A part of a day: [start, end) as offsets from that day's midnight."""

    start: timedelta
    end: timedelta
    words: str
    position: int


@dataclass(frozen=True)
class DayRef:
    """A named day, the words that named it, and how to find the previous candidate."""

    day: date
    words: str
    position: int
    end: int
    step_back: Step | None = None
    parts: tuple[Part, ...] = field(default=())

    def back(self) -> DayRef | None:
        """The previous candidate ("Wednesday" a week earlier), or None when there is none."""
        if self.step_back is None:
            return None
        if self.step_back is Step.week:
            return _replace(self, self.day - timedelta(days=7))
        if self.step_back is Step.month:
            earlier = _same_day_before(self.day.day, self.day.replace(day=1) - _DAY)
            return _replace(self, earlier) if earlier else None
        earlier = _valid(self.day.year - 1, self.day.month, self.day.day)
        return _replace(self, earlier) if earlier else None


def _replace(ref: DayRef, day: date) -> DayRef:
    return DayRef(day, ref.words, ref.position, ref.end, ref.step_back, ref.parts)


_ISO = r"(?<!\d)\d{4}-\d{2}-\d{2}(?!\d)"
_MONTH_DAY = MONTH_PATTERN + r"\s*\d{1,2}" + _ORDINAL + r"?(?![\d:])" + _YEAR + "?"
_DAY_MONTH = (
    r"(?<![\d.:/])(?:the\s+)?\d{1,2}" + _ORDINAL + r"?\s+(?:of\s+)?" + MONTH_PATTERN + _YEAR + "?"
)
_NUMERIC = r"(?<![\d./:\w])\d{1,2}/\d{1,2}(?:/(?:\d{4}|\d{2}))?(?![\d/%]|\.\d)"
_ORDINAL_DAY = r"the\s+\d{1,2}" + _ORDINAL + r"\b"
_WEEKDAY = r"(?:(?:last|this|past|previous)\s+)?" + WEEKDAY_PATTERN
_RELATIVE = (
    r"the\s+day\s+before\s+yesterday|yesterday|today|tonight|this\s+(?:morning|afternoon|evening)"
    r"|last\s+night|overnight"
)
_NAMED = r"patch\s+tuesday|(?:the\s+)?(?:last|previous|prior)\s+(?:business|working|work)[-\s]?day"
"""Days named by what they are: Microsoft's Patch Tuesday (the second Tuesday of the month), the
last business day (the latest Monday-Friday before today)."""
DAY = "|".join(
    f"(?:{p})"
    for p in (_ISO, _DAY_MONTH, _MONTH_DAY, _NUMERIC, _ORDINAL_DAY, _NAMED, _WEEKDAY, _RELATIVE)
)
"""Any one named day, as a regex without groups (to compose "between X and Y")."""

_TYPED_DAY = re.compile(
    r"\b(?:(?P<iso>" + _ISO + r")|(?P<dm>" + _DAY_MONTH + r")|(?P<md>" + _MONTH_DAY
    + r")|(?P<num>" + _NUMERIC + r")|(?P<ord>" + _ORDINAL_DAY + r")|(?P<named>" + _NAMED
    + r")|(?P<wd>" + _WEEKDAY
    + r")|(?P<rel>" + _RELATIVE + r"))"
)  # fmt: skip
_NUMBERS = re.compile(r"\d+")
_MONTH_WORD = re.compile(MONTH_PATTERN)
_WEEKDAY_WORD = re.compile(r"(?:(last|this|past|previous)\s+)?(" + "|".join(WEEKDAYS) + ")")
_RELATIVE_PARTS = {
    "this morning": (0, 12),  # "3 this morning" is 03:00: the small hours count
    "this afternoon": (12, 18),
    "this evening": (18, 24),
    "tonight": (18, 24),
    "last night": (-6, 6),  # 18:00 the day before to 06:00
    "overnight": (-6, 6),
}
_RELATIVE_DAYS = {"the day before yesterday": -2, "yesterday": -1, "last night": 0, "overnight": 0}


def day_start(day: date) -> datetime:
    """Midnight UTC at the start of `day`."""
    return datetime.combine(day, time(0, 0), tzinfo=UTC)


def month_start(today: datetime, months: int) -> datetime:
    """Midnight on the 1st of the month `months` away from today's (negative: earlier)."""
    return shift_months(today.replace(day=1, hour=0, minute=0, second=0, microsecond=0), months)


def shift_months(first: datetime, months: int) -> datetime:
    """The 1st of the month `months` after the month of `first` (a 1st of a month)."""
    index = first.year * 12 + first.month - 1 + months
    return first.replace(year=index // 12, month=index % 12 + 1, day=1)


def _valid(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _same_day_before(day: int, limit: date) -> date | None:
    """The latest date numbered `day` on or before `limit` (within a year)."""
    year, month = limit.year, limit.month
    for _ in range(_MAX_MONTHS_BACK):
        candidate = _valid(year, month, day)
        if candidate is not None and candidate <= limit:
            return candidate
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return None


def _latest(month: int, day: int, today: date, year: int | None) -> date | None:
    """The date month/day in `year`, or the latest one on or before `today` without a year."""
    if year is not None:
        return _valid(year, month, day)
    for candidate_year in (today.year, today.year - 1):
        candidate = _valid(candidate_year, month, day)
        if candidate is not None and candidate <= today:
            return candidate
    return None


def _year_of(text: str) -> int | None:
    years = [int(n) for n in _NUMBERS.findall(text) if len(n) == 4]
    return years[0] if years else None


def _numeric_date(text: str, today: date) -> tuple[date, int | None] | None:
    """ "11/9": both readings, the one most recently on or before today (see time_phrases)."""
    numbers = text.split("/")
    first, second = int(numbers[0]), int(numbers[1])
    year = None
    if len(numbers) == 3:
        year = int(numbers[2]) + (2000 if len(numbers[2]) == 2 else 0)
    readings = [
        d
        for d in (_latest(first, second, today, year), _latest(second, first, today, year))
        if d is not None
    ]
    past = [d for d in readings if d <= today]
    if past:
        return max(past), year
    return (min(readings), year) if readings else None


def resolve_day(words: str, today: datetime, position: int = 0) -> DayRef | None:
    """The day `words` (one match of DAY) names, relative to `today`'s date; None if invalid."""
    match = _TYPED_DAY.fullmatch(words)
    if match is None:
        return None
    return _resolve(match, today.date(), position, position + len(words))


def _resolve(match: re.Match[str], today: date, position: int, end: int) -> DayRef | None:
    words = match.group(0)
    kind = match.lastgroup

    def ref(day: date | None, step: Step | None) -> DayRef | None:
        return DayRef(day, words, position, end, step) if day is not None else None

    if kind == "iso":
        try:
            return ref(date.fromisoformat(words), None)
        except ValueError:
            return None
    if kind in ("dm", "md") and (month_word := _MONTH_WORD.search(words)) is not None:
        month = MONTHS[month_word.group(0).rstrip(".")]
        day = int(_NUMBERS.findall(words)[0])
        year = _year_of(words[words.index(str(day)) + len(str(day)) :])
        return ref(_latest(month, day, today, year), None if year else Step.year)
    if kind == "num" and (numeric := _numeric_date(words, today)) is not None:
        return ref(numeric[0], None if numeric[1] else Step.year)
    if kind == "ord":
        return ref(_same_day_before(int(_NUMBERS.findall(words)[0]), today), Step.month)
    if kind == "named":
        return ref(_named_day(words, today), None)
    if kind == "wd" and (weekday := _WEEKDAY_WORD.search(words)) is not None:
        delta = (today.weekday() - WEEKDAYS.index(weekday.group(2))) % 7
        if weekday.group(1) in ("last", "past", "previous") and delta <= 1:
            # "last Thursday" said on a Friday is the week before's: yesterday would be
            # "yesterday" (and "last Friday" on a Friday is a week ago).
            delta += 7
        return ref(today - timedelta(days=delta), Step.week)
    if kind != "rel":
        return None
    phrase = " ".join(words.split())
    parts: tuple[Part, ...] = ()
    if phrase in _RELATIVE_PARTS:
        low, high = _RELATIVE_PARTS[phrase]
        parts = (Part(low * _HOUR, high * _HOUR, words, position),)
    day = today + timedelta(days=_RELATIVE_DAYS.get(phrase, 0))
    return DayRef(day, words, position, end, None, parts)


PATCH_TUESDAY_WEEK = 2
_TUESDAY = 1
_WEEKEND = 5  # Saturday's weekday(); Sunday is 6


def _named_day(words: str, today: date) -> date:
    """The date a named day ("patch tuesday", "the last business day") falls on, on or before
    `today` (strictly before, for the last business day)."""
    if words.startswith("patch"):
        patch = _nth_weekday(today.year, today.month, _TUESDAY, PATCH_TUESDAY_WEEK)
        if patch > today:
            previous = today.replace(day=1) - _DAY
            patch = _nth_weekday(previous.year, previous.month, _TUESDAY, PATCH_TUESDAY_WEEK)
        return patch
    day = today - _DAY
    while day.weekday() >= _WEEKEND:
        day -= _DAY
    return day


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The n-th given weekday (Monday 0) of a month."""
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


_RECURRING = re.compile(r"\b(?:every|each)\s+$")
_MODAL_MAY = re.compile(r"\s+(?:be|have|not|need|get|also|still|want|use|help|affect|fail)\b")


def _dated_context(text: str, match: re.Match[str]) -> bool:
    """ "the 13th" and "11/9" are dates only where a date fits (not "the 3rd attempt")."""
    kind = match.lastgroup
    if kind == "wd":
        return not _RECURRING.search(text[max(0, match.start() - 8) : match.start()])
    if kind == "num":
        return not re.match(r"24/7", match.group(0))
    if kind == "dm" and match.group(0).endswith("may"):
        return not _MODAL_MAY.match(text, match.end())  # "3 may be risky"
    if kind != "ord":
        return True
    before = text[max(0, match.start() - 20) : match.start()]
    return bool(_ORDINAL_BEFORE.search(before) or _ORDINAL_AFTER.match(text, match.end()))


_WEEKDAY_DATE_GAP = re.compile(r"\s*,?\s*")


def find_days(text: str, today: datetime, at_start: bool = False) -> list[DayRef]:
    """Every named day in `text` (only one at its very start with `at_start`).

    A weekday followed by a date names one day, the date ("Friday the 13th", "Mon, Nov 16").
    """
    if at_start:
        match = _TYPED_DAY.match(text)
        matches = [match] if match else []
        if match and match.lastgroup == "wd":
            gap = _WEEKDAY_DATE_GAP.match(text, match.end())
            if gap and (dated := _TYPED_DAY.match(text, gap.end())) and dated.lastgroup != "wd":
                matches.append(dated)
    else:
        dated = (m for m in _TYPED_DAY.finditer(text) if _dated_context(text, m))
        matches = list(itertools.islice(dated, MAX_MENTIONS))
    found: list[DayRef] = []
    kinds: list[str | None] = []
    for match in matches:
        ref = _resolve(match, today.date(), match.start(), match.end())
        if ref is None:
            continue
        if found and kinds[-1] == "wd" and match.lastgroup != "wd":
            weekday = found[-1]
            if _WEEKDAY_DATE_GAP.fullmatch(text, weekday.end, ref.position):
                found[-1] = DayRef(
                    ref.day,
                    text[weekday.position : ref.end],
                    weekday.position,
                    ref.end,
                    ref.step_back,
                    ref.parts,
                )
                kinds[-1] = match.lastgroup
                continue
        found.append(ref)
        kinds.append(match.lastgroup)
    return found


_MERIDIEM = r"(?:am|pm|a\.m\.|p\.m\.)"
_H12 = r"(?:1[0-2]|0?[1-9])"
_H24 = r"(?:[01]?\d|2[0-3])"
_SPOKEN_MERIDIEM = r"(?:o['’]?clock\s+)?(?:at\s+night|in\s+the\s+(?:evening|afternoon|morning))"
"""The part of the day said after an hour: "11 at night", "3 in the afternoon"."""
_CLOCK_12 = (
    r"(?<![\w.:])(" + _H12 + r")(?::([0-5]\d))?\s*(" + _MERIDIEM + r"|" + _SPOKEN_MERIDIEM
    + r")(?!\w)"
)  # fmt: skip
_CLOCK_24 = (
    r"(?:(?<=\dt)|(?<![:\w.]))(" + _H24 + r"):([0-5]\d)(?::\d{2}(?:\.\d+)?)?(?:z|\s*utc)?(?![:\w])"
)
_CLOCK_RANGE = re.compile(
    r"\b(?:between|from)\s+(" + _H24 + r")(?::([0-5]\d))?\s*(" + _MERIDIEM + r")?\s*"
    r"(?:and|to|until|till|-|–)\s*(" + _H24 + r")(?::([0-5]\d))?\s*(" + _MERIDIEM + r")?"
    r"|(?<![\w.:])(" + _H12 + r")(?::([0-5]\d))?\s*(" + _MERIDIEM + r")?\s*(?:-|–|to)\s*(" + _H12
    + r")(?::([0-5]\d))?\s*(" + _MERIDIEM + r")(?!\w)"
)  # fmt: skip
_CLOCK = re.compile(
    r"(?:\b(at|around|about|approx\.?|approximately|roughly|circa|before|after|by|until|till)\s+"
    r"|~\s*)?(?:" + _CLOCK_12 + r"|" + _CLOCK_24 + r"|\b(noon|midday|midnight)\b)"
)
_DAY_PART = re.compile(
    r"\b(?:(after|before)\s+lunch(?:\s*time)?|(lunch\s*time|lunch)|(morning|afternoon|evening|"
    r"night))\b(?!s)"
)
_EARLY = re.compile(
    r"\bearly[-\s]+(?:" + WEEKDAY_PATTERN + r"\s+|on\s+" + WEEKDAY_PATTERN + r"\s+|in\s+the\s+)?$",
    re.I,
)
""""early" just before a morning ("early in the morning"), or before the weekday the morning
belongs to."""
_NOT_A_PART = re.compile(r"(?:\bevery|\beach|\bgood|\bper|\ball)\s+$")
_PART_CONTEXT = re.compile(
    r"\b(?:in|during|at|by|before|after|until|till|since|around|the|this|that|last|early|late|"
    r"mid)[-\s]+$"
)
_PART_JOINER = re.compile(r"\s*(?:,|on|at|in the|of|of the)?\s*")
_NIGHT_AFTER_DAY = re.compile(
    r"(?:" + WEEKDAY_PATTERN + r"|yesterday|\d" + _ORDINAL + r"?|" + MONTH_PATTERN + r")\s+$"
)
_DAY_AFTER_NIGHT = re.compile(
    r"\s+(?:on\s+|of\s+)?(?:the\s+)?(?:" + WEEKDAY_PATTERN + r"|\d{1,2}" + _ORDINAL + r"?\b)"
)
"""A day said after "night" ("at night on Wednesday", "the night of the 13th")."""
_PART_HOURS = {
    "morning": (6, 12),
    "afternoon": (12, 18),
    "evening": (18, 24),
    "night": (0, 6),
    "lunch": (12, 14),
    "lunchtime": (12, 14),
    "after": (12, 18),
    "before": (6, 12),
}


def _hours(hour: str, minute: str | None, meridiem: str | None) -> timedelta:
    value = int(hour)
    if meridiem is not None:
        value = value % 12 + (12 if meridiem.startswith("p") else 0)
    return timedelta(hours=value, minutes=int(minute or 0))


def _range_part(match: re.Match[str]) -> Part | None:
    groups = match.groups()
    h1, m1, mer1, h2, m2, mer2 = groups[0:6] if groups[0] is not None else groups[6:12]
    if mer1 is None and mer2 is None and m1 is None and m2 is None:
        return None  # "between 2 and 4" could count anything
    if mer1 is None and mer2 is not None and int(h1) <= 12:
        mer1 = mer2
        if _hours(h1, m1, mer1) > _hours(h2, m2, mer2):
            mer1 = "am"
    if mer2 is None and mer1 is not None and int(h2) <= 12:
        mer2 = mer1
        if _hours(h2, m2, mer2) < _hours(h1, m1, mer1):
            mer2 = "pm"
    start, end = _hours(h1, m1, mer1), _hours(h2, m2, mer2)
    if end <= start:
        end += _DAY
    return Part(start, end, match.group(0), match.start())


def _written_meridiem(hour: str, said: str) -> str:
    """ "am" or "pm" for the part of the day said after an hour: "11 at night" is 23:00, "1 at
    night" 01:00 and "12 at night" midnight; "in the morning" am; afternoon and evening pm."""
    said = said.lower()
    if "night" in said:
        return "pm" if 6 <= int(hour) < 12 else "am"
    if "morning" in said:
        return "am"
    if "afternoon" in said or "evening" in said:
        return "pm"
    return said


def _clock_part(match: re.Match[str]) -> Part:
    prefix, h12, m12, meridiem, h24, m24, named = match.groups()
    if named is not None:
        moment = timedelta(hours=0 if named == "midnight" else 12)
    elif h12 is not None:
        moment = _hours(h12, m12, _written_meridiem(h12, meridiem))
    else:
        moment = _hours(h24, m24, None)
    if prefix in ("before", "by", "until", "till"):
        start, end = timedelta(0), moment
    elif prefix == "after":
        start, end = moment, _DAY
    else:
        start, end = moment - _CLOCK_SLACK, moment + _CLOCK_SLACK
    return Part(start, end, match.group(0), match.start())


def _next_to_a_day(text: str, match: re.Match[str], days: Sequence[tuple[int, int]]) -> bool:
    """The part touches a named day: "Tuesday morning", "the morning of the 13th"."""
    for start, end in days:
        if end <= match.start() and _PART_JOINER.fullmatch(text, end, match.start()):
            return True
        if match.end() <= start and _PART_JOINER.fullmatch(text, match.end(), start):
            return True
    return False


def _day_part(text: str, match: re.Match[str], days: Sequence[tuple[int, int]]) -> Part | None:
    """A part of the day, where it reads as one: next to a day, or after "in the", "at"...

    A bare "Night" or "Morning" is more likely a name ("Night Shift", "Morning Crew").
    """
    before = text[max(0, match.start() - 12) : match.start()]
    if _NOT_A_PART.search(before):
        return None
    if match.group(1) is None and not (
        _PART_CONTEXT.search(before) or _next_to_a_day(text, match, days)
    ):
        return None
    key = match.group(1) or (match.group(2) or match.group(3)).replace(" ", "")
    low, high = _PART_HOURS[key]
    if key == "night" and (
        _NIGHT_AFTER_DAY.search(text[max(0, match.start() - 12) : match.start()])
        or _DAY_AFTER_NIGHT.match(text, match.end())
    ):
        low, high = 18, 30  # "Monday night", "at night on Monday": that evening to 06:00 next
    if key == "morning" and _EARLY.search(text[max(0, match.start() - 24) : match.start()]):
        low, high = 0, 9  # "early morning", "early Thursday morning": the small hours count
    return Part(low * _HOUR, high * _HOUR, match.group(0), match.start())


def find_parts(
    text: str, limit: int | None = None, skip: Sequence[tuple[int, int]] = ()
) -> list[Part]:
    """Parts of a day and clock times in `text`, starting at or before `limit` when given.

    Matches inside `skip` spans (phrases already read as days, like "this morning") are ignored.
    """
    taken = list(skip)
    parts: list[Part] = []
    for finder in (_CLOCK_RANGE, _CLOCK, _DAY_PART):
        for match in finder.finditer(text):
            if (limit is not None and match.start() > limit) or len(parts) >= MAX_MENTIONS:
                break
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            if finder is _CLOCK_RANGE:
                part = _range_part(match)
            elif finder is _CLOCK:
                part = _clock_part(match)
            else:
                part = _day_part(text, match, skip)
            if part is not None:
                parts.append(part)
                taken.append((match.start(), match.end()))
    return parts
