"""How the drafting commands print a draft: its JSON, or its lines as inert text."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import orjson
import typer
from pydantic import BaseModel

from idpilot.cli.app import console
from idpilot.copilot.inert import inert_json, inert_text


def print_json(model: BaseModel, **extra: object) -> None:
    """A model as indented JSON, tenant text inert (with any `extra` fields)."""
    payload = {**model.model_dump(mode="json"), **extra}
    typer.echo(inert_json(orjson.dumps(payload, option=orjson.OPT_INDENT_2).decode()))


def print_draft(drafted: BaseModel, as_json: bool, lines: Callable[..., Iterable[str]]) -> None:
    """The draft as JSON, or `lines(drafted)` printed as plain text (never Rich markup: names
    come from the tenant)."""
    if as_json:
        print_json(drafted)
        return
    for line in lines(drafted):
        console.print(inert_text(line), highlight=False, markup=False)
