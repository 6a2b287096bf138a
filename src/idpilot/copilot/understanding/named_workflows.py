"""A lifecycle workflow named in the admin's words ("the pre-hire onboarding workflow" for
"Onboard pre-hire employee"): the one workflow every telling word of whose name the prompt
says (words every workflow is named with, "onboard", "employee", are not telling)."""

from __future__ import annotations

import re

from idpilot.store import Store
from idpilot.store.queries.settings import collections_present
from idpilot.store.queries.workflows import workflow_names
from idpilot.store.version_memo import per_snapshot

_WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_UNTELLING = frozenset(
    {"onboard", "onboarding", "offboard", "offboarding", "employee", "employees", "workflow",
     "the", "a", "an", "for", "of", "and", "to", "user", "users", "draft"}
)  # fmt: skip


def workflow_named(store: Store, prompt: str) -> str | None:
    """The display name of the one workflow the prompt names by its telling words, if any."""
    said = set(_WORD.findall(prompt.lower()))
    named = [name for name, words in _workflows(store) if words and words <= said]
    return named[0] if len(named) == 1 else None


def _workflows(store: Store) -> list[tuple[str, frozenset[str]]]:
    """Each workflow's name and telling words, read once per store version."""

    def read() -> list[tuple[str, frozenset[str]]]:
        from idpilot.model.collections import Collection

        if Collection.lifecycle_workflows not in collections_present(
            store, [Collection.lifecycle_workflows]
        ):
            return []
        return [
            (name, frozenset(_WORD.findall(name.lower())) - _UNTELLING)
            for name in workflow_names(store)
        ]

    return per_snapshot(store, "named workflows", read)
