"""The words of time phrases: months, weekdays, number words, span units and quantities."""

from __future__ import annotations

import re
from datetime import timedelta

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
