"""Running a promptbook: its parameters checked, each step's prompt filled from them and
from earlier answers, asked in one session; the run stops where a step cannot go on."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from idpilot.copilot.answer import Answer, AnswerStatus
from idpilot.copilot.promptbooks.model import (
    MAX_PARAMETER_CHARS,
    PLACEHOLDER,
    Promptbook,
    PromptbookError,
    references,
)
from idpilot.copilot.promptbooks.objects import answer_objects, describe
from idpilot.copilot.session import Session
from idpilot.errors import PromptError

if TYPE_CHECKING:
    from idpilot.copilot.engine import Copilot

_STOPS = frozenset(
    {
        AnswerStatus.ambiguous,
        AnswerStatus.not_found,
        AnswerStatus.missing,
        AnswerStatus.out_of_scope,
    }
)
"""A step answered so cannot anchor the next ones ("this user" would name nobody)."""


class StepRun(BaseModel):
    """One step as it ran: the prompt asked (filled), its Answer, what it offers later steps."""

    n: int
    id: str
    prompt: str
    answer: Answer
    objects: dict[str, str] = Field(default_factory=dict)


class PromptbookRun(BaseModel):
    """A promptbook's run: the parameters, the session it ran in, each step, and why it
    stopped early, if it did."""

    promptbook: str
    title: str
    parameters: dict[str, str]
    session_id: str
    steps: list[StepRun] = Field(default_factory=list)
    stopped: str | None = None


def bind_parameters(book: Promptbook, given: Mapping[str, str]) -> dict[str, str]:
    """The parameters to run with: those given, checked, and the defaults of the rest
    (PromptbookError for an unknown, missing or unusable one)."""
    declared = {p.name: p for p in book.parameters}
    for name in given:
        if name not in declared:
            takes = ", ".join(declared) or "no parameters"
            raise PromptbookError(f"{book.name} has no parameter {name!r} (it takes {takes}).")
    bound: dict[str, str] = {}
    for name, parameter in declared.items():
        value = " ".join(str(given.get(name, "")).split())
        if not value:
            if parameter.required:
                raise PromptbookError(
                    f"{book.name} needs the parameter {name}, {parameter.description}: "
                    f"give it as {name}=VALUE."
                )
            value = parameter.default or ""
        if len(value) > MAX_PARAMETER_CHARS or not value.isprintable():
            raise PromptbookError(
                f"parameter {name}: up to {MAX_PARAMETER_CHARS} printable characters."
            )
        bound[name] = value
    return bound


def fill(
    prompt: str, parameters: Mapping[str, str], objects: Mapping[str, Mapping[str, str]]
) -> str:
    """The prompt with its placeholders replaced (PromptbookError naming what an earlier
    step's answer did not offer)."""
    for head, tail, written in references(prompt):
        if tail is not None and tail not in objects.get(head, {}):
            raise PromptbookError(
                f"{written}: the answer of step {head} cited no {describe(tail)}."
            )

    def value(match: object) -> str:
        head, _, tail = match.group(1).strip().partition(".")  # type: ignore[attr-defined]
        return objects[head][tail] if tail else parameters[head]

    return PLACEHOLDER.sub(value, prompt)


def run_promptbook(
    copilot: Copilot,
    book: Promptbook,
    given: Mapping[str, str],
    session: Session | None = None,
    *,
    each: Callable[[StepRun], None] | None = None,
) -> PromptbookRun:
    """Ask the promptbook's steps in order in `session` (a new one by default), calling
    `each` with every step once answered; a step that cannot be filled or asked, or whose
    answer cannot anchor the next ones, ends the run (`stopped` says why)."""
    parameters = bind_parameters(book, given)
    session = session if session is not None else Session()
    run = PromptbookRun(
        promptbook=book.name, title=book.title, parameters=parameters, session_id=session.id
    )
    objects: dict[str, dict[str, str]] = {}
    for n, (step_id, step) in enumerate(zip(book.step_ids(), book.steps, strict=True), start=1):
        try:
            prompt = fill(step.prompt, parameters, objects)
            answer = copilot.ask(prompt, session)
        except (PromptbookError, PromptError) as error:
            run.stopped = f"step {n} ({step_id}): {error}"
            break
        objects[step_id] = answer_objects(answer, session.last_turn())
        done = StepRun(n=n, id=step_id, prompt=prompt, answer=answer, objects=objects[step_id])
        run.steps.append(done)
        if each is not None:
            each(done)
        if answer.status in _STOPS and n < len(book.steps):
            run.stopped = (
                f"step {n} ({step_id}) was answered '{answer.status.value}': the steps after it "
                "build on its answer; answer its question, then run the promptbook again."
            )
            break
    return run
