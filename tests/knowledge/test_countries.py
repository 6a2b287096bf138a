"""Country names, codes, aliases and adjectives map to ISO 3166-1 alpha-2 codes."""

from __future__ import annotations

import pytest

from idpilot.knowledge._country_words import ADJECTIVES, ALIASES, AMBIGUOUS, REGIONS
from idpilot.knowledge.countries import (
    COUNTRY_WORDS_VERSION,
    WordKind,
    country_code,
    country_name,
    country_word,
    fold,
    is_alpha2,
    iso_countries,
    iso_countries_from_pycountry,
    iso_table_path,
    iso_table_text,
    key_of,
)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("France", "FR"),
        ("france", "FR"),
        ("  France. ", "FR"),
        ("the UK", "GB"),
        ("UK", "GB"),
        ("U.K.", "GB"),
        ("Great Britain", "GB"),
        ("England", "GB"),
        ("United Kingdom of Great Britain and Northern Ireland", "GB"),
        ("USA", "US"),
        ("the States", "US"),
        ("United States of America", "US"),
        ("Holland", "NL"),
        ("the Netherlands", "NL"),
        ("Deutschland", "DE"),
        ("Österreich", "AT"),
        ("osterreich", "AT"),
        ("German", "DE"),
        ("Russian", "RU"),
        ("Nigerian", "NG"),
        ("Russia", "RU"),
        ("Russian Federation", "RU"),
        ("South Korea", "KR"),
        ("Korea", "KR"),
        ("North Korea", "KP"),
        ("Congo", "CG"),
        ("DR Congo", "CD"),
        ("Democratic Republic of the Congo", "CD"),
        ("Côte d'Ivoire", "CI"),
        ("Cote d’Ivoire", "CI"),
        ("Ivory Coast", "CI"),
        ("Guinea-Bissau", "GW"),
        ("Türkiye", "TR"),
        ("Turkey", "TR"),
        ("Czech Republic", "CZ"),
        ("Viet Nam", "VN"),
        ("Iran", "IR"),
        ("Bolivia", "BO"),
        ("Falkland Islands", "FK"),
        ("St Lucia", "LC"),
        ("Saint Lucia", "LC"),
        ("Kosovo", "XK"),
        ("中国", "CN"),
        ("fr", "FR"),
        ("FR", "FR"),
        ("FRA", "FR"),
        ("deu", "DE"),
        ("us", "US"),
        ("XK", "XK"),
    ],
)
def test_country_code(text: str, code: str) -> None:
    assert country_code(text) == code


@pytest.mark.parametrize(
    "text",
    ["", "   ", "Europe", "the EU", "abroad", "Virgin Islands", "XX", "ZZZ", "Narnia", "\x00"],
)
def test_not_one_country(text: str) -> None:
    assert country_code(text) is None


def test_regions_are_known_but_have_no_code() -> None:
    word = country_word("Europe")
    assert word is not None and word.kind is WordKind.region and word.code is None


def test_ambiguous_words_are_flagged() -> None:
    word = country_word("Jordan")
    assert word is not None and word.code == "JO" and word.ambiguous
    france = country_word("France")
    assert france is not None and not france.ambiguous


def test_every_curated_code_is_a_known_code() -> None:
    for table in (ALIASES, ADJECTIVES):
        for word, code in table.items():
            assert is_alpha2(code), (word, code)
            assert country_code(word) == code, word


def test_every_ambiguous_and_region_word_is_in_the_index() -> None:
    for word in AMBIGUOUS:
        assert country_word(word) is not None, word
    for word in REGIONS:
        entry = country_word(word)
        assert entry is not None and entry.kind is WordKind.region, word


def test_version_is_stated() -> None:
    assert COUNTRY_WORDS_VERSION


@pytest.mark.parametrize(
    ("code", "name"),
    [("GB", "United Kingdom"), ("kr", "South Korea"), ("XK", "Kosovo"), ("ZZ", None), ("", None)],
)
def test_country_name(code: str, name: str | None) -> None:
    assert country_name(code) == name


def test_fold_keeps_positions() -> None:
    text = "Österreich İstanbul ß café"
    assert len(fold(text)) == len(text)
    assert fold("Österreich") == "osterreich"
    assert fold("Łódź Tromsø København") == "lodz tromso kobenhavn"


def test_key_of_joins_words() -> None:
    assert key_of("U.S.") == "us"
    assert key_of("Guinea-Bissau") == "guinea bissau"
    assert key_of("Bonaire, Sint Eustatius and Saba") == "bonaire sint eustatius and saba"


def test_the_shipped_iso_table_is_what_the_installed_pycountry_gives() -> None:
    current = iso_countries_from_pycountry()
    assert iso_table_path().read_text(encoding="utf-8") == iso_table_text(current), (
        "the ISO country table is stale: run `python -m idpilot.knowledge.countries`"
    )
    assert list(iso_countries()) == current


def test_country_names_come_from_the_shipped_table() -> None:
    import pycountry

    for country in pycountry.countries:
        expected = getattr(country, "common_name", None) or country.name
        assert country_name(country.alpha_2.lower()) == expected
    assert country_name("XK") == "Kosovo" and country_name("ZZ") is None
