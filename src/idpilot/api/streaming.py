"""An answer as server-sent events, as the engine composes it.

Events, in order: `plan` (the skills about to run), one `skill` per skill that ran, `evidence`
(the cited records and the citations), `text` chunks of the answer's markdown (a paragraph
each; joined they are the answer), and `answer` (the whole Answer). A refused prompt or a
failure ends the stream with one `error` event in the API's error shape. Every `data` line is
compact JSON with invisible characters \\u-escaped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from fastapi.sse import ServerSentEvent

from idpilot.api.responses import json_text
from idpilot.copilot.answer import Answer, published
from idpilot.copilot.progress import Planned, SkillRan

_PARAGRAPH_END = re.compile(r"(?<=\n\n)")


def event(name: str, data: Any) -> ServerSentEvent:
    """One event whose data is `data` as inert JSON."""
    return ServerSentEvent(event=name, raw_data=json_text(data))


def text_chunks(markdown: str) -> list[str]:
    """The answer's markdown in paragraphs, each with the blank line that ends it."""
    return [chunk for chunk in _PARAGRAPH_END.split(markdown) if chunk]


def step_events(step: Planned | SkillRan | Answer) -> Iterator[ServerSentEvent]:
    """The events one step of the engine gives: `plan`, `skill`, or for the Answer `evidence`,
    the `text` chunks and `answer`."""
    if isinstance(step, Planned):
        yield event("plan", step)
    elif isinstance(step, SkillRan):
        yield event("skill", step)
    else:
        yield event(
            "evidence",
            {
                "evidence": [published(record) for record in step.evidence],
                "citations": [c.model_dump() for c in step.citations],
            },
        )
        for chunk in text_chunks(step.answer):
            yield event("text", {"text": chunk})
        yield ServerSentEvent(event="answer", raw_data=step.to_json(indent=None))
