"""How the drafting commands print a draft: its JSON, or its lines as inert text."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from pydantic import BaseModel

from idpilot.cli._output import print_json
from idpilot.cli.app import console
from idpilot.copilot.inert import inert_text


def print_draft(drafted: BaseModel, as_json: bool, lines: Callable[..., Iterable[str]]) -> None:
    """The draft as JSON, or `lines(drafted)` printed as plain text (never Rich markup: names
    come from the tenant)."""
    if as_json:
        print_json(drafted)
        return
    for line in lines(drafted):
        console.print(inert_text(line), highlight=False, markup=False)
