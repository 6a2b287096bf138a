"""The built-in promptbooks (YAML files shipped in `builtin/`) and finding one by name."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from idpilot.copilot.promptbooks.model import (
    Promptbook,
    PromptbookError,
    load_promptbook,
    parse_promptbook,
)

_PACKAGE = "idpilot.copilot.promptbooks.builtin"


@cache
def builtin_promptbooks() -> tuple[Promptbook, ...]:
    """Every shipped promptbook, by file name."""
    files = sorted(
        (entry for entry in resources.files(_PACKAGE).iterdir() if entry.name.endswith(".yaml")),
        key=lambda entry: entry.name,
    )
    return tuple(
        parse_promptbook(f.read_text(encoding="utf-8"), f"builtin/{f.name}") for f in files
    )


def find_promptbook(name: str, *, files: bool = False) -> Promptbook:
    """The built-in promptbook `name`, or (with `files`, for the CLI) the one in the YAML file
    `name` names; PromptbookError listing the built-ins otherwise."""
    wanted = name.strip()
    for book in builtin_promptbooks():
        if book.name == wanted:
            return book
    if files and wanted.endswith((".yaml", ".yml")):
        return load_promptbook(Path(wanted).expanduser())
    names = ", ".join(book.name for book in builtin_promptbooks())
    more = " or a path to a .yaml file" if files else ""
    raise UnknownPromptbookError(
        f"No promptbook is named {wanted[:60]!r}; use one of {names}{more}."
    )


class UnknownPromptbookError(PromptbookError):
    """No built-in promptbook has the name asked for."""
