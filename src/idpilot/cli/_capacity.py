"""The CLI's side of capacity: a prompt is admitted against the user's daily units in the app
state beside the store (the ledger the API charges), answered, then settled."""

from __future__ import annotations

import getpass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from idpilot.copilot.guard import check_prompt
from idpilot.settings import get_int, get_setting
from idpilot.state.capacity import answer_within_capacity
from idpilot.state.paths import state_path

if TYPE_CHECKING:
    from idpilot.copilot.answer import Answer
    from idpilot.copilot.engine import Copilot
    from idpilot.copilot.session import Session


def cli_user() -> str:
    """Who the CLI charges: IDPILOT_USER, else the login name."""
    named = get_setting("user").strip()
    if named:
        return named
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name (a container without a passwd entry)
        return "cli"


def charged_ask(
    copilot: Copilot, prompt: str, store: Path, session: Session | None = None
) -> Answer:
    """Answer `prompt`, charged to the CLI user: a refused prompt (empty, too long, over the
    daily units) costs nothing; an answer costs its prompt, skills and model tokens."""
    check_prompt(prompt, copilot.max_prompt_chars)
    return answer_within_capacity(
        state_path(store),
        cli_user(),
        get_int("quota_units_per_day"),
        lambda: copilot.ask(prompt, session),
        lambda: datetime.now(UTC),
    )
