"""Countries by the names admins use: ISO 3166 names and codes (pycountry) plus common words.

`country_code("France")`, `country_code("the UK")`, `country_code("German")` and
`country_code("fr")` all give an ISO 3166-1 alpha-2 code. The names, official names and
common names come from pycountry, shipped as `data/iso_countries.json` (a process reads that
small table instead of importing pycountry and loading its whole database; a test fails when it
differs from the installed pycountry: rebuild it with `python -m idpilot.knowledge.countries`);
the aliases, adjectives and endonyms idpilot adds are the versioned lists of
`idpilot.knowledge._country_words` (`COUNTRY_WORDS_VERSION`). Matching folds case and accents.
Pure and offline; the index is built once, on first use.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from dataclasses import asdict, dataclass
from enum import StrEnum
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path

from idpilot.knowledge._country_words import (
    ADJECTIVES,
    ALIASES,
    AMBIGUOUS,
    COUNTRY_WORDS_VERSION,
    REGIONS,
    RISKY_CODES,
)

__all__ = [
    "COUNTRY_WORDS_VERSION",
    "RISKY_CODES",
    "CountryWord",
    "WordKind",
    "country_code",
    "country_name",
    "country_word",
    "country_word_by_key",
    "fold",
    "is_alpha2",
    "key_of",
    "single_word_names",
    "words_from",
    "words_of",
]

_WORD = re.compile(r"[^\W_]+(?:\.[^\W_]+)*\.?")
_ALPHA3 = 3
_ALPHA2 = 2
# A code of Microsoft's sign-in logs that ISO 3166-1 leaves to users (see _country_words).
_EXTRA_CODES = {"XK": "Kosovo"}


class WordKind(StrEnum):
    """What a country word is: a name (or alias), an adjective, or a region (no one code)."""

    name = "name"
    adjective = "adjective"
    region = "region"


@dataclass(frozen=True)
class CountryWord:
    """One entry of the index: the code it stands for (None for a region) and its kind."""

    code: str | None
    kind: WordKind
    ambiguous: bool


@dataclass(frozen=True)
class IsoCountry:
    """One country of ISO 3166-1 as pycountry gives it (the attributes idpilot reads)."""

    alpha_2: str
    alpha_3: str
    name: str
    common_name: str | None = None
    official_name: str | None = None


ISO_TABLE = "iso_countries.json"


def iso_table_path() -> Path:
    """Where the shipped ISO 3166-1 table lives (inside the installed package)."""
    return Path(str(resources.files("idpilot.knowledge").joinpath("data", ISO_TABLE)))


def iso_countries_from_pycountry() -> list[IsoCountry]:
    """Every country of the installed pycountry, in its order (what the shipped table holds)."""
    import pycountry

    return [
        IsoCountry(
            alpha_2=country.alpha_2,
            alpha_3=country.alpha_3,
            name=country.name,
            common_name=getattr(country, "common_name", None),
            official_name=getattr(country, "official_name", None),
        )
        for country in pycountry.countries
    ]


def iso_table_text(countries: list[IsoCountry]) -> str:
    """The shipped table's text for `countries` (one country a line, reproducibly)."""
    lines = [json.dumps(asdict(country), ensure_ascii=False) for country in countries]
    return "[\n" + ",\n".join(lines) + "\n]\n"


@cache
def iso_countries() -> tuple[IsoCountry, ...]:
    """The ISO 3166-1 countries, from the shipped table."""
    rows = json.loads(iso_table_path().read_text(encoding="utf-8"))
    return tuple(IsoCountry(**row) for row in rows)


def fold(text: str) -> str:
    """Lower case without accents, one character for one ("Österreich" -> "osterreich").

    Each character folds to exactly one character, so positions in the folded text are
    positions in the original.
    """
    if text.isascii():
        return text.lower()
    return "".join(map(_fold_char, text))


# Letters Unicode does not decompose into a base letter and an accent.
_BASE_LETTERS = {"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ı": "i", "ŀ": "l", "ŧ": "t", "ð": "d"}


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    lower = char.lower()
    if len(lower) != 1:
        return char
    if lower in _BASE_LETTERS:
        return _BASE_LETTERS[lower]
    if not lower.isascii():
        base = "".join(c for c in unicodedata.normalize("NFKD", lower) if c.isascii())
        if len(base) == 1:
            return base
    return lower


def words_of(folded: str) -> list[re.Match[str]]:
    """The words of folded text: letters and digits, dots kept inside ("u.s."), nothing else."""
    return list(_WORD.finditer(folded))


def key_of(text: str) -> str:
    """The index key of a name: its folded words without dots, joined by one space.

    "U.S." -> "us", "Guinea-Bissau" -> "guinea bissau", "Côte d'Ivoire" -> "cote d ivoire".
    """
    return " ".join(match.group(0).replace(".", "") for match in _WORD.finditer(fold(text)))


def _iso_names(country: IsoCountry) -> tuple[list[str], list[str]]:
    """pycountry's names of a country, and the short forms derived from them.

    "Korea, Republic of" gives "Korea" and "Republic of Korea"; "Falkland Islands (Malvinas)"
    gives "Falkland Islands".
    """
    names = [getattr(country, attr, None) for attr in ("name", "common_name", "official_name")]
    exact = [n for n in names if n]
    derived = []
    for name in exact:
        short = re.sub(r"\s*\(.*?\)", "", name)
        if "," in short:
            head, tail = (part.strip() for part in short.split(",", 1))
            derived += [head, f"{tail} {head}"]
        elif short != name:
            derived.append(short)
    return exact, derived


@cache
def _index() -> tuple[dict[str, CountryWord], dict[str, str], dict[str, str]]:
    """Folded words -> entry; alpha-2 -> alpha-2 and alpha-3 -> alpha-2 (upper case).

    An exact ISO name wins over a derived short form; a short form two countries share
    ("Korea", "Congo") is left out unless idpilot's aliases name it.
    """
    exact: dict[str, str] = {}
    derived: dict[str, set[str]] = {}
    alpha2: dict[str, str] = {}
    alpha3: dict[str, str] = {}
    for country in iso_countries():
        code = country.alpha_2
        alpha2[code] = code
        alpha3[country.alpha_3] = code
        names, short_forms = _iso_names(country)
        for name in names:
            exact.setdefault(key_of(name), code)
        for name in short_forms:
            derived.setdefault(key_of(name), set()).add(code)
    for code in _EXTRA_CODES:
        alpha2[code] = code
    words: dict[str, CountryWord] = {}
    for key, codes in derived.items():
        if len(codes) == 1:
            words[key] = CountryWord(next(iter(codes)), WordKind.name, key in AMBIGUOUS)
    for key, code in exact.items():
        words[key] = CountryWord(code, WordKind.name, key in AMBIGUOUS)
    for table, kind in ((ALIASES, WordKind.name), (ADJECTIVES, WordKind.adjective)):
        for word, code in table.items():
            key = key_of(word)
            words[key] = CountryWord(code, kind, key in AMBIGUOUS)
    for word in REGIONS:
        words[key_of(word)] = CountryWord(None, WordKind.region, False)
    return words, alpha2, alpha3


def country_word(words: str) -> CountryWord | None:
    """The index entry for `words` (a name, alias, adjective or region), or None."""
    return _index()[0].get(key_of(words))


@cache
def single_word_names() -> dict[str, tuple[str, ...]]:
    """The one-word country names and aliases (keys) by their first two letters, for typos."""
    by_prefix: dict[str, list[str]] = {}
    for key, word in _index()[0].items():
        if " " not in key and word.kind is WordKind.name:
            by_prefix.setdefault(key[:2], []).append(key)
    return {prefix: tuple(keys) for prefix, keys in by_prefix.items()}


def country_word_by_key(key: str) -> CountryWord | None:
    """The index entry for a key already made by `key_of` (the scanner's fast path)."""
    return _index()[0].get(key)


def words_from(first: str) -> int:
    """How many words the longest indexed name starting with word `first` has (0: none)."""
    return _first_words().get(first, 0)


@cache
def _first_words() -> dict[str, int]:
    widest: dict[str, int] = {}
    for key in _index()[0]:
        words = key.split()
        widest[words[0]] = max(widest.get(words[0], 0), len(words))
    return widest


def is_alpha2(code: str) -> bool:
    """True when `code` (upper case) is an ISO 3166-1 alpha-2 code (or Kosovo's XK)."""
    return code in _index()[1]


def country_code(text: str) -> str | None:
    """The ISO 3166-1 alpha-2 code `text` names, or None.

    `text` is one country designation, as typed on a command line (`--country France`): a name
    in English ("France", "the UK", "Côte d'Ivoire", "Holland"), a common endonym
    ("Deutschland"), an adjective ("German"), or an alpha-2 / alpha-3 code in any case ("fr",
    "FRA"). Regions ("Europe", "the EU") and unknown words give None.
    """
    key = key_of(text)
    if not key:
        return None
    words, alpha2, alpha3 = _index()
    compact = key.replace(".", "").upper()
    if len(compact) == _ALPHA2 and compact in alpha2:
        return compact
    if len(compact) == _ALPHA3 and compact in alpha3:
        return alpha3[compact]
    entry = words.get(key) or words.get(key.removeprefix("the "))
    return entry.code if entry else None


def country_name(code: str) -> str | None:
    """The common English name of an alpha-2 code ("GB" -> "United Kingdom"), or None."""
    code = code.strip().upper()
    if code in _EXTRA_CODES:
        return _EXTRA_CODES[code]
    country = _by_alpha2().get(code) if len(code) == _ALPHA2 else None
    if country is None:
        return None
    return country.common_name or country.name


@cache
def _by_alpha2() -> dict[str, IsoCountry]:
    return {country.alpha_2: country for country in iso_countries()}


if __name__ == "__main__":  # rebuild the shipped table from the installed pycountry
    iso_table_path().write_text(iso_table_text(iso_countries_from_pycountry()), encoding="utf-8")
    sys.exit(0)
