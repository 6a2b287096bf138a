"""The anchor (snapshot time) every time-phrase rule resolves against, and the windows it cuts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from idpilot.copilot._time_days import day_start
from idpilot.model.windows import TimeWindow


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
