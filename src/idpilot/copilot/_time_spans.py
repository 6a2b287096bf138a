"""Spans of time: "last 7 days", "last week", "this month", "over the weekend", "2 weeks ago".

The rules are listed in `idpilot.copilot.time_phrases`.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from idpilot.copilot._time_days import day_start, month_start, shift_months
from idpilot.copilot._time_window import Anchor
from idpilot.copilot._time_words import (
    MONTH_PATTERN,
    MONTHS,
    OPTIONAL_QUANTITY,
    QUANTITY,
    WEEKDAYS,
    quantity,
)
from idpilot.model.windows import TimeWindow

_CLOCK_SLACK = timedelta(hours=1)
_QUARTER_MONTHS = 3
_EDGE_OF_MONTH_DAYS = 7
_FORTNIGHT_DAYS = 14
_CHRISTMAS = (12, 24)
_NEW_YEAR_END = (1, 2)

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
_WEEKEND = re.compile(
    r"\b(?:(last|this|past)\s+|(?:over|on|at|during)\s+the\s+|(?:(?<=since )|^)the\s+)weekend\b"
)
_AGO = re.compile(r"\b" + QUANTITY + r"\s+ago\b")
# A month alone, not a month and day ("in October", not "in October 9th").
_MONTH_ALONE = r"(" + MONTH_PATTERN + r")(?:\s+((?:19|20)\d{2}))?(?!\s*\d{1,2}(?!\d))"
_IN_MONTH = re.compile(
    r"\b(?:in|during|throughout|for|over|since)\s+(?:the\s+month\s+of\s+)?" + _MONTH_ALONE
)
_MONTH_AT_START = re.compile(r"(?:the\s+month\s+of\s+)?" + _MONTH_ALONE)
_IN_YEAR = re.compile(r"\b(?:in|during|throughout|since)\s+((?:19|20)\d{2})\b(?![-/]\d)")
_YEAR_AT_START = re.compile(r"((?:19|20)\d{2})\b(?![-/]\d)")
# A named period counts after a preposition ("in Q3", "over Christmas"), not inside a name
# ("Q3 Projects", "Christmas Party").
_PERIOD_LEAD = (
    r"(?:(?<=\bin )|(?<=\bduring )|(?<=\bfor )|(?<=\bsince )|(?<=\bover )|(?<=\bof )|"
    r"(?<=\baround )|(?<=\bat )|(?<=\bon )|(?<=\bbefore )|(?<=\bafter )|(?<=\bthrough ))"
)
_NAMED_QUARTER = re.compile(_PERIOD_LEAD + r"\bq([1-4])(?:\s+((?:19|20)\d{2}))?\b")
_CHRISTMAS_WORDS = re.compile(_PERIOD_LEAD + r"\b(?:christmas|xmas|new year'?s?(?:\s+eve)?)\b")
_WEEKDAY_OF_LAST_WEEK = re.compile(
    r"\b(?:(" + "|".join(WEEKDAYS) + r")\s+(?:of\s+)?last\s+week"
    r"|last\s+week(?:\s+on)?\s+(" + "|".join(WEEKDAYS) + r"))\b"
)


def find_span(text: str, ctx: Anchor, at_start: bool = False) -> TimeWindow | None:
    """The first rolling or calendar span in `text`; with `at_start`, one that begins it."""
    for finder in _SPAN_FINDERS:
        window = finder(text, ctx, at_start)
        if window is not None:
            return window
    return None


def _search(pattern: re.Pattern[str], text: str, at_start: bool) -> re.Match[str] | None:
    return pattern.match(text) if at_start else pattern.search(text)


def _weekday_last_week(text: str, ctx: Anchor, at_start: bool) -> TimeWindow | None:
    """ "Tuesday last week": that weekday in the previous calendar week."""
    if not (match := _search(_WEEKDAY_OF_LAST_WEEK, text, at_start)):
        return None
    name = match.group(1) or match.group(2)
    this_monday = ctx.today - timedelta(days=ctx.today.weekday())
    day = this_monday - timedelta(days=7 - WEEKDAYS.index(name))
    return ctx.window(day, day + timedelta(days=1), match.group(0))


def _edge_of_span(text: str, ctx: Anchor, at_start: bool) -> TimeWindow | None:
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


def _calendar_last(text: str, ctx: Anchor, at_start: bool) -> TimeWindow | None:
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


def _this_span(text: str, ctx: Anchor, at_start: bool) -> TimeWindow | None:
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


def _last_n(text: str, ctx: Anchor, at_start: bool) -> TimeWindow | None:
    """ "last 7 days", "past 48h", "the last couple of weeks", "past fortnight": rolling."""
    for match in (_LAST_N.match(text),) if at_start else _LAST_N.finditer(text):
        if match is not None and (amount := quantity(match)) is not None:
            count, unit = amount
            return ctx.until_anchor(ctx.anchor - unit * count, match.group(0))
    if match := _search(_FORTNIGHT, text, at_start):
        return ctx.until_anchor(ctx.anchor - timedelta(days=_FORTNIGHT_DAYS), match.group(0))
    return None


def _next_n(text: str, ctx: Anchor, at_start: bool) -> TimeWindow | None:
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


def _ago(text: str, ctx: Anchor, at_start: bool) -> TimeWindow | None:
    """ "an hour ago" (±1 hour), "3 days ago" (that day), "2 weeks ago" (that week)..."""
    if fortnight := _search(_FORTNIGHT_AGO, text, at_start):
        day = ctx.today - timedelta(days=_FORTNIGHT_DAYS)
        return ctx.window(day, day + timedelta(days=1), fortnight.group(0))
    for match in (_AGO.match(text),) if at_start else _AGO.finditer(text):
        if match is not None and (amount := quantity(match)) is not None:
            return _ago_window(ctx, *amount, vague=match.group("vague") is not None,
                               phrase=match.group(0))  # fmt: skip
    return None


def _ago_window(ctx: Anchor, count: int, unit: timedelta, vague: bool, phrase: str) -> TimeWindow:
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


def _weekend(text: str, ctx: Anchor, at_start: bool) -> TimeWindow | None:
    """ "over the weekend": the latest Saturday 00:00 to Monday 00:00."""
    if not (match := _search(_WEEKEND, text, at_start)):
        return None
    saturday = ctx.today - timedelta(days=(ctx.today.weekday() - 5) % 7)
    if match.group(1) in ("last", "past") and ctx.today.weekday() >= 5:
        saturday -= timedelta(days=7)
    return ctx.window(saturday, saturday + timedelta(days=2), match.group(0))


def _in_month(text: str, ctx: Anchor, at_start: bool) -> TimeWindow | None:
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


def _in_year(text: str, ctx: Anchor, at_start: bool) -> TimeWindow | None:
    """ "in 2025": that calendar year."""
    match = _YEAR_AT_START.match(text) if at_start else _IN_YEAR.search(text)
    if match is None:
        return None
    first = day_start(date(int(match.group(1)), 1, 1))
    return ctx.window(first, first.replace(year=first.year + 1), match.group(0))


def _christmas(text: str, ctx: Anchor, at_start: bool) -> TimeWindow | None:
    """ "over Christmas", "New Year": the latest 24 December to 2 January."""
    if not (match := _search(_CHRISTMAS_WORDS, text, at_start)):
        return None
    today = (ctx.today.month, ctx.today.day)
    year = ctx.today.year if today >= _CHRISTMAS else ctx.today.year - 1
    start = day_start(date(year, *_CHRISTMAS))
    stop = day_start(date(year + 1, *_NEW_YEAR_END))
    return ctx.window(start, stop, match.group(0))


def _named_quarter(text: str, ctx: Anchor, at_start: bool) -> TimeWindow | None:
    """ "in Q3": the latest third quarter that has begun, or Q3 of the year given."""
    if not (match := _search(_NAMED_QUARTER, text, at_start)):
        return None
    month = (int(match.group(1)) - 1) * _QUARTER_MONTHS + 1
    year = int(match.group(2)) if match.group(2) else ctx.today.year
    if not match.group(2) and month > ctx.today.month:
        year -= 1
    first = day_start(date(year, month, 1))
    return ctx.window(first, shift_months(first, _QUARTER_MONTHS), match.group(0))


_ORD = r"(?:st|nd|rd|th)?"
_RANGE_TO = r"\s*(?:and|to|until|till|through|thru|-|–)\s*(?:the\s+)?"
_RANGE_YEAR = r"(?:,?\s+(?P<year>(?:19|20)\d{2}))?"
_DAY_RANGE = re.compile(
    r"(?:\b(?:between|from)\s+)?(?:the\s+)?(?<![\d/.:])(?:"
    r"(?P<d1>\d{1,2})" + _ORD + r"(?:\s+(?:of\s+)?(?P<m1>" + MONTH_PATTERN + r"))?" + _RANGE_TO
    + r"(?P<d2>\d{1,2})" + _ORD + r"\s+(?:of\s+)?(?P<m2>" + MONTH_PATTERN + r")"
    r"|(?P<m3>" + MONTH_PATTERN + r")\s*(?P<d3>\d{1,2})" + _ORD + _RANGE_TO
    + r"(?:(?P<m4>" + MONTH_PATTERN + r")\s*)?(?P<d4>\d{1,2})" + _ORD + r"(?![\d:])"
    r")" + _RANGE_YEAR
)  # fmt: skip
"""Days of a month, or from a day of one month to a day of another: "between 1 and 15
November", "1-5 Nov", "1 October to 20 November 2026", "Nov 3-7"."""
_WEEK_NUMBER = re.compile(
    r"(?:\b(?:in|during|for|of|over|since|on|from)\s+(?:the\s+)?)?(?:\bcalendar\s+|\biso\s+)?"
    r"(?:\b(?:week|wk|kw|cw|w|vecka|veckan|uke|uge)\s*#?\s*|\bv\.\s*|\bv\s+(?=\d\d\b))"
    r"(\d{1,2})\b(?!\s*(?:days?|users?|times?|%|[.:]\d))"
    r"(?:,?\s+(?:of\s+)?((?:19|20)\d{2}))?"
)
"""An ISO week by its number ("in week 46", "KW 47", the Nordic "v.46", "w46"): Monday to
Monday."""
_ISO_WEEKS = 53


def _day_range(text: str, ctx: Anchor, at_start: bool) -> TimeWindow | None:
    """ "between 1 and 15 November": from the first day's start to the end of the last, in the
    latest such months that have begun (or the year given, which the last day carries)."""
    if not (match := _search(_DAY_RANGE, text, at_start)):
        return None
    if match.group("d1") is not None:
        first_day, last_day = int(match.group("d1")), int(match.group("d2"))
        last_month = MONTHS[match.group("m2").rstrip(".")]
        first_month = MONTHS[match.group("m1").rstrip(".")] if match.group("m1") else last_month
    else:
        first_day, last_day = int(match.group("d3")), int(match.group("d4"))
        first_month = MONTHS[match.group("m3").rstrip(".")]
        last_month = MONTHS[match.group("m4").rstrip(".")] if match.group("m4") else first_month
    if match.group("year"):
        last_year = int(match.group("year"))
    else:
        last_year = ctx.today.year - (first_month > ctx.today.month)
    first_year = last_year - (first_month > last_month)
    try:
        first, last = (
            date(first_year, first_month, first_day),
            date(last_year, last_month, last_day),
        )
    except ValueError:
        return None
    if last < first:
        return None
    return ctx.window(day_start(first), day_start(last) + timedelta(days=1), match.group(0).strip())


def _week_number(text: str, ctx: Anchor, at_start: bool) -> TimeWindow | None:
    """ "in week 46": that ISO week of the year given, else the latest that has begun."""
    if not (match := _search(_WEEK_NUMBER, text, at_start)):
        return None
    week = int(match.group(1))
    if not 1 <= week <= _ISO_WEEKS:
        return None
    year = int(match.group(2)) if match.group(2) else ctx.today.year
    try:
        monday = date.fromisocalendar(year, week, 1)
        if not match.group(2) and day_start(monday) > ctx.anchor:
            monday = date.fromisocalendar(year - 1, week, 1)
    except ValueError:
        return None
    start = day_start(monday)
    return ctx.window(start, start + timedelta(days=7), match.group(0))


_ORDINAL_WEEKS = {"first": 0, "1st": 0, "second": 1, "2nd": 1, "third": 2, "3rd": 2,
                  "fourth": 3, "4th": 3}  # fmt: skip
_PART_OF_MONTH = re.compile(
    r"\b(?:the\s+)?(?:(?P<week>first|1st|second|2nd|third|3rd|fourth|4th|last|final)\s+week"
    r"|(?P<half>first|second|1st|2nd)\s+half|(?P<edge>early|mid|middle of|late)(?:[-\s]+)"
    r")(?:\s+of)?\s*(?:the\s+month\s+of\s+)?" + _MONTH_ALONE
)
_EARLY_MID_LATE_DAYS = {"early": (1, 11), "mid": (11, 21), "middle of": (11, 21), "late": (21, 32)}


def _part_of_month(text: str, ctx: Anchor, at_start: bool) -> TimeWindow | None:
    """ "the first week of November" (its days 1-7; "the last week" its final 7 days), "the
    second half of October" (16 to the end), "early / mid / late November" (days 1-10, 11-20,
    21 to the end): in the latest such month, or the year given."""
    if not (match := _search(_PART_OF_MONTH, text, at_start)):
        return None
    month = MONTHS[match.group(len(match.groups()) - 1).rstrip(".")]
    given = match.group(len(match.groups()))
    year = int(given) if given else ctx.today.year - (month > ctx.today.month)
    first = day_start(date(year, month, 1))
    following = shift_months(first, 1)
    if week := match.group("week"):
        if week in ("last", "final"):
            return ctx.window(following - timedelta(days=7), following, match.group(0))
        start = first + timedelta(days=7 * _ORDINAL_WEEKS[week])
        return ctx.window(start, start + timedelta(days=7), match.group(0))
    if half := match.group("half"):
        middle = first + timedelta(days=15)
        start, end = (first, middle) if half in ("first", "1st") else (middle, following)
        return ctx.window(start, end, match.group(0))
    low, high = _EARLY_MID_LATE_DAYS[match.group("edge")]
    return ctx.window(
        first + timedelta(days=low - 1), min(first + timedelta(days=high - 1), following),
        match.group(0),
    )  # fmt: skip


_SPAN_FINDERS = (
    _day_range,
    _week_number,
    _part_of_month,
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
    _named_quarter,
    _christmas,
)
