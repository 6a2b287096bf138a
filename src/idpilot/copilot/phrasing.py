"""Optional LLM phrasing: a model may reword a template answer, never change what it says.

A rewrite is kept only when it carries exactly the same [n] citation markers, names no entity
absent from the evidence, states no number the template did not, and adds no link, image, HTML
or web address. Otherwise the template answer stands and `Answer.limits` says why.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from idpilot.copilot.answer import Answer, published
from idpilot.copilot.disclosure import disclosures
from idpilot.copilot.grounding import plain_text, ungrounded_entities
from idpilot.copilot.guard import add_limit
from idpilot.copilot.injection import attempts
from idpilot.llm.client import ChatMessage, ChatModel, LLMError
from idpilot.llm.data import DATA_RULE, quote_data
from idpilot.model.records import Record
from idpilot.store import Store

MAX_LIMIT_DETAIL = 120
"""Longest detail quoted in a limits note (the detail may echo model output)."""

PHRASING_PROMPT = f"""\
You reword answers written by idpilot, a read-only copilot for Microsoft Entra ID \
administrators, so they read naturally. The answer to reword is the "answer_markdown" value in \
the data below; "evidence" lists the records its facts came from.

Rules: keep every citation marker such as [1] next to the fact it supports, and keep all of \
them. Do not add, drop or change any fact, name, id, address, number or date. No links, \
images, HTML, code or web addresses. Keep characters escaped with a backslash escaped. Reply \
with the reworded markdown only.

{DATA_RULE}"""

_MARKER = re.compile(r"(?<!\\)\[(\d+)\]")
_NUMBER = re.compile(r"\d+")
_INLINE_LINK = re.compile(r"(?<!\\)\]\(")
_LINK_DEFINITION = re.compile(r"^ {0,3}(?<!\\)\[[^\]]+\]:", re.M)
_HTML = re.compile(r"(?<!\\)<[A-Za-z/!?]")
_WEB_ADDRESS = re.compile(r"\b(?:https?|ftp)://\S+|\bwww\.\S+", re.I)


def phrase_with_model(model: ChatModel, answer_markdown: str, evidence: Sequence[Record]) -> str:
    """The model's rewording of the answer (unchecked: see `phrasing_problems`)."""
    data = {
        "answer_markdown": answer_markdown,
        "evidence": [published(item) for item in evidence],
    }
    messages = [
        ChatMessage(role="system", content=PHRASING_PROMPT),
        ChatMessage(role="user", content="Reword this answer:\n" + quote_data(data)),
    ]
    return (model.complete(messages).text or "").strip()


def phrasing_problems(
    store: Store,
    original: str,
    rewritten: str,
    evidence: Sequence[Record],
    prompt: str = "",
) -> list[str]:
    """Why a rewrite cannot replace the template answer (empty when it can)."""
    if not rewritten.strip():
        return ["it was empty"]
    problems = []
    before, after = set(_MARKER.findall(original)), set(_MARKER.findall(rewritten))
    if dropped := sorted(before - after, key=int):
        problems.append("it dropped " + ", ".join(f"[{n}]" for n in dropped))
    if added := sorted(after - before, key=int):
        problems.append("it added " + ", ".join(f"[{n}]" for n in added))
    if named := ungrounded_entities(store, rewritten, list(evidence), prompt):
        problems.append(f"it named {len(named)} entities absent from the evidence")
    if numbers := _numbers(rewritten) - _numbers(original):
        problems.append(f"it stated {len(numbers)} numbers the answer did not")
    return problems + link_problems(rewritten, original)


def link_problems(text: str, original: str = "") -> list[str]:
    """Links, images, HTML, web addresses, disclosed configuration or instructions a model's
    text adds to `original`."""
    problems = []
    if _INLINE_LINK.search(text) or _LINK_DEFINITION.search(text):
        problems.append("it added a link or image")
    if _HTML.search(text):
        problems.append("it added HTML")
    original_addresses = set(_WEB_ADDRESS.findall(plain_text(original)))
    if set(_WEB_ADDRESS.findall(plain_text(text))) - original_addresses:
        problems.append("it added a web address")
    if disclosed := disclosures(plain_text(text), model_instructions(), plain_text(original)):
        problems.append("it disclosed " + " and ".join(disclosed))
    if attempts(plain_text(text), in_data=True) - attempts(plain_text(original), in_data=True):
        problems.append("it added text that reads as instructions")
    return problems


def model_instructions() -> tuple[str, ...]:
    """What idpilot tells its model (a rewording must not repeat it)."""
    from idpilot.copilot.agent import AGENT_PROMPT
    from idpilot.copilot.planner_llm import SYSTEM_PROMPT

    return (PHRASING_PROMPT, AGENT_PROMPT, SYSTEM_PROMPT, DATA_RULE)


def _numbers(markdown: str) -> set[int]:
    return {int(n) for n in _NUMBER.findall(_MARKER.sub(" ", plain_text(markdown)))}


def rephrase(model: ChatModel, store: Store, answer: Answer) -> Answer:
    """The answer reworded by the model when the rewording passes every check, else as it was."""
    evidence = answer.evidence
    try:
        rewritten = phrase_with_model(model, answer.answer, evidence)
    except LLMError as error:
        note = f"kept the template wording: {_short(str(error))}"
        return answer.model_copy(update={"limits": add_limit(answer.limits, note)})
    problems = phrasing_problems(store, answer.answer, rewritten, evidence, answer.prompt)
    if problems:
        note = "kept the template wording: the model's rewording " + "; ".join(problems)
        return answer.model_copy(update={"limits": add_limit(answer.limits, note)})
    return answer.model_copy(update={"answer": rewritten.rstrip() + "\n"})


def _short(text: str) -> str:
    return text if len(text) <= MAX_LIMIT_DETAIL else text[: MAX_LIMIT_DETAIL - 1] + "…"
