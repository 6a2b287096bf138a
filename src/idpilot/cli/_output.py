"""How commands print what carries tenant text: a model as inert JSON, a list of sources.

Names come from the tenant, so every line is made inert and printed without Rich markup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import orjson
import typer
from pydantic import BaseModel

from idpilot.cli.app import console
from idpilot.copilot.grounding import plain_text
from idpilot.copilot.inert import inert_json, inert_text

if TYPE_CHECKING:
    from idpilot.copilot.answer import Citation


def print_json(model: BaseModel, **extra: object) -> None:
    """A model as indented JSON, tenant text inert (with any `extra` fields)."""
    payload = {**model.model_dump(mode="json"), **extra}
    typer.echo(inert_json(orjson.dumps(payload, option=orjson.OPT_INDENT_2).decode()))


def shown_text(markdown: str) -> str:
    """An escaped markdown line (label, step, follow-up) as plain terminal text."""
    return inert_text(plain_text(markdown))


def print_sources(citations: list[Citation]) -> None:
    """A "Sources" heading and one line per citation (number, kind, id, label); nothing when
    there are none."""
    if not citations:
        return
    console.print("\n[bold]Sources[/]")
    for citation in citations:
        console.print(
            f"  [{citation.n}] {inert_text(citation.kind)} {inert_text(citation.id)}: "
            f"{shown_text(citation.label)}",
            highlight=False,
            markup=False,
        )
