"""A role said in words is found as `find_role` finds each word group, from one read."""

from __future__ import annotations

import re
from typing import Any

import pytest

from idpilot.skills.builtin._role_names import find_role, role_in_text
from tests.conftest import DemoTenant

PROMPTS = [
    "Who are the global admins?",
    "which users hold the privileged role administrator role",
    "who are the Security Readers",
    "list user admins please",
    "Tell me about the helpdesk admins",
    "Why did someone fail to sign in to Teams yesterday?",
    "global",
    "",
]


def _word_group_by_word_group(demo: DemoTenant, prompt: str) -> list[dict[str, Any]]:
    """The first longest word group `find_role` finds a role for, one query per group."""
    words = " ".join(re.sub(r"[?!.,]", " ", prompt.lower()).split()).split()
    for size in (4, 3, 2):
        for start in range(len(words) - size + 1):
            if found := find_role(demo.store, " ".join(words[start : start + size])):
                return found
    return []


@pytest.mark.parametrize("prompt", PROMPTS)
def test_a_role_in_words_is_what_find_role_finds_for_its_word_group(
    demo_tenant: DemoTenant, prompt: str
) -> None:
    found = role_in_text(demo_tenant.store, prompt)
    assert [{k: v for k, v in r.items() if k != "said"} for r in found] == (
        _word_group_by_word_group(demo_tenant, prompt)
    )
    assert all(r["said"] in prompt.lower() for r in found)  # the words that named it


def test_the_role_definitions_are_read_once_whatever_the_prompt_length(
    demo_tenant: DemoTenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = demo_tenant.store
    queries: list[str] = []
    original = store.query
    monkeypatch.setattr(store, "query", lambda sql, *a: queries.append(sql) or original(sql, *a))
    prompt = "why did the person in finance fail to sign in to the expenses app on monday"
    assert role_in_text(store, prompt) == []
    assert len(queries) == 1
    queries.clear()
    [found] = role_in_text(store, "who are the global admins?")
    assert found["displayName"] == "Global Administrator" and len(queries) == 1
