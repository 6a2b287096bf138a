"""The window a time phrase names, and the anchor (snapshot time) every rule resolves against."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pydantic import BaseModel

from idpilot.copilot._time_days import day_start


class TimeWindow(BaseModel):
    """A half-open UTC interval [start, end) and the words it came from."""

    start: datetime
    end: datetime
    phrase: str

    def contains(self, moment: datetime) -> bool:
        """True when `moment` lies in the window."""
        return self.start <= moment < self.end


class Anchor:
    """The snapshot time and the instants every rule needs (today's midnight, just after it)."""

    def __init__(self, anchor: datetime) -> None:
        self.anchor = anchor.astimezone(UTC)
        self.today = day_start(self.anchor.date())
        self.end = self.anchor + timedelta(microseconds=1)

    def window(self, start: datetime, stop: datetime, phrase: str) -> TimeWindow:
        """[start, stop) cut at the anchor, unless it starts after the anchor."""
        if stop > self.end and start < self.end:
            stop = self.end
        return TimeWindow(start=start, end=stop, phrase=plain_words(phrase))

    def until_anchor(self, start: datetime, phrase: str) -> TimeWindow:
        """[start, anchor]."""
        return TimeWindow(start=start, end=self.end, phrase=plain_words(phrase))


def plain_words(phrase: str) -> str:
    """A phrase with single blanks and no trailing punctuation."""
    return " ".join(phrase.split()).rstrip(" .,;:")
