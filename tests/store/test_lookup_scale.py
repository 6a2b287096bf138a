"""Name lookup stays bounded when thousands of objects share a name (issue #8, item 4)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from idpilot.copilot.engine import Copilot
from idpilot.copilot.entities import resolve_entities
from idpilot.sources.ingest import ingest_folder
from idpilot.store import Store
from idpilot.store.lookup import MAX_MATCHES_PER_NAME, MatchQuality, find_by_phrases, find_fuzzy

LOOKALIKES = 300


@pytest.fixture(scope="module")
def lookalikes(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """A tenant whose users all share one display name, given name and mail."""
    folder = tmp_path_factory.mktemp("lookalikes")
    with (folder / "users.jsonl").open("w") as out:
        for n in range(LOOKALIKES):
            user = {
                "id": f"00000000-0000-4000-8000-{n:012d}", "displayName": "Jordan Lee",
                "givenName": "Jordan", "mail": "jordan.lee@lookalike.example",
                "userPrincipalName": f"jordan.lee{n:03d}@lookalike.example",
            }  # fmt: skip
            out.write(json.dumps(user) + "\n")
    store = Store.open(Path(folder) / "store.duckdb")
    ingest_folder(store, folder)
    return store


def test_a_shared_name_returns_a_bounded_list_in_a_stable_order(lookalikes: Store) -> None:
    matches = find_by_phrases(lookalikes, ["jordan lee", "jordan.lee@lookalike.example"])
    by_phrase: dict[str, list[str]] = {}
    for match in matches:
        by_phrase.setdefault(match.phrase, []).append(match.id)
    assert {len(ids) for ids in by_phrase.values()} == {MAX_MATCHES_PER_NAME}
    first = [f"00000000-0000-4000-8000-{n:012d}" for n in range(MAX_MATCHES_PER_NAME)]
    assert by_phrase["jordan lee"] == first  # by label (all equal), then id


def test_a_unique_upn_among_look_alikes_still_resolves_to_one_user(lookalikes: Store) -> None:
    matches = find_by_phrases(lookalikes, ["jordan.lee123@lookalike.example"])
    assert [(m.id, m.quality) for m in matches] == [
        ("00000000-0000-4000-8000-000000000123", MatchQuality.exact)
    ]


def test_fuzzy_matching_scores_each_distinct_name_once(lookalikes: Store) -> None:
    matches = find_fuzzy(lookalikes, ["jordan leee"])
    assert len(matches) == MAX_MATCHES_PER_NAME
    assert {m.label for m in matches} == {"Jordan Lee"}


def test_an_ambiguous_question_lists_a_bounded_set_and_says_so(lookalikes: Store) -> None:
    entities = resolve_entities(lookalikes, "Tell me about Jordan Lee")
    assert 2 <= len(entities.matches) <= 3 * MAX_MATCHES_PER_NAME
    answer = Copilot(lookalikes).ask("Tell me about Jordan Lee")
    assert answer.status == "ambiguous"
    assert answer.answer.count("- **Jordan Lee**") == MAX_MATCHES_PER_NAME
    assert f"At most {MAX_MATCHES_PER_NAME} matches are listed" in answer.answer
