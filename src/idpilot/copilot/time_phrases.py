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
* **European forms**: "17.11." and "3.11.2026" are day then month (not after "version"); "at
  14.30" and "kl. 08.55" are clock times.
* **"11/9"** is ambiguous (9 November in the US, 11 September in most of the world). Both
  readings are tried and the one that falls most recently on or before the anchor wins, since a
  question about logs asks about the past; a part over 12 decides it ("13/11", "11/13").
* **Day parts**: morning 06-12 ("early morning", "early Tuesday morning" 00-09), afternoon
  12-18, evening 18-24, night 00-06; "lunchtime" 12-14,
  "after lunch" 12-18, "before lunch" 06-12. "this morning" keeps its earlier meaning, midnight
  to noon ("3 this morning" is 03:00); "<day> night", "at night on <day>", "the night of the
  13th" and "last night" run from 18:00 that day to 06:00 the next, as English uses them;
  "early in the morning" is 00-09. Several parts widen one window: "Tuesday morning ... it
  worked after lunch" is Tuesday 06-18.
* **Clock times**: "at/around 3pm", "15:00", "11 at night" (23:00; "1 at night" 01:00), "3 in
  the afternoon" mean that time ±1 hour; "between 2 and 4pm",
  "from 9 to 11am", "2-4pm" the range; "before 9am"/"after 5pm" the rest of that day. A clock
  time with no day is the latest such time that has begun by the anchor.
* **Spans**: "last/past N minutes|hours|days|weeks|months" ("48h", "24 hrs", "the last couple of
  weeks", "past fortnight") are rolling, ending at the anchor; a month counts 30 days, a year
  365. "last week" is the previous calendar week (Monday 00:00 to Monday 00:00); "last month"
  the previous calendar month; "this week/month/year" run from its start to the anchor; "last
  quarter"/"this quarter" are calendar quarters ("Q3": the latest begun); "in October" the
  latest October, "in 2025" that year. "start/end of last week" are Monday-Thursday /
  Thursday-Monday, "start/end of last month" its first / last 7 days. "over the weekend" is
  the latest Saturday 00:00 to Monday 00:00 ("last weekend" on a Saturday or Sunday is the one
  before). "Christmas" / "New Year" is 24 December to 2 January. "The first (second, third,
  fourth) week of November" is its days 1-7 (8-14, ...), "week 46" ("KW 46", the Nordic
  "v.46" / "vecka 46", "w46") that ISO week, "the last week of October" its final 7
  days; "the first / second half of" a month is days 1-15 / 16 to the end; "early / mid / late
  November" days 1-10 / 11-20 / 21 to the end (the latest such month, or the year given).
* **Named days**: "patch Tuesday" is the second Tuesday of the month (the latest on or before
  the anchor's day); "the last/previous business (working) day" the latest Monday to Friday
  before it. An event named before its day counts from that day: "since the outage on Monday",
  "since the holiday on the 11th".
* **Half days**: "sun am" / "Tuesday p.m." are that day before / after noon.
* **Ago**: "an hour ago", "30 minutes ago" are ±1 hour around that moment; "3 days ago" that
  day; "2 weeks ago" that calendar week; "2 months ago" that calendar month; "a couple/few
  days ago" the days around that.
* **Ranges**: "since X" runs from the start of X to the anchor ("since the 10th", "since Tuesday
  morning", "since last month", "since October"); "between X and Y" / "from X to Y" from the
  start of day X to the end of day Y; "after X" (a named day) from the end of X to the
  anchor; "since two weeks" (as some write "for two weeks") the two weeks up to the anchor.
  "in the next N days" is the N days after the anchor.
* **Not resolved**: "over the holidays" without a day (which holidays depends on the country,
  and the store knows none), an event with no day ("since the migration"), recurring times
  ("outside business hours", "after hours", "on weekends", "every Monday"), "recently",
  "lately", "the other day": no window from them;
  `unresolved_time_phrase` names the conditions among them so an answer can say it could not
  apply them.
"""

from __future__ import annotations

import itertools
import re
from datetime import UTC, datetime, timedelta

from idpilot.copilot._time_days import (
    DAY,
    DayRef,
    Part,
    day_start,
    find_days,
    find_parts,
    resolve_day,
)
from idpilot.copilot._time_spans import find_span
from idpilot.copilot._time_window import Anchor
from idpilot.copilot._time_words import QUANTITY, normalise_time_words, quantity
from idpilot.model.windows import TimeWindow

__all__ = ["TimeWindow", "parse_time_window", "unresolved_time_phrase"]

_SINCE_LOOKAHEAD = 80
_MAX_RANGE_TRIES = 8  # "since" / "between" read at most this often: input stays linear

_SINCE = re.compile(r"\bsince\s+")
_AFTER = re.compile(r"\b(?:after|later than)\s+")
_JOINER = re.compile(r"\s*(?:,|on|at|around|about|in the|of|and|or|to)?\s*")
_EVENT_ON = re.compile(r"(?:the\s+)?(?:[a-z][\w-]*\s+){1,3}?(?:on|of|last)\s+")
"""An event named before its day: "since the outage on Monday", "since the holiday on the 11th"."""
_SINCE_AGO = re.compile(QUANTITY + r"(?:\s+ago\b|(?=\s*(?:$|[,.;?!]|\s+(?:now|already))))")
"""'since 3 days ago', and 'since two weeks' as some write 'for two weeks' (up to now)."""
_BETWEEN_DAYS = re.compile(
    r"\b(?:between|from)\s+(" + DAY + r")\s+(?:and|to|until|till|through|thru|-)\s+(" + DAY + r")"
)
# Time conditions no single window expresses: holidays (whose?), recurring hours and days.
_UNRESOLVED = re.compile(
    r"\b(?:over|during|before|after|since|around)\s+the\s+(?:\w+\s+)?(?:holidays|holiday season"
    r"|break|vacation)\b|\b(?:outside|out\s+of|during|in|within)\s+(?:of\s+)?(?:normal\s+|the\s+)?"
    r"(?:business|working|office|work|core)\s+hours\b|\bafter[-\s]hours\b|\bout[-\s]of[-\s]hours\b"
    r"|\b(?:on|at|during|over)\s+weekends\b|\b(?:every|each)\s+(?:night|morning|afternoon|evening"
    r"|day|weekend|week|month|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b"
)


def parse_time_window(prompt: str, anchor: datetime) -> TimeWindow | None:
    """The time window a prompt speaks of, relative to `anchor` (the snapshot time), or None.

    The module docstring lists every phrase and how it resolves. Explicit ranges ("between",
    "since") win over spans ("last 7 days", "last week"), which win over days and parts of days
    ("Tuesday morning"); several days or parts widen one window. A weekday name means the
    latest such day on or before the anchor's day; all times are UTC.
    """
    text = _MEETING.sub(" ", normalise_time_words(prompt.lower()))
    ctx = Anchor(anchor)
    if (window := _between(text, ctx)) is not None:
        return window
    if (window := _since(text, ctx)) is not None:
        return window
    if (window := _after(text, ctx)) is not None:
        return window
    if (window := find_span(text, ctx)) is not None:
        return window
    return _days_and_parts(text, ctx)


_MEETING = re.compile(
    r"\b(?:for|before|ahead\s+of|in)\s+(?:my|the|our|a|tomorrow['’]?s|today['’]?s|"
    r"this\s+(?:morning|afternoon|evening)['’]?s|(?:mon|tues|wednes|thurs|fri)day['’]?s)\s+"
    r"(?:(?:\d{1,2}(?::\d{2})?\s*(?:am|pm)?|exec(?:utive)?|board|team|weekly|daily|morning|"
    r"afternoon|ciso|management|leadership|security|steering)\s+)?"
    r"(?:meeting|call|standup|stand-up|sync|briefing|review|1:1|catch-?up)\b"
    r"|\b(?:for|before)\s+(?:my|the|our)\s+\d{1,2}(?::\d{2})?\s*(?:am|pm)\b"
)
"""When the answer is needed ("for my 9am", "for the 2pm meeting", "for tomorrow's meeting"),
not a time the question asks about."""

_SINCE_EVENT = re.compile(r"\bsince\s+(?:the|our|that|this)\s+(?:[a-z][\w-]*\s+){0,2}[a-z][\w-]*")
"""Since an event the store cannot date ("since the migration", "since our last audit")."""
_NO_ANCHOR = datetime(2000, 1, 3, tzinfo=UTC)
"""Any moment: whether words name a day does not depend on when they are read."""


def unresolved_time_phrase(prompt: str) -> str | None:
    """A time condition no rule turns into a window ("over the holidays"), or None."""
    lower = prompt.lower()
    event = _SINCE_EVENT.search(lower)
    if event is not None:
        clause = re.split(r"[,.;:?!]", lower[event.start() : event.start() + _SINCE_LOOKAHEAD])[0]
        if parse_time_window(clause, _NO_ANCHOR) is None:
            return " ".join(event.group(0).split())
    match = _UNRESOLVED.search(lower)
    if (
        match is None
        or find_days(lower[match.end() :], _NO_ANCHOR, at_start=True)
        or (
            (dated := re.match(r"\s+(?:on|of)\s+", lower[match.end() :]))
            and find_days(lower[match.end() + dated.end() :], _NO_ANCHOR, at_start=True)
        )
    ):
        return None
    source = prompt if len(lower) == len(prompt) else lower
    return " ".join(source[match.start() : match.end()].split())


def _between(text: str, ctx: Anchor) -> TimeWindow | None:
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


def _since(text: str, ctx: Anchor) -> TimeWindow | None:
    """ "since X": from the start of whatever X names to the anchor."""
    for match in itertools.islice(_SINCE.finditer(text), _MAX_RANGE_TRIES):
        rest = text[match.end() : match.end() + _SINCE_LOOKAHEAD]
        if (ago := _SINCE_AGO.match(rest)) and (amount := quantity(ago)):
            count, unit = amount
            return ctx.until_anchor(ctx.anchor - unit * count, f"since {ago.group(0)}")
        window = find_span(rest, ctx, at_start=True) or _days_and_parts(rest, ctx, at_start=True)
        if window is None and (event := _EVENT_ON.match(rest)):
            days = find_days(rest[event.end() :], ctx.today, at_start=True)
            if days:
                day = days[0]
                phrase = rest[: event.end()] + day.words
                return ctx.until_anchor(day_start(day.day), f"since {phrase}")
        if window is not None:
            return ctx.until_anchor(window.start, f"since {window.phrase}")
    return None


def _after(text: str, ctx: Anchor) -> TimeWindow | None:
    """ "after the 5th", "after Monday": from the end of that day to the anchor. Only a named
    day counts ("it worked after lunch" names a moment of the day the prompt is about)."""
    for match in itertools.islice(_AFTER.finditer(text), _MAX_RANGE_TRIES):
        rest = text[match.end() : match.end() + _SINCE_LOOKAHEAD]
        days = find_days(rest, ctx.today, at_start=True)
        if days and (start := day_start(days[0].day) + timedelta(days=1)) < ctx.anchor:
            return ctx.until_anchor(start, f"after {days[0].words}")
    return None


def _days_and_parts(text: str, ctx: Anchor, at_start: bool = False) -> TimeWindow | None:
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


def _days_window(text: str, days: list[DayRef], parts: list[Part], ctx: Anchor) -> TimeWindow:
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


def _parts_only(text: str, parts: list[Part], ctx: Anchor) -> TimeWindow:
    """Parts of a day with no day named: the latest such part that has begun by the anchor."""
    lead = min(p.start for p in parts)
    tail = max(p.end for p in parts)
    day = ctx.today if ctx.today + lead <= ctx.anchor else ctx.today - timedelta(days=1)
    return ctx.window(day + lead, day + tail, _phrase(text, list(parts)))
