"""Names typed without their diacritics find the people whose names have them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from idpilot.sources.ingest import ingest_folder
from idpilot.store import Store
from idpilot.store.lookup import MatchQuality, find_by_phrases

PEOPLE = [
    ("Łukasz Zieliński", "Łukasz"),
    ("Øystein Brekke", "Øystein"),
    ("Björn Lindqvist", "Björn"),
    ("Märta Sjöholm", "Märta"),
    ("Marta Nowak", "Marta"),
    ("Straße Æsir", "Æsir"),
    ("Plain Ascii", "Plain"),
]


def _write_users(folder: Path, people: list[tuple[str, str]]) -> None:
    with (folder / "users.jsonl").open("w") as out:
        for n, (name, given) in enumerate(people):
            user = {
                "id": f"00000000-0000-4000-8000-{n:012d}", "displayName": name,
                "givenName": given, "userPrincipalName": f"user{n}@folded.example",
            }  # fmt: skip
            out.write(json.dumps(user, ensure_ascii=False) + "\n")


@pytest.fixture()
def folded(tmp_path: Path) -> Store:
    _write_users(tmp_path, PEOPLE)
    store = Store.open(tmp_path / "store.duckdb")
    ingest_folder(store, tmp_path)
    return store


def _found(store: Store, phrase: str) -> list[tuple[str, MatchQuality]]:
    return [(m.label, m.quality) for m in find_by_phrases(store, [phrase])]


def test_a_full_name_without_diacritics_is_an_exact_match(folded: Store) -> None:
    assert _found(folded, "lukasz zielinski") == [("Łukasz Zieliński", MatchQuality.exact)]
    assert _found(folded, "oystein brekke") == [("Øystein Brekke", MatchQuality.exact)]
    assert _found(folded, "strasse aesir") == [("Straße Æsir", MatchQuality.exact)]


def test_a_first_name_without_diacritics_finds_the_person(folded: Store) -> None:
    assert _found(folded, "bjorn") == [("Björn Lindqvist", MatchQuality.first_name)]
    assert _found(folded, "łukasz") == [("Łukasz Zieliński", MatchQuality.first_name)]


def test_a_name_spelled_as_typed_wins_over_a_folded_one(folded: Store) -> None:
    assert _found(folded, "marta") == [("Marta Nowak", MatchQuality.first_name)]
    assert _found(folded, "märta") == [("Märta Sjöholm", MatchQuality.first_name)]


def test_only_names_with_diacritics_are_kept_folded_and_reingest_refreshes(
    folded: Store, tmp_path: Path
) -> None:
    kept = {row["display"] for row in folded.query("SELECT display FROM folded_user_names")}
    assert "plain ascii" not in kept and "lukasz zielinski" in kept
    _write_users(tmp_path, [("Renée Dupont", "Renée")])
    ingest_folder(folded, tmp_path)
    assert _found(folded, "renee dupont") == [("Renée Dupont", MatchQuality.exact)]


def test_a_singular_word_finds_a_name_that_has_it_in_the_plural(tmp_path: Path) -> None:
    from idpilot.store.lookup import find_partial

    apps = [{"id": "sp-1", "appId": "app-1", "displayName": "Kvitto Expenses"}]
    (tmp_path / "servicePrincipals.json").write_text(json.dumps(apps))
    store = Store.open(tmp_path / "store.duckdb")
    ingest_folder(store, tmp_path)
    assert [m.label for m in find_partial(store, ["expense"])] == ["Kvitto Expenses"]
    assert find_partial(store, ["expenses"])[0].phrase == "expenses"
    assert find_partial(store, ["kvitto expense"]) == []  # longer phrases stay as typed
