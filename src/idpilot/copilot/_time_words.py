"""The words of time phrases: months, weekdays, number words, span units and quantities."""

from __future__ import annotations

import re
from datetime import timedelta

from idpilot.copilot._edit_distance import edit_distance

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12,
    "dec": 12,
}  # fmt: skip
MONTH_PATTERN = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\b\.?"
WEEKDAY_PATTERN = r"(?:" + "|".join(WEEKDAYS) + r")\b"

NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "forty-five": 45, "fifty": 50,
    "sixty": 60, "ninety": 90, "hundred": 100,
}  # fmt: skip
VAGUE_NUMBERS = {"couple": 2, "few": 3}
_NUMBER_WORD_PATTERN = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))

_UNITS = {
    "minute": timedelta(minutes=1),
    "hour": timedelta(hours=1),
    "day": timedelta(days=1),
    "week": timedelta(weeks=1),
    "month": timedelta(days=30),
    "year": timedelta(days=365),
}
# Abbreviations count only right after digits ("48h", "24 hrs", "7d"): "a d" is not a day.
_ABBREVIATIONS = {
    "min": "minute", "mins": "minute", "h": "hour", "hr": "hour", "hrs": "hour", "d": "day",
    "wk": "week", "wks": "week", "yr": "year", "yrs": "year",
}  # fmt: skip
_UNIT_ALTERNATION = (
    r"(?:minutes?|hours?|days?|weeks?|months?|years?|"
    + "|".join(sorted(_ABBREVIATIONS, key=len, reverse=True))
    + r")"
)
QUANTITY = (
    r"(?:(?P<n>\d{1,4}|" + _NUMBER_WORD_PATTERN + r")\s*"
    r"|(?:a\s+)?(?P<vague>couple|few)\s+(?:of\s+)?)"
    r"(?P<unit>" + _UNIT_ALTERNATION + r")\b"
)
OPTIONAL_QUANTITY = (
    r"(?:(?P<n>\d{1,4}|" + _NUMBER_WORD_PATTERN + r")\s*"
    r"|(?:a\s+)?(?P<vague>couple|few)\s+(?:of\s+)?)?"
    r"(?P<unit>" + _UNIT_ALTERNATION + r")\b"
)
_DIGITS = re.compile(r"\d+")


def unit_of(word: str) -> timedelta:
    """The length of one `word` ("hours", "hrs", "d"); a month counts 30 days, a year 365."""
    word = _ABBREVIATIONS.get(word, word)
    return _UNITS[word.removesuffix("s")]


def quantity(match: re.Match[str]) -> tuple[int, timedelta] | None:
    """How many of which unit a QUANTITY match says, or None when it is not one.

    "a d" or "two h" are not quantities: abbreviations follow digits only.
    """
    count_text, vague, unit = match.group("n"), match.group("vague"), match.group("unit")
    if unit in _ABBREVIATIONS and not (count_text and _DIGITS.fullmatch(count_text)):
        return None
    if count_text and not _DIGITS.fullmatch(count_text) and not _spaced(match):
        return None
    if vague:
        return VAGUE_NUMBERS[vague], unit_of(unit)
    if not count_text:
        return 1, unit_of(unit)
    count = int(count_text) if count_text.isdigit() else NUMBER_WORDS[count_text]
    return count, unit_of(unit)


def _spaced(match: re.Match[str]) -> bool:
    """A number word is followed by a blank before its unit ("two days", not "twodays")."""
    return match.end("n") < match.start("unit")


_ABBREVIATED_DAYS = {
    "tue": "tuesday", "tues": "tuesday", "wed": "wednesday", "weds": "wednesday",
    "thu": "thursday", "thur": "thursday", "thurs": "thursday", "fri": "friday",
}  # fmt: skip
# "mon", "sat" and "sun" are words too: days only after "on"/"last"/"since"... or before a date
# or a part of the day ("Sat 14 Nov", "sun morning").
_RISKY_ABBREVIATIONS = {"mon": "monday", "sat": "saturday", "sun": "sunday"}
_ABBREVIATION = re.compile(r"\b(" + "|".join(_ABBREVIATED_DAYS) + r")\b\.?")
_RISKY_ABBREVIATION = re.compile(
    r"(?:(?<=\bon )|(?<=\blast )|(?<=\bsince )|(?<=\bthis )|(?<=\bfrom )|(?<=\buntil )|"
    r"(?<=\band ))\b(mon|sat|sun)\b\.?|\b(mon|sat|sun)\b\.?(?=,?\s+(?:\d|morning|afternoon|"
    r"evening|night|lunch|a\.?m\b|p\.?m\b))"
)
# "sun am", "tuesday p.m.": the hours of a weekday before noon, or after it.
_WEEKDAY_AM_PM = re.compile(
    r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\s+(a|p)\.?m\b\.?"
)
_AM_PM_PARTS = {"a": "before 12pm", "p": "after 12pm"}
# Misspelt day and month names ("wendesday", "thrusday", "yesterady", "novmber"): corrected
# when one edit away (two for names of 8 letters or more) and starting with the same letters.
_TYPO_TARGETS = (
    *WEEKDAYS, "yesterday", "january", "february", "september", "october", "november",
    "december", "afternoon", "evening", "fortnight",
)  # fmt: skip
_LONG_NAME = 8
_PREFIX = 2
_TYPO_CANDIDATE = re.compile(r"\b[a-z]{5,12}\b")
_TYPO_PREFIXES = frozenset(target[:_PREFIX] for target in _TYPO_TARGETS)
_EXACT = frozenset(_TYPO_TARGETS) | frozenset(t + "s" for t in _TYPO_TARGETS)


def _corrected(match: re.Match[str]) -> str:
    word = match.group(0)
    if word in _EXACT or word[:_PREFIX] not in _TYPO_PREFIXES:
        return word
    for target in _TYPO_TARGETS:
        if target[:_PREFIX] != word[:_PREFIX]:
            continue
        limit = 2 if len(target) >= _LONG_NAME and len(word) >= _LONG_NAME - 1 else 1
        if edit_distance(word, target, limit) <= limit:
            return target
    return word


_DOTTED_CLOCK = re.compile(
    r"\b(at|around|about|approx\.?|approximately|by|before|after|until|till|kl\.?|klockan|"
    r"klokka|um)\s+([01]?\d|2[0-3])\.([0-5]\d)\b(?!\.\d)"
)
"""A time written with a dot, as much of Europe writes it ("at 14.30", "kl. 08.55"), after a
word that says it is a time (alone, "14.30" may be a number)."""


_DOTTED_DATE = re.compile(
    r"(?<![\d.])(0?[1-9]|[12]\d|3[01])\.(0?[1-9]|1[0-2])\.(?:((?:19|20)\d\d)\b)?(?![\d.])"
)
"""A date written day first with dots, as much of Europe writes it ("17.11.", "3.11.2026")."""
_MONTH_WORDS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)  # fmt: skip


_VERSION_BEFORE = re.compile(r"\b(?:version|ver|v|build|release|rev|revision)\.?\s*$")


def _dotted_date(found: re.Match[str]) -> str:
    if _VERSION_BEFORE.search(found.string[: found.start()]):
        return found.group(0)  # "version 1.2." is no date
    day, month, year = found.groups()
    written = f"{int(day)} {_MONTH_WORDS[int(month) - 1]}"
    return f"{written} {year}" if year else written


def normalise_time_words(text: str) -> str:
    """Lower-case `text` with abbreviated and misspelt day and month names written out, a time
    written with a dot ("at 14.30") written with a colon, and a date written with dots ("17.11.")
    written with its month's name."""
    text = _DOTTED_CLOCK.sub(lambda m: f"{m.group(1)} {m.group(2)}:{m.group(3)}", text)
    text = _DOTTED_DATE.sub(_dotted_date, text)
    text = _ABBREVIATION.sub(lambda m: _ABBREVIATED_DAYS[m.group(1)], text)
    text = _RISKY_ABBREVIATION.sub(lambda m: _RISKY_ABBREVIATIONS[m.group(1) or m.group(2)], text)
    text = _TYPO_CANDIDATE.sub(_corrected, text)
    return _WEEKDAY_AM_PM.sub(lambda m: f"{m.group(1)} {_AM_PM_PARTS[m.group(2)]}", text)
