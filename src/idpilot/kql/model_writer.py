"""A model writes the KQL for a question; the local translator checks it and feeds errors back.

The model is shown the tables (`schema_refiner`: columns, types, values, JSON fields), the
nearest examples of the shipped library (`few_shot`) and, when the offline builder wrote a query
that leaves parts of the question out, that query to extend (a small model that writes from
scratch loses what the builder got right); it replies with a query and the parts of the
question it could not express. The query runs read-only through `adapter.run_kql` (parser,
guard, sandbox): a parse or execution error goes back to the model, at most `REPAIR_ROUNDS`
times. A query the guard refuses (a management command, a file, URL or setting) ends the loop
at once: it is never repaired into something else. When no model query runs, the offline
builder's query is used if there is one, else the answer refuses and says why. Nothing is shown
that has not run locally.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from pydantic import BaseModel, Field, ValidationError

from idpilot.kql.adapter import KqlResult, run_kql
from idpilot.kql.errors import KqlErrorKind, KqlQueryError
from idpilot.kql.few_shot import LARGE_COUNT, SMALL_COUNT, FewShotExample, choose_examples
from idpilot.kql.question import KqlQuestion
from idpilot.kql.schema_refiner import refine_schema, schema_text
from idpilot.llm.client import ChatMessage, ChatModel, LLMError, small_context
from idpilot.llm.structured import OutputSchema
from idpilot.store import Store

REPAIR_ROUNDS = 2
"""Times a query that failed locally goes back to the model with the error."""
ROWS_READ = 5000
MAX_ERROR_CHARS = 600
"""Longest translator error fed back to the model."""
_REFUSED_KINDS = frozenset({KqlErrorKind.read_only, KqlErrorKind.refused})
"""Errors of a query that tried to do more than read: not repaired."""
_FENCED = re.compile(r"```(?:kql|kusto)?\s*\n(?P<body>.*?)```", re.DOTALL | re.IGNORECASE)
_JSON_OBJECT = re.compile(r"\{.*\}", re.DOTALL)
_AGAIN = 'Reply with the corrected JSON only: {"query": "...", "unexpressed": [...]}.'
_EXTEND = """A query written offline answers part of this question:
{query}
It leaves out: {left_out}.
Reply with that query extended to express what it leaves out, or unchanged when the tables \
cannot express it (then list it in unexpressed)."""

SYSTEM_PROMPT = """You write one read-only KQL query (Microsoft Sentinel / Log Analytics) that \
answers the admin's question over the tables below, and nothing else.
Rules: use only these tables and columns; ResultType is text ("0" is success, other codes are \
failures); now() and ago() are the snapshot's time; read dynamic fields with tostring(), and \
parse_json() a column marked JSON text; keep the Id column when listing records; never write \
management commands (.set, .drop), externaldata or anything that reads files or URLs.
Reply with JSON only: {"query": "<KQL>", "unexpressed": ["<part of the question the query \
cannot express>", ...]} (unexpressed is [] when the query answers all of it).
Tables:
"""


class KqlDraft(BaseModel):
    """What the model replies: the query and the parts of the question it leaves out."""

    query: str = Field(description="One KQL query over the tables shown.")
    unexpressed: list[str] = Field(
        default_factory=list, description="Parts of the question the query cannot express."
    )


OUTPUT = OutputSchema("kql_query", KqlDraft.model_json_schema())


class Source(StrEnum):
    """Who wrote the query an answer shows."""

    model = "model"
    builder = "builder"
    none = "none"


@dataclass
class Attempt:
    """One query the model wrote and what the local translator said of it."""

    query: str | None
    error: str | None = None


@dataclass
class WrittenKql:
    """The query to show (None: refused), who wrote it, its result, and what went wrong."""

    query: str | None
    source: Source
    result: KqlResult | None = None
    unexpressed: list[str] = field(default_factory=list)
    attempts: list[Attempt] = field(default_factory=list)
    refusal: str | None = None
    note: str | None = None
    """Why the model's query is not the one shown (it failed, or the guard refused it)."""

    @property
    def repairs(self) -> int:
        """Rounds in which an error went back to the model."""
        return max(len(self.attempts) - 1, 0)


def needs_model(question: KqlQuestion) -> bool:
    """The offline builder cannot express the whole question: it refuses it or leaves parts
    out (then, with a model configured, the model writes the query)."""
    return question.refusal is not None or bool(question.unexpressed)


def write_kql(
    model: ChatModel,
    store: Store,
    question: str,
    *,
    fallback: str | None = None,
    left_out: Sequence[str] = (),
    tables: list[str] | None = None,
) -> WrittenKql:
    """The KQL for `question` written by `model` and run locally, repaired at most
    `REPAIR_ROUNDS` times; else the `fallback` query (the offline builder's), else a refusal.
    When the builder wrote `fallback` but left parts out (`left_out`), the model extends it."""
    small = small_context(model)
    chosen = choose_examples(question, SMALL_COUNT if small else LARGE_COUNT)
    # The asked table first, the rest in a fixed order: requests share the schema as a prefix,
    # which a local server evaluates once and reuses (putting the examples' tables first as
    # well made nearly every prefix differ).
    first = tables or [e.table for e in chosen[:1]]
    asked = question
    if fallback is not None and left_out:
        asked += "\n\n" + _EXTEND.format(query=fallback, left_out="; ".join(left_out))
    messages = prompt_messages(store, asked, chosen, first, small)
    attempts: list[Attempt] = []
    stop: str | None = None
    for _ in range(REPAIR_ROUNDS + 1):
        try:
            turn = model.complete(messages, output=OUTPUT)
        except LLMError as error:
            stop = f"the model failed: {error}"
            break
        draft = read_draft(turn.text or "")
        if draft is None:
            attempts.append(Attempt(None, "the reply held no query"))
            messages += _feedback(turn.text or "", "Your reply held no query. " + _AGAIN)
            continue
        try:
            ran = run_kql(store, draft.query, limit=ROWS_READ)
        except KqlQueryError as error:
            attempts.append(Attempt(draft.query, str(error)))
            if error.kind in _REFUSED_KINDS:
                stop = f"the model's query was refused: {error}"
                break
            said = str(error)[:MAX_ERROR_CHARS]
            messages += _feedback(turn.text or "", f"The query failed locally: {said}\n{_AGAIN}")
            continue
        attempts.append(Attempt(draft.query))
        unexpressed = [u.strip() for u in draft.unexpressed if u.strip()]
        return WrittenKql(draft.query, Source.model, ran, unexpressed, attempts)
    note = stop or f"the model's query did not run after {REPAIR_ROUNDS} repairs"
    return _fall_back(store, fallback, attempts, note)


def prompt_messages(
    store: Store,
    question: str,
    chosen: list[FewShotExample],
    first: list[str],
    small: bool,
) -> list[ChatMessage]:
    """The system prompt with the schema, the examples as earlier turns, then the question."""
    schema = schema_text(refine_schema(store), first=list(dict.fromkeys(first)), small=small)
    messages = [ChatMessage(role="system", content=SYSTEM_PROMPT + schema)]
    for example in chosen:
        reply = KqlDraft(query=example.kql).model_dump_json()
        messages.append(ChatMessage(role="user", content=example.question))
        messages.append(ChatMessage(role="assistant", content=reply))
    messages.append(ChatMessage(role="user", content=question))
    return messages


def read_draft(text: str) -> KqlDraft | None:
    """The query a reply holds: its JSON, else a fenced KQL block (None when neither)."""
    if match := _JSON_OBJECT.search(text):
        try:
            draft = KqlDraft.model_validate_json(match.group(0))
        except ValidationError:
            draft = None
        if draft is not None and draft.query.strip():
            return draft.model_copy(update={"query": draft.query.strip()})
    if fenced := _FENCED.search(text):
        body = fenced.group("body").strip()
        return KqlDraft(query=body) if body else None
    return None


def _feedback(reply: str, message: str) -> list[ChatMessage]:
    return [
        ChatMessage(role="assistant", content=reply),
        ChatMessage(role="user", content=message),
    ]


def _fall_back(
    store: Store, fallback: str | None, attempts: list[Attempt], note: str
) -> WrittenKql:
    """The builder's query when there is one and it runs; else an honest refusal."""
    if fallback is not None:
        try:
            ran = run_kql(store, fallback, limit=ROWS_READ)
        except KqlQueryError as error:
            note += f"; the offline query failed too: {error}"
        else:
            return WrittenKql(fallback, Source.builder, ran, attempts=attempts, note=note)
    return WrittenKql(None, Source.none, attempts=attempts, refusal=note, note=note)
