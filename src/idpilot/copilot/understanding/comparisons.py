"""Two periods compared in one question ("were more users flagged risky this week than last
week?", "failures today vs yesterday"): the question is asked of each period, one part each."""

from __future__ import annotations

import re
from datetime import datetime

from idpilot.copilot.time_phrases import TimeWindow, parse_time_window

_COMPARED = re.compile(
    r"^(?P<first>.*?)\b(?:than|vs\.?|versus|compared\s+(?:to|with)|against)\s+(?P<second>.+)$",
    re.I | re.S,
)


def compared_windows(prompt: str, anchor: datetime) -> tuple[TimeWindow, TimeWindow] | None:
    """The two periods a comparison sets side by side, in the order said; None when the prompt
    compares no two periods (or one side names none)."""
    said = _COMPARED.search(prompt)
    if said is None:
        return None
    first = parse_time_window(said.group("first"), anchor)
    second = parse_time_window(said.group("second"), anchor)
    if first is None or second is None or (first.start, first.end) == (second.start, second.end):
        return None
    return first, second
