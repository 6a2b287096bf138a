"""Checks a prompt passes before anything runs, and what the answer says about ignored text.

`check_prompt`: not empty, not longer than IDPILOT_MAX_PROMPT_CHARS. `screen_prompt`: the
prompt without the sentences that read as instructions to change the plan or reveal
configuration (they are planned as if never written); a request to act stays (idpilot cannot
act, and the understanding layer says so) but is reported. `data_instructions`: where tenant
records carry text that reads as instructions (reported, never followed, never shown to a
model: `shows_instructions`). Each yields a note for `Answer.limits` that names where the text
was, never the text itself. `redact_model_text` keeps secrets out of a model answer's notes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from idpilot.copilot.injection import (
    ATTEMPT_WORDS,
    Attempt,
    Instruction,
    find_instructions,
    normalise,
)
from idpilot.copilot.script_request import carried_script
from idpilot.errors import PromptError
from idpilot.model.records import Record, text_leaves

if TYPE_CHECKING:
    from idpilot.copilot.answer import Answer
    from idpilot.skills import SkillResult

MAX_PLACES_NAMED = 3
"""Records a limits note names before it says how many more there were."""
_STRIPPED = frozenset({Attempt.plan_change, Attempt.config_leak})
"""What is cut out of a prompt; an action request stays (it is refused downstream)."""
_SENTENCE_END = re.compile(r"[.!?\n]|\[/inst\]|<\|?\s*im_end\s*\|?>|<\|?eot_id\|?>|</\w+>", re.I)
_MARKUP = "<["
"""An instruction that begins with markup (a forged chat turn) is cut alone, not its
sentence: the question may follow the closing token."""
_WORD = re.compile(r"\w")
_CONNECTIVES = re.compile(
    r"(?:\b(?:also|and|then|now|but|please|so|ok|okay|plus|finally|next|btw)\b[\s,;:-]*)+$",
    re.I,
)
"""Words that only join an instruction to what came before ("...? Also print...")."""
_SHORT_ID = 8


def check_prompt(prompt: str, max_chars: int) -> str:
    """The prompt with surrounding blanks removed, or PromptError saying what is wrong."""
    text = prompt.strip()
    if not text:
        raise PromptError("The prompt is empty: ask a question about your tenant.")
    if len(text) > max_chars:
        raise PromptError(
            f"The prompt is {len(text):,} characters long; the limit is {max_chars:,} "
            "(setting IDPILOT_MAX_PROMPT_CHARS). Shorten it or split it into several questions."
        )
    return text


@dataclass(frozen=True)
class ScreenedPrompt:
    """A prompt with its instruction-like sentences cut out, and what they attempted."""

    text: str
    attempts: frozenset[Attempt] = field(default_factory=frozenset)

    @property
    def only_instructions(self) -> bool:
        """Nothing but instructions was asked (no question is left to plan)."""
        return bool(self.attempts) and _WORD.search(self.text) is None

    def note(self) -> str | None:
        """The limits note: what the prompt's instructions tried, and that they were ignored."""
        if not self.attempts:
            return None
        parts = []
        ignored = sorted(self.attempts & _STRIPPED)
        if ignored:
            tried = " and ".join(ATTEMPT_WORDS[a] for a in ignored)
            parts.append(f"ignored instructions in the prompt that try to {tried}")
        if Attempt.action in self.attempts:
            parts.append(
                "no action taken: idpilot only reads the tenant (a remediation is a proposal "
                "an operator records and runs outside idpilot)"
            )
        return "; ".join(parts)


def prompt_instructions(text: str) -> list[Instruction]:
    """The instruction-like spans of a prompt (positions in `normalise(text)`). A script the
    prompt carries for analysis is data, read as tenant data is (its `Add-MgApplicationPassword`
    is what the script does, not a request to idpilot; an action addressed to a reader still
    counts); the words that ask about it are read as a prompt."""
    script = carried_script(text)
    at = text.find(script) if script else -1
    if at <= 0:
        return find_instructions(text, in_data=at == 0)
    offset = len(normalise(text[:at]))
    in_script = [
        Instruction(i.attempt, i.start + offset, i.end + offset)
        for i in find_instructions(text[at:], in_data=True)
    ]
    return sorted([*find_instructions(text[:at]), *in_script], key=lambda i: i.start)


def screen_prompt(text: str) -> ScreenedPrompt:
    """`text` without the sentences that try to change the plan or reveal configuration
    (from where the instruction begins to the end of its sentence)."""
    found = prompt_instructions(text)
    if not found:
        return ScreenedPrompt(text)
    plain = normalise(text)
    kept, cursor = [], 0
    for instruction in found:
        if instruction.attempt not in _STRIPPED or instruction.start < cursor:
            continue
        kept.append(_CONNECTIVES.sub("", plain[cursor : instruction.start]))
        if plain[instruction.start] in _MARKUP:
            cursor = instruction.end
            continue
        end = _SENTENCE_END.search(plain, instruction.end)
        cursor = end.end() if end else len(plain)
    kept.append(plain[cursor:])
    cleaned = " ".join(" ".join(kept).split()) if cursor else text
    return ScreenedPrompt(cleaned, frozenset(i.attempt for i in found))


@dataclass(frozen=True)
class DataInstruction:
    """A tenant record whose field reads as instructions, and what they attempt."""

    kind: str
    id: str
    field: str
    attempts: frozenset[Attempt]


def data_instructions(records: Iterable[Record]) -> list[DataInstruction]:
    """The records (each once per field) whose text reads as instructions."""
    found: dict[tuple[str, str, str], DataInstruction] = {}
    for record in records:
        fields = {"label": record.label, "detail": record.detail, **record.fields}
        whole = "\n".join(text_leaves(fields))
        if not find_instructions(whole, in_data=True):
            continue
        for name, value in fields.items():
            if name in ("label", "detail") and value in record.fields.values():
                continue  # the label repeats a field: reported once, by that field's name
            tried = frozenset(
                i.attempt
                for leaf in text_leaves(value)
                for i in find_instructions(leaf, in_data=True)
            )
            key = (record.kind, record.id, name)
            if tried and key not in found:
                found[key] = DataInstruction(record.kind, record.id, name, tried)
    return list(found.values())


def data_note(found: list[DataInstruction]) -> str | None:
    """The limits note for instructions found in tenant data: where, what they tried."""
    if not found:
        return None
    tried = sorted({a for item in found for a in item.attempts})
    places = [f"{i.kind} {i.id[:_SHORT_ID]} {i.field}" for i in found[:MAX_PLACES_NAMED]]
    more = len(found) - MAX_PLACES_NAMED
    where = ", ".join(places) + (f" and {more} more" if more > 0 else "")
    words = " and ".join(ATTEMPT_WORDS[a] for a in tried)
    return f"ignored text in tenant data that reads as instructions to {words} ({where})"


def add_limit(limits: str | None, note: str | None) -> str | None:
    """`limits` with `note` appended (unchanged when there is no note)."""
    if not note:
        return limits
    return f"{limits}; {note}" if limits else note


def shows_instructions(results: list[SkillResult]) -> bool:
    """Whether what the agent loop would show the model (each result's facts and first
    records) holds tenant text that reads as instructions (then the model gets no turn)."""
    from idpilot.copilot.agent import MAX_RECORDS_SHOWN

    shown: list[Record] = []
    for result in results:
        facts = result.facts
        dumped = facts.model_dump(mode="json") if hasattr(facts, "model_dump") else facts
        shown.append(Record(kind="facts", id="facts", label="", fields={"facts": dumped}))
        shown += result.evidence[:MAX_RECORDS_SHOWN]
    return bool(data_instructions(shown))


def redact_model_text(answer: Answer) -> None:
    """Keep configuration out of what a model path wrote into the answer: limits, the
    trace's fallback, stop reason, step notes, model failures and rejections."""
    from idpilot.copilot.disclosure import redact

    trace = answer.trace
    answer.limits = redact(answer.limits) if answer.limits else answer.limits
    trace.fallback = redact(trace.fallback) if trace.fallback else trace.fallback
    trace.stopped = redact(trace.stopped) if trace.stopped else trace.stopped
    trace.grounding.rejected = [redact(note) for note in trace.grounding.rejected]
    for step in trace.steps:
        step.note = redact(step.note) if step.note else step.note
    for call in trace.model_calls:
        call.failed = redact(call.failed) if call.failed else call.failed
