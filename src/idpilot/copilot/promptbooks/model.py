"""A promptbook: ordered prompts with parameters, each step able to use what earlier answers
cited (`{risk.top_ip}`), read from YAML with errors that name the file and line."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from idpilot.copilot.promptbooks.objects import OBJECTS
from idpilot.errors import IdpilotError
from idpilot.knowledge._yaml_lines import deepest_line, yaml_document

MAX_PARAMETER_CHARS = 200
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
"""`{user}` (a parameter) or `{risk.top_ip}` (an object of an earlier step's answer)."""
_REFERENCE = re.compile(r"^([a-z_][a-z0-9_]*)(?:\.([a-z_][a-z0-9_]*))?$")
Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z_][a-z0-9_]*$", max_length=40)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=60)]


class PromptbookError(IdpilotError):
    """A promptbook that cannot be read, run as asked, or found (the message says which
    file, line, parameter or step, and the fix)."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Parameter(_Strict):
    """A value the admin gives when running the promptbook (`--param user=...`)."""

    name: Identifier
    description: str
    required: bool = True
    default: str | None = None


class Step(_Strict):
    """One prompt of the promptbook; `id` names its answer for later steps (`step1` ...)."""

    id: Identifier | None = None
    prompt: str = Field(min_length=1, max_length=2_000)
    why: str | None = None
    """What the step is for (shown by `idpilot promptbook show`)."""


class Promptbook(_Strict):
    """Ordered prompts asked in one session, so later steps may say "this user", and may use
    the objects earlier answers cited (`{step1.top_user}`)."""

    name: Slug
    title: str
    description: str
    parameters: list[Parameter] = Field(default_factory=list)
    steps: list[Step] = Field(min_length=1, max_length=20)

    def step_ids(self) -> list[str]:
        """Each step's id (`step<n>` for a step without one), in order."""
        return [step.id or f"step{n}" for n, step in enumerate(self.steps, start=1)]


def references(prompt: str) -> Iterator[tuple[str, str | None, str]]:
    """Each placeholder of a prompt: (parameter or step id, object or None, as written)."""
    for match in PLACEHOLDER.finditer(prompt):
        found = _REFERENCE.match(match.group(1).strip())
        if found is None:
            yield "", None, match.group(0)
        else:
            yield found.group(1), found.group(2), match.group(0)


def problems(book: Promptbook) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """What is wrong with a promptbook's names and placeholders, each with its location."""
    names = [p.name for p in book.parameters]
    for index, name in enumerate(names):
        if name in names[:index]:
            yield ("parameters", index, "name"), f"two parameters are named {name!r}"
    for index, parameter in enumerate(book.parameters):
        if not parameter.required and parameter.default is None:
            yield ("parameters", index), f"optional parameter {parameter.name!r} needs a default"
    ids = book.step_ids()
    listed = ", ".join(names) or "none"
    for index, step_id in enumerate(ids):
        earlier = ", ".join(ids[:index]) or "none"
        if step_id in ids[:index] or step_id in names:
            yield ("steps", index, "id"), f"the step id {step_id!r} is already used"
        for head, tail, written in references(book.steps[index].prompt):
            where = ("steps", index, "prompt")
            if tail is None and head not in names:
                yield (
                    where,
                    f"{written} names no parameter (parameters: {listed})",
                )
            elif tail is not None and head not in ids[:index]:
                yield (
                    where,
                    f"{written} names no earlier step (earlier: {earlier})",
                )
            elif tail is not None and tail not in OBJECTS:
                yield where, f"{written}: a step's answer offers {', '.join(OBJECTS)}"


def parse_promptbook(text: str, source: str) -> Promptbook:
    """A promptbook from its YAML text; PromptbookError naming `source`, the line and the
    field for anything wrong."""
    try:
        data, root = yaml_document(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else 1
        raise PromptbookError(f"{source}:{line}: not valid YAML: {error.problem}") from None
    if root is None or not isinstance(data, dict):
        raise PromptbookError(f"{source}:1: a promptbook is a mapping (name, title, steps ...)")
    try:
        book = Promptbook.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        location = tuple(first["loc"])
        field = ".".join(str(part) for part in location) or "promptbook"
        line = deepest_line(root, location)
        raise PromptbookError(f"{source}:{line}: {field}: {first['msg']}") from None
    for location, message in problems(book):
        raise PromptbookError(f"{source}:{deepest_line(root, location)}: {message}")
    return book


def load_promptbook(path: Path) -> Promptbook:
    """The promptbook in a YAML file (PromptbookError when it cannot be read or is wrong)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise PromptbookError(f"{path}: cannot be read: {error}") from None
    return parse_promptbook(text, str(path))
