"""The composer with a model: it writes the direct answer and the summary; grounding decides.

The model reads the question, idpilot's template answer, its citations and the evidence, all as
quoted data (never instructions), and returns `{"direct_answer", "summary"}`. Its text is kept
only when it names no entity (id, UPN, IP, directory name), number, date or time absent from the
evidence, the template answer and the question, cites only markers the answer has, and holds no
link, image, HTML or web address. A rejected text is sent back once with the reasons; a second
rejection (or a model error) leaves the template answer as it was, and `limits` says why. A kept
text goes above the template answer, which stays as the cited details.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from idpilot.copilot.answer import Answer, published
from idpilot.copilot.grounding import plain_text, ungrounded_entities
from idpilot.copilot.inert import inert_text
from idpilot.copilot.phrasing import add_limit, link_problems
from idpilot.llm.client import ChatMessage, ChatModel, LLMError
from idpilot.llm.data import DATA_RULE, quote_data
from idpilot.llm.structured import OutputSchema
from idpilot.store import Store

MAX_DATA_CHARS = 6000
"""Evidence shown to the model, as JSON characters (a small local model has 4,096 tokens)."""
MAX_WRITTEN_CHARS = 1200
"""Longest direct answer or summary kept."""
MAX_DETAIL = 120
"""Longest reason quoted in limits or back to the model."""

WRITER_PROMPT = f"""\
You write for idpilot, a read-only copilot for Microsoft Entra ID administrators. The data \
below holds the administrator's question, idpilot's answer ("answer_markdown", with citation \
markers such as [1]) and the evidence records it cites.

Reply with one JSON object: {{"direct_answer": "...", "summary": "..."}}.
- direct_answer: one or two sentences that answer the question directly.
- summary: at most three sentences on what the evidence shows.
Use only facts in the data. Copy names, ids, numbers, dates and times exactly; never invent \
one. Put the answer's citation marker, such as [1], after the fact it supports. No links, \
images, HTML, code or web addresses.

{DATA_RULE}"""

_MARKER = re.compile(r"(?<!\\)\[(\d+)\]")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
_TIME = re.compile(r"\b\d{1,2}:\d{2}\b")


class Written(BaseModel):
    """What the model writes: the direct answer and the summary."""

    direct_answer: str
    summary: str = ""


OUTPUT = OutputSchema(name="written_answer", schema=Written.model_json_schema())
"""The schema the reply is held to where the endpoint takes one."""


@dataclass
class Evidence:
    """What the model's text is checked against: the answer's evidence, text and markers."""

    answer: Answer
    corpus: str = field(init=False)
    numbers: set[str] = field(init=False)
    markers: set[str] = field(init=False)

    def __post_init__(self) -> None:
        records = json.dumps([published(r) for r in self.answer.evidence], default=str)
        template = plain_text(self.answer.answer)
        self.corpus = "\n".join((records, template, self.answer.prompt)).lower()
        self.numbers = {_number(n) for n in _NUMBER.findall(_without_markers(self.corpus))}
        self.markers = {str(c.n) for c in self.answer.citations}


def written_problems(store: Store, text: str, evidence: Evidence) -> list[str]:
    """Why the model's text cannot stand in the answer (empty when it can)."""
    if not text.strip():
        return ["it was empty"]
    answer = evidence.answer
    problems = []
    if named := ungrounded_entities(store, text, answer.evidence, answer.prompt):
        problems.append("it named " + ", ".join(named[:3]) + " absent from the evidence")
    plain = plain_text(text)
    moments = _DATE.findall(plain) + _TIME.findall(plain)
    if absent := [moment for moment in moments if moment not in evidence.corpus]:
        problems.append("it stated a date or time absent from the evidence: " + absent[0])
    numbers = {_number(n) for n in _NUMBER.findall(_without_markers(plain))}
    if invented := sorted(numbers - evidence.numbers):
        problems.append("it stated a number absent from the evidence: " + invented[0])
    if unknown := sorted(set(_MARKER.findall(text)) - evidence.markers, key=int):
        problems.append(f"it cited [{unknown[0]}], which the answer has not")
    problems += link_problems(text)
    return problems


def compose_with_model(model: ChatModel, store: Store, answer: Answer) -> tuple[Answer, list[str]]:
    """The answer with the model's direct answer and summary above the template's details, when
    they pass the grounding check within one retry; else the template answer, with `limits`
    saying why. Also returns each rejection, for the trace."""
    evidence = Evidence(answer)
    messages = [
        ChatMessage(role="system", content=WRITER_PROMPT),
        ChatMessage(role="user", content="Write the answer from this data:\n" + _data(answer)),
    ]
    rejected: list[str] = []
    for _attempt in range(2):
        try:
            turn = model.complete(messages, output=OUTPUT)
        except LLMError as error:
            note = f"kept the template answer: the model failed: {_short(str(error))}"
            return _with_limit(answer, note), rejected
        reply = turn.text or ""
        written = _parse(reply)
        if isinstance(written, str):
            problems = [written]
        else:
            text = f"{written.direct_answer}\n\n{written.summary}"
            problems = written_problems(store, text, evidence)
            if not problems:
                return _written_answer(answer, written), rejected
        reason = "; ".join(problems)
        rejected.append(f"the model's answer: {_short(reason)}")
        messages += [
            ChatMessage(role="assistant", content=reply),
            ChatMessage(
                role="user",
                content=f"Rejected: {_short(reason)}. Write it again from the data only, "
                "as the same JSON object.",
            ),
        ]
    note = f"kept the template answer: the model's answer was rejected twice ({rejected[-1]})"
    return _with_limit(answer, note), rejected


def _data(answer: Answer) -> str:
    """The question, the template answer, its citations and as much evidence as fits."""
    data: dict[str, Any] = {
        "question": answer.prompt,
        "answer_markdown": answer.answer,
        "citations": [{"n": c.n, "kind": c.kind, "label": c.label} for c in answer.citations],
        "evidence": [],
    }
    used = len(json.dumps(data, default=str))
    for record in answer.evidence:
        shown = published(record)
        used += len(json.dumps(shown, default=str))
        if used > MAX_DATA_CHARS:
            data["evidence_not_shown"] = len(answer.evidence) - len(data["evidence"])
            break
        data["evidence"].append(shown)
    return quote_data(data)


def _parse(reply: str) -> Written | str:
    """The reply as a Written, or why it is not one."""
    start, end = reply.find("{"), reply.rfind("}")
    if start == -1 or end < start:
        return "it was not the JSON object asked for"
    try:
        return Written.model_validate_json(reply[start : end + 1])
    except ValidationError:
        return "it was not the JSON object asked for"


def _written_answer(answer: Answer, written: Written) -> Answer:
    parts = [_paragraph(written.direct_answer), _paragraph(written.summary), answer.answer]
    body = "\n\n".join(part for part in parts if part.strip())
    return answer.model_copy(update={"answer": body.rstrip() + "\n"})


def _paragraph(text: str) -> str:
    """The model's text on one line, invisible characters shown, at most MAX_WRITTEN_CHARS."""
    return inert_text(text)[:MAX_WRITTEN_CHARS]


def _with_limit(answer: Answer, note: str) -> Answer:
    return answer.model_copy(update={"limits": add_limit(answer.limits, note)})


def _without_markers(text: str) -> str:
    return _MARKER.sub(" ", text)


def _number(text: str) -> str:
    """A number as compared: leading zeros and a trailing `.0` dropped ("03" is "3")."""
    whole, _, fraction = text.partition(".")
    fraction = fraction.rstrip("0")
    return (whole.lstrip("0") or "0") + (f".{fraction}" if fraction else "")


def _short(text: str) -> str:
    return text if len(text) <= MAX_DETAIL else text[: MAX_DETAIL - 1] + "…"
