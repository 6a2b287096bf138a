"""Time phrases in prompts, as admins say them, turned into UTC windows.

Every relative phrase resolves against `anchor`, the snapshot time, never the wall clock, so an
old export answers "yesterday" about the day before it was captured. The rules, in one place:

* **UTC.** Times an admin writes ("around 3pm", "Monday evening") are read as UTC: the store
  records no tenant time zone, so there is nothing better to convert them with.
* **Half-open windows** [start, end). A window that reaches the anchor ends just after it, so
  the anchor's own records count; one that would run past the anchor is cut there, unless it
  starts after the anchor (then it is kept whole and holds no record).
* **Days.** "yesterday", "today", a weekday, "the 13th", "Nov 9" / "9 Nov" / "November 9th,
  2026", "2026-11-09" and "11/9" name one calendar day. A weekday name, with or without "on",
  means the latest such day on or before the anchor's day; "last Monday" is strictly before
  it; "Tuesday last week" is the Tuesday of the previous calendar week. "the 13th" is the latest
  13th on or before the anchor's day, "Nov 9" the latest 9 November. When the part of the day
  named ("Wednesday evening") has not begun by the anchor, the previous such day is meant.
* **"11/9"** is ambiguous (9 November in the US, 11 September in most of the world). Both
  readings are tried and the one that falls most recently on or before the anchor wins, since a
  question about logs asks about the past; a part over 12 decides it ("13/11", "11/13").
* **Day parts**: morning 06-12, afternoon 12-18, evening 18-24, night 00-06; "lunchtime" 12-14,
  "after lunch" 12-18, "before lunch" 06-12. "this morning" keeps its earlier meaning, midnight
  to noon ("3 this morning" is 03:00); "<day> night" and "last night" run from 18:00 that day to
  06:00 the next, as English uses them. Several parts widen one window: "Tuesday morning ... it
  worked after lunch" is Tuesday 06-18.
* **Clock times**: "at/around 3pm", "15:00" mean that time ±1 hour; "between 2 and 4pm",
  "from 9 to 11am", "2-4pm" the range; "before 9am"/"after 5pm" the rest of that day. A clock
  time with no day is the latest such time that has begun by the anchor.
* **Spans**: "last/past N minutes|hours|days|weeks|months" ("48h", "24 hrs", "the last couple of
  weeks", "past fortnight") are rolling, ending at the anchor; a month counts 30 days, a year
  365. "last week" is the previous calendar week (Monday 00:00 to Monday 00:00); "last month"
  the previous calendar month; "this week/month/year" run from its start to the anchor; "last
  quarter"/"this quarter" are calendar quarters; "in October" the latest October, "in 2025" that
  year. "start/end of last week" are Monday-Thursday / Thursday-Monday, "start/end of last
  month" its first / last 7 days. "over the weekend" is the latest Saturday 00:00 to Monday
  00:00 ("last weekend" on a Saturday or Sunday is the one before). "Christmas" / "New Year"
  is 24 December to 2 January.
* **Ago**: "an hour ago", "30 minutes ago" are ±1 hour around that moment; "3 days ago" that
  day; "2 weeks ago" that calendar week; "2 months ago" that calendar month; "a couple/few
  days ago" the days around that.
* **Ranges**: "since X" runs from the start of X to the anchor ("since the 10th", "since Tuesday
  morning", "since last month", "since October"); "between X and Y" / "from X to Y" from the
  start of day X to the end of day Y. "in the next N days" is the N days after the anchor.
* **Not resolved**: "over the holidays" (which holidays depends on the country, and the store
  knows none), "recently", "lately", "the other day": no window; `unresolved_time_phrase`
  names the first so an answer can say it could not apply it.
"""

from __future__ import annotations

import itertools
import re
from datetime import UTC, date, datetime, time, timedelta

from pydantic import BaseModel

from idpilot.copilot._time_days import (
    DAY,
    DayRef,
    Part,
    day_start,
    find_days,
    find_parts,
    month_start,
    resolve_day,
    shift_months,
)
from idpilot.copilot._time_words import (
    MONTH_PATTERN,
    MONTHS,
    OPTIONAL_QUANTITY,
    QUANTITY,
    WEEKDAYS,
    quantity,
)

__all__ = ["TimeWindow", "parse_time_window", "unresolved_time_phrase"]

# The earlier module exported these: the end of the morning and of the afternoon.
MORNING_END = time(12, 0)
AFTERNOON_END = time(18, 0)
_CLOCK_SLACK = timedelta(hours=1)
_QUARTER_MONTHS = 3
_EDGE_OF_MONTH_DAYS = 7
_FORTNIGHT_DAYS = 14
_CHRISTMAS = (12, 24)
_NEW_YEAR_END = (1, 2)
_SINCE_LOOKAHEAD = 80
_MAX_RANGE_TRIES = 8  # "since" / "between" read at most this often: input stays linear

# "their last day" is a person's last working day, not a span.
_LAST_N = re.compile(
    r"(?<!their )(?<!his )(?<!her )(?<!my )(?<!our )(?<!your )(?<!'s )(?<!’s )"
    r"\b(?:last|past|previous|in the last|in the past|over the last|over the past|within the last"
    r"|within the past|during the last|during the past|for the last|for the past)\s+"
    + OPTIONAL_QUANTITY
)
_FORTNIGHT = re.compile(r"\b(?:last|past|previous)\s+fortnight\b")
_FORTNIGHT_AGO = re.compile(r"\b(?:a|one)\s+fortnight\s+ago\b")
_NEXT_N = re.compile(r"\b(?:in|within|over|during)\s+the\s+next\s+" + OPTIONAL_QUANTITY)
# "last week" alone is the calendar week; "in the last week" / "past week" is rolling.
_CALENDAR_LAST = re.compile(r"(?<!the )(?<!past )\blast (week|month|quarter)\b")
_THIS_SPAN = re.compile(r"\b(?:this|the current)\s+(week|month|quarter|year)\b")
_EDGE_OF_SPAN = re.compile(r"\b(start|beginning|end)\s+of\s+(?:(last|this|the)\s+)?(week|month)\b")
_WEEKEND = re.compile(r"\b(?:(last|this|past)\s+|(?:over|on|at|during)\s+the\s+)weekend\b")
_AGO = re.compile(r"\b" + QUANTITY + r"\s+ago\b")
_MONTH_ALONE = r"(" + MONTH_PATTERN + r")(?:\s+((?:19|20)\d{2}))?(?![\w\s]*?\d)"
_IN_MONTH = re.compile(
    r"\b(?:in|during|throughout|for|over|since)\s+(?:the\s+month\s+of\s+)?" + _MONTH_ALONE
)
_MONTH_AT_START = re.compile(r"(?:the\s+month\s+of\s+)?" + _MONTH_ALONE)
_IN_YEAR = re.compile(r"\b(?:in|during|throughout|since)\s+((?:19|20)\d{2})\b(?![-/]\d)")
_YEAR_AT_START = re.compile(r"((?:19|20)\d{2})\b(?![-/]\d)")
_CHRISTMAS_WORDS = re.compile(r"\b(?:christmas|xmas|new year'?s?(?:\s+eve)?)\b")
_WEEKDAY_OF_LAST_WEEK = re.compile(
    r"\b(?:(" + "|".join(WEEKDAYS) + r")\s+(?:of\s+)?last\s+week"
    r"|last\s+week(?:\s+on)?\s+(" + "|".join(WEEKDAYS) + r"))\b"
)
_SINCE = re.compile(r"\bsince\s+")
_JOINER = re.compile(r"\s*(?:,|on|at|around|about|in the|of)?\s*")
_SINCE_AGO = re.compile(QUANTITY + r"\s+ago\b")
_BETWEEN_DAYS = re.compile(
    r"\b(?:between|from)\s+(" + DAY + r")\s+(?:and|to|until|till|through|thru|-)\s+(" + DAY + r")"
)
_UNRESOLVED = re.compile(
    r"\b(?:over|during|before|after|since|around)\s+the\s+(?:\w+\s+)?(?:holidays|holiday season"
    r"|break|vacation)\b"
)


class TimeWindow(BaseModel):
    """A half-open UTC interval [start, end) and the words it came from."""

    start: datetime
    end: datetime
    phrase: str

    def contains(self, moment: datetime) -> bool:
        """True when `moment` lies in the window."""
        return self.start <= moment < self.end


class _Context:
    """The anchor and the instants every rule needs."""

    def __init__(self, anchor: datetime) -> None:
        self.anchor = anchor.astimezone(UTC)
        self.today = day_start(self.anchor.date())
        self.end = self.anchor + timedelta(microseconds=1)

    def window(self, start: datetime, stop: datetime, phrase: str) -> TimeWindow:
        """[start, stop) cut at the anchor, unless it starts after the anchor."""
        if stop > self.end and start < self.end:
            stop = self.end
        return TimeWindow(start=start, end=stop, phrase=_words(phrase))

    def until_anchor(self, start: datetime, phrase: str) -> TimeWindow:
        """[start, anchor]."""
        return TimeWindow(start=start, end=self.end, phrase=_words(phrase))


def _words(phrase: str) -> str:
    """A phrase with single blanks and no trailing punctuation."""
    return " ".join(phrase.split()).rstrip(" .,;:")


def parse_time_window(prompt: str, anchor: datetime) -> TimeWindow | None:
    """The time window a prompt speaks of, relative to `anchor` (the snapshot time), or None.

    The module docstring lists every phrase and how it resolves. Explicit ranges ("between",
    "since") win over spans ("last 7 days", "last week"), which win over days and parts of days
    ("Tuesday morning"); several days or parts widen one window. A weekday name means the
    latest such day on or before the anchor's day; all times are UTC.
    """
    text = prompt.lower()
    ctx = _Context(anchor)
    if (window := _between(text, ctx)) is not None:
        return window
    if (window := _since(text, ctx)) is not None:
        return window
    if (window := _spans(text, ctx)) is not None:
        return window
    return _days_and_parts(text, ctx)


def unresolved_time_phrase(prompt: str) -> str | None:
    """A time condition no rule turns into a window ("over the holidays"), or None."""
    match = _UNRESOLVED.search(prompt.lower())
    return match.group(0) if match else None


def _between(text: str, ctx: _Context) -> TimeWindow | None:
    """ "between Monday and Wednesday": from the first day's start to the last day's end."""
    for match in itertools.islice(_BETWEEN_DAYS.finditer(text), _MAX_RANGE_TRIES):
        first = resolve_day(match.group(1), ctx.today)
        last = resolve_day(match.group(2), ctx.today)
        if first is None or last is None:
            continue
        if last.day < first.day and (earlier := first.back()) is not None:
            first = earlier  # "between Friday and Tuesday", said on a Wednesday
        start, stop = day_start(first.day), day_start(last.day) + timedelta(days=1)
        if stop > start:
            return ctx.window(start, stop, match.group(0))
    return None


def _since(text: str, ctx: _Context) -> TimeWindow | None:
    """ "since X": from the start of whatever X names to the anchor."""
    for match in itertools.islice(_SINCE.finditer(text), _MAX_RANGE_TRIES):
        rest = text[match.end() : match.end() + _SINCE_LOOKAHEAD]
        if (ago := _SINCE_AGO.match(rest)) and (amount := quantity(ago)):
            count, unit = amount
            return ctx.until_anchor(ctx.anchor - unit * count, f"since {ago.group(0)}")
        window = _spans(rest, ctx, at_start=True) or _days_and_parts(rest, ctx, at_start=True)
        if window is not None:
            return ctx.until_anchor(window.start, f"since {window.phrase}")
    return None


def _spans(text: str, ctx: _Context, at_start: bool = False) -> TimeWindow | None:
    """Rolling and calendar spans; with `at_start`, only one that begins the text."""
    for finder in _SPAN_FINDERS:
        window = finder(text, ctx, at_start)
        if window is not None:
            return window
    return None


def _search(pattern: re.Pattern[str], text: str, at_start: bool) -> re.Match[str] | None:
    return pattern.match(text) if at_start else pattern.search(text)


def _weekday_last_week(text: str, ctx: _Context, at_start: bool) -> TimeWindow | None:
    """ "Tuesday last week": that weekday in the previous calendar week."""
    if not (match := _search(_WEEKDAY_OF_LAST_WEEK, text, at_start)):
        return None
    name = match.group(1) or match.group(2)
    this_monday = ctx.today - timedelta(days=ctx.today.weekday())
    day = this_monday - timedelta(days=7 - WEEKDAYS.index(name))
    return ctx.window(day, day + timedelta(days=1), match.group(0))


def _edge_of_span(text: str, ctx: _Context, at_start: bool) -> TimeWindow | None:
    """ "end of last week" (Thursday to Monday), "start of the month" (its first 7 days)."""
    if not (match := _search(_EDGE_OF_SPAN, text, at_start)):
        return None
    edge, which, unit = match.groups()
    last = which == "last"
    if unit == "week":
        monday = ctx.today - timedelta(days=ctx.today.weekday() + (7 if last else 0))
        thursday = monday + timedelta(days=3)
        if edge == "end":
            return ctx.window(thursday, monday + timedelta(days=7), match.group(0))
        return ctx.window(monday, thursday, match.group(0))
    first = month_start(ctx.today, -1 if last else 0)
    following = shift_months(first, 1)
    edge_days = timedelta(days=_EDGE_OF_MONTH_DAYS)
    if edge == "end":
        return ctx.window(following - edge_days, following, match.group(0))
    return ctx.window(first, first + edge_days, match.group(0))


def _quarter_start(today: datetime) -> datetime:
    month = (today.month - 1) // _QUARTER_MONTHS * _QUARTER_MONTHS + 1
    return today.replace(month=month, day=1)


def _calendar_last(text: str, ctx: _Context, at_start: bool) -> TimeWindow | None:
    """ "last week" (Monday to Monday), "last month" / "last quarter" (the previous one)."""
    if not (match := _search(_CALENDAR_LAST, text, at_start)):
        return None
    unit = match.group(1)
    if unit == "week":
        monday = ctx.today - timedelta(days=ctx.today.weekday())
        return TimeWindow(start=monday - timedelta(days=7), end=monday, phrase="last week")
    if unit == "month":
        first = month_start(ctx.today, 0)
        return TimeWindow(start=shift_months(first, -1), end=first, phrase="last month")
    quarter = _quarter_start(ctx.today)
    return TimeWindow(
        start=shift_months(quarter, -_QUARTER_MONTHS), end=quarter, phrase="last quarter"
    )


def _this_span(text: str, ctx: _Context, at_start: bool) -> TimeWindow | None:
    """ "this week / month / quarter / year": from its start to the anchor."""
    if not (match := _search(_THIS_SPAN, text, at_start)):
        return None
    start = {
        "week": ctx.today - timedelta(days=ctx.today.weekday()),
        "month": ctx.today.replace(day=1),
        "quarter": _quarter_start(ctx.today),
        "year": ctx.today.replace(month=1, day=1),
    }[match.group(1)]
    return ctx.until_anchor(start, match.group(0))


def _last_n(text: str, ctx: _Context, at_start: bool) -> TimeWindow | None:
    """ "last 7 days", "past 48h", "the last couple of weeks", "past fortnight": rolling."""
    for match in (_LAST_N.match(text),) if at_start else _LAST_N.finditer(text):
        if match is not None and (amount := quantity(match)) is not None:
            count, unit = amount
            return ctx.until_anchor(ctx.anchor - unit * count, match.group(0))
    if match := _search(_FORTNIGHT, text, at_start):
        return ctx.until_anchor(ctx.anchor - timedelta(days=_FORTNIGHT_DAYS), match.group(0))
    return None


def _next_n(text: str, ctx: _Context, at_start: bool) -> TimeWindow | None:
    """ "in the next 30 days": the span after the anchor (expiries, not sign-ins)."""
    if at_start:
        return None
    for match in _NEXT_N.finditer(text):
        if (amount := quantity(match)) is not None:
            count, unit = amount
            return TimeWindow(
                start=ctx.anchor, end=ctx.anchor + unit * count, phrase=match.group(0)
            )
    return None


def _ago(text: str, ctx: _Context, at_start: bool) -> TimeWindow | None:
    """ "an hour ago" (±1 hour), "3 days ago" (that day), "2 weeks ago" (that week)..."""
    if fortnight := _search(_FORTNIGHT_AGO, text, at_start):
        day = ctx.today - timedelta(days=_FORTNIGHT_DAYS)
        return ctx.window(day, day + timedelta(days=1), fortnight.group(0))
    for match in (_AGO.match(text),) if at_start else _AGO.finditer(text):
        if match is not None and (amount := quantity(match)) is not None:
            return _ago_window(ctx, *amount, vague=match.group("vague") is not None,
                               phrase=match.group(0))  # fmt: skip
    return None


def _ago_window(ctx: _Context, count: int, unit: timedelta, vague: bool, phrase: str) -> TimeWindow:
    moment = ctx.anchor - unit * count
    if unit < timedelta(days=1):
        return ctx.window(moment - _CLOCK_SLACK, moment + _CLOCK_SLACK, phrase)
    if unit == timedelta(days=1):
        day = ctx.today - timedelta(days=count)
        if vague:  # "a couple of days ago": a day either side
            return ctx.window(day - timedelta(days=1), day + timedelta(days=2), phrase)
        return ctx.window(day, day + timedelta(days=1), phrase)
    if unit == timedelta(weeks=1):
        monday = day_start(moment.date()) - timedelta(days=moment.weekday())
        return ctx.window(monday, monday + timedelta(days=7), phrase)
    if unit == timedelta(days=30):
        first = month_start(ctx.today, -count)
        return ctx.window(first, shift_months(first, 1), phrase)
    first = ctx.today.replace(year=ctx.today.year - count, month=1, day=1)
    return ctx.window(first, first.replace(year=first.year + 1), phrase)


def _weekend(text: str, ctx: _Context, at_start: bool) -> TimeWindow | None:
    """ "over the weekend": the latest Saturday 00:00 to Monday 00:00."""
    if not (match := _search(_WEEKEND, text, at_start)):
        return None
    saturday = ctx.today - timedelta(days=(ctx.today.weekday() - 5) % 7)
    if match.group(1) in ("last", "past") and ctx.today.weekday() >= 5:
        saturday -= timedelta(days=7)
    return ctx.window(saturday, saturday + timedelta(days=2), match.group(0))


def _in_month(text: str, ctx: _Context, at_start: bool) -> TimeWindow | None:
    """ "in October" (the latest October), "October 2025"."""
    match = _MONTH_AT_START.match(text) if at_start else _IN_MONTH.search(text)
    if match is None:
        return None
    month = MONTHS[match.group(1).rstrip(".")]
    if match.group(2):
        year = int(match.group(2))
    else:
        year = ctx.today.year if month <= ctx.today.month else ctx.today.year - 1
    first = day_start(date(year, month, 1))
    return ctx.window(first, shift_months(first, 1), match.group(0))


def _in_year(text: str, ctx: _Context, at_start: bool) -> TimeWindow | None:
    """ "in 2025": that calendar year."""
    match = _YEAR_AT_START.match(text) if at_start else _IN_YEAR.search(text)
    if match is None:
        return None
    first = day_start(date(int(match.group(1)), 1, 1))
    return ctx.window(first, first.replace(year=first.year + 1), match.group(0))


def _christmas(text: str, ctx: _Context, at_start: bool) -> TimeWindow | None:
    """ "over Christmas", "New Year": the latest 24 December to 2 January."""
    if not (match := _search(_CHRISTMAS_WORDS, text, at_start)):
        return None
    today = (ctx.today.month, ctx.today.day)
    year = ctx.today.year if today >= _CHRISTMAS else ctx.today.year - 1
    start = day_start(date(year, *_CHRISTMAS))
    stop = day_start(date(year + 1, *_NEW_YEAR_END))
    return ctx.window(start, stop, match.group(0))


_SPAN_FINDERS = (
    _weekday_last_week,
    _edge_of_span,
    _calendar_last,
    _last_n,
    _next_n,
    _ago,
    _this_span,
    _weekend,
    _in_month,
    _in_year,
    _christmas,
)


def _days_and_parts(text: str, ctx: _Context, at_start: bool = False) -> TimeWindow | None:
    """Named days, refined by the parts of the day and clock times the prompt gives.

    With `at_start` ("since ..."), only a day at the very start counts, with a part right
    after it ("since Tuesday morning"), or a part at the very start ("since 3pm").
    """
    days = find_days(text, ctx.today, at_start=at_start)
    skip = [(d.position, d.end) for d in days]
    limit = (days[0].end + 1 if days else 0) if at_start else None
    parts = find_parts(text, limit=limit, skip=skip)
    if not days and not parts:
        return None
    if not days:
        return _parts_only(text, parts, ctx)
    return _days_window(text, days, parts, ctx)


def _phrase(text: str, items: list[DayRef | Part]) -> str:
    """The words of the items, as one run where only "on"/"at"/a comma separates them."""
    runs: list[tuple[int, int]] = []
    for item in sorted(items, key=lambda item: item.position):
        end = item.position + len(item.words)
        if runs and _JOINER.fullmatch(text[runs[-1][1] : item.position]):
            runs[-1] = (runs[-1][0], max(end, runs[-1][1]))
        else:
            runs.append((item.position, end))
    return " … ".join(text[start:end] for start, end in runs)


def _days_window(text: str, days: list[DayRef], parts: list[Part], ctx: _Context) -> TimeWindow:
    """From the earliest day's first part to the latest day's last part."""
    every_part = parts + [p for d in days for p in d.parts]
    lead = min((p.start for p in every_part), default=timedelta(0))
    tail = max((p.end for p in every_part), default=timedelta(days=1))
    first = min(day_start(d.day) for d in days)
    last = max(day_start(d.day) for d in days)
    start, stop = first + lead, last + tail
    if len(days) == 1 and start > ctx.anchor and (earlier := days[0].back()) is not None:
        day = day_start(earlier.day)  # "Wednesday evening", asked on Wednesday morning
        start, stop = day + lead, day + tail
    return ctx.window(start, stop, _phrase(text, [*days, *parts]))


def _parts_only(text: str, parts: list[Part], ctx: _Context) -> TimeWindow:
    """Parts of a day with no day named: the latest such part that has begun by the anchor."""
    lead = min(p.start for p in parts)
    tail = max(p.end for p in parts)
    day = ctx.today if ctx.today + lead <= ctx.anchor else ctx.today - timedelta(days=1)
    return ctx.window(day + lead, day + tail, _phrase(text, list(parts)))
