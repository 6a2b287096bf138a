"""Countries and cities a prompt names, read with the context that tells "US" from "us".

Rules (a word that fails them is simply not a place):
* A country's name, alias or adjective ("France", "the UK", "Deutschland", "German IPs")
  counts anywhere, in any case.
* A word that is also a first name or an everyday word ("Jordan", "turkey", "Polish") counts
  only where a place fits: after "in/from/to/via/outside..." or before "IPs/sign-ins/users...",
  and never followed by a capitalised word ("Jordan Smith") or a possessive ("Jordan's").
* A two-letter code counts only in upper case and after a location word ("from FR",
  "in DE"); codes that are also words or admin acronyms ("IT", "CA", "AD", "HR", "NO", "IN")
  only after "country"/"countries" or in a list after another place ("from FR, IT and ES").
  Three-letter codes only after "country". "US" counts in upper case. A prompt typed in
  capitals gives no case evidence: codes then need "country".
* A city counts when the tenant records it (`known_cities`), matched without case or
  accents; a one-word city needs the same place context as an ambiguous country.
* A misspelt one-word country or city ("Germnay", "Muenchen") counts right after a location
  word, when one edit away (two for names of 9 letters or more) with the same first letters.
* A place after "outside", "not from", "except", "other than" or "non-" ("non-EU"), and any
  region ("Europe", "the EU", "abroad"), is a condition idpilot cannot apply as a country list:
  it is returned as an unparsed condition, never as a country.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from idpilot.copilot._edit_distance import edit_distance
from idpilot.knowledge.countries import (
    RISKY_CODES,
    country_word_by_key,
    fold,
    is_alpha2,
    key_of,
    single_word_names,
    words_from,
    words_of,
)
from idpilot.knowledge.exonyms import ENDONYMS

_LOCATION_CUES = frozenset(
    {
        "in", "from", "to", "via", "through", "within", "into", "across", "at", "near",
        "visiting", "visited", "towards", "toward", "inside", "originating", "city", "cities",
        "location", "locations", "region", "regions",
    }
)  # fmt: skip
_COUNTRY_CUES = frozenset({"country", "countries", "countryorregion", "geo", "geolocation"})
_NEGATIONS = frozenset({"outside", "except", "excluding", "besides", "excl", "exclude", "non"})
_NEGATION_PAIRS = frozenset(
    {
        ("not", "from"), ("not", "in"), ("not", "to"), ("other", "than"), ("apart", "from"),
        ("aside", "from"), ("anywhere", "but"), ("but", "not"), ("never", "from"),
    }
)  # fmt: skip
_AFTER_NOUNS = frozenset(
    {
        "ip", "ips", "address", "addresses", "sign", "signin", "signins", "login", "logins",
        "log", "logon", "logons", "traffic", "users", "based", "office", "offices", "location",
        "locations", "requests", "attempts", "connections", "connection", "vpn", "visitors",
        "people", "staff", "employees", "user", "team", "folks", "colleagues", "crew", "site",
    }
)  # fmt: skip
_ARTICLES = frozenset({"the"})
_LIST_GAP = re.compile(r"[\s,/&;]*(?:(?:and|or|nor|plus|as well as)\s+)?(?:the\s+)?$")
_MAX_LIST_GAP = 24  # characters between two places of one list (", and the ")
_SHOUTING_RATIO = 0.8
_SHOUTING_MIN_LETTERS = 12
_TWO_LETTERS = re.compile(r"[A-Z]{2}")
_THREE_LETTERS = re.compile(r"[A-Z]{3}")
_POSSESSIVE = re.compile(r"['’]s\b")
# A misspelt place ("Germnay", "Muenchen") is read only right after a location word, when one
# edit away (two for names of 9 letters or more) and starting with the same two letters.
_FUZZY_MIN_LETTERS = 6
_FUZZY_LONG = 9
_FUZZY_PREFIX = 2


@dataclass
class Places:
    """What a prompt says about where: countries, cities, and the conditions left unread."""

    countries: list[str] = field(default_factory=list)
    cities: list[str] = field(default_factory=list)
    unparsed: list[str] = field(default_factory=list)
    said: list[tuple[str, str]] = field(default_factory=list)
    """Each place read, as typed, and whether it named a "country" or a "city", or was an
    "adjective" ("Dutch"), which may as well be a language."""


@dataclass(slots=True)
class _Word:
    key: str  # folded, no dots
    raw: str  # as typed
    start: int
    end: int


@dataclass(frozen=True)
class _Candidate:
    code: str | None  # None: a region, or a city
    city: str | None
    kind: str  # "name", "adjective", "region", "city", "code"
    ambiguous: bool
    length: int


def _shouting(text: str) -> bool:
    """True when the prompt is typed in capitals (then case says nothing)."""
    upper = sum(map(str.isupper, text))
    lower = sum(map(str.islower, text))
    cased = upper + lower
    return cased >= _SHOUTING_MIN_LETTERS and upper >= _SHOUTING_RATIO * cased


@dataclass(frozen=True)
class _Cities:
    """The tenant's cities: folded key -> spelling, widest name per first word, one-word keys
    by their first two letters."""

    spelling: dict[str, str]
    widest: dict[str, int]
    by_prefix: dict[str, tuple[str, ...]]


@lru_cache(maxsize=8)
def _city_index(cities: tuple[str, ...]) -> _Cities:
    """The index of the tenant's cities (cached: the same list comes with every prompt)."""
    spelling: dict[str, str] = {}
    widest: dict[str, int] = {}
    by_prefix: dict[str, list[str]] = {}
    english = {key_of(own): key_of(name) for name, own in ENDONYMS.items()}
    # The tenant's own spelling, then the English name admins use for it ("Munich").
    named = [(key_of(city), city) for city in cities]
    named += [(english[key], city) for key, city in named if key in english]
    for key, city in named:
        if not key or key in spelling:
            continue
        spelling[key] = city
        words = key.split()
        widest[words[0]] = max(widest.get(words[0], 0), len(words))
        if len(words) == 1:
            by_prefix.setdefault(key[:_FUZZY_PREFIX], []).append(key)
    return _Cities(spelling, widest, {p: tuple(keys) for p, keys in by_prefix.items()})


class _Scanner:
    """Walks the words of a prompt once, longest name first."""

    def __init__(self, text: str, known_cities: Iterable[str]) -> None:
        self.text = text
        self.folded = fold(text)
        self.words = [
            _Word(m.group(0).replace(".", ""), text[m.start() : m.end()], m.start(), m.end())
            for m in words_of(self.folded)
        ]
        self.shouting = _shouting(text)
        index = _city_index(tuple(known_cities))
        self.cities, self.city_widths, self.city_prefixes = (
            index.spelling,
            index.widest,
            index.by_prefix,
        )
        self.places = Places()
        self.last_end: int | None = None  # character end of the last place read
        self.last_negated = False
        self.last_phrase_start = 0  # where the last unparsed place's words begin

    def scan(self) -> Places:
        i = 0
        while i < len(self.words):
            i += self._read_at(i) or 1
        return self.places

    def _candidates(self, i: int) -> list[_Candidate]:
        first = self.words[i].key
        widest = max(words_from(first), self.city_widths.get(first, 0), 1)
        found = []
        for length in range(min(widest, len(self.words) - i), 0, -1):
            key = first if length == 1 else " ".join(w.key for w in self.words[i : i + length])
            entry = country_word_by_key(key)
            city = self.cities.get(key)
            if entry is not None:
                found.append(
                    _Candidate(entry.code, city, entry.kind.value, entry.ambiguous, length)
                )
            elif city is not None:
                found.append(_Candidate(None, city, "city", length == 1, length))
        raw = self.words[i].raw
        if _TWO_LETTERS.fullmatch(raw) and is_alpha2(raw) and raw != "US":
            found.append(_Candidate(raw, None, "code", True, 1))
        cued = len(first) >= _FUZZY_MIN_LETTERS and (self._before(i)[1] or self._continues(i))
        if not found and cued:
            found.extend(self._misspelt(first))
        return found

    def _misspelt(self, word: str) -> list[_Candidate]:
        """The one-word country or city `word` misspells, as an ambiguous candidate."""
        prefix = word[:_FUZZY_PREFIX]
        keys = (*single_word_names().get(prefix, ()), *self.city_prefixes.get(prefix, ()))
        for key in keys:
            limit = 2 if len(key) >= _FUZZY_LONG else 1
            if edit_distance(word, key, limit) <= limit:
                entry = country_word_by_key(key)
                if entry is not None:
                    return [_Candidate(entry.code, self.cities.get(key), "name", True, 1)]
                return [_Candidate(None, self.cities[key], "city", True, 1)]
        return []

    def _read_at(self, i: int) -> int:
        """Read the place starting at word i; the number of words it spans (0: none)."""
        for candidate in self._candidates(i):
            verdict = self._judge(i, candidate)
            if verdict is None:
                continue
            self._record(i, candidate, negated=verdict)
            return candidate.length
        return 0

    def _judge(self, i: int, candidate: _Candidate) -> bool | None:
        """None: not a place here; otherwise whether it is negated ("outside France")."""
        end = i + candidate.length - 1
        negated, cued, strong = self._before(i)
        continuing = self._continues(i)
        if continuing:
            negated = negated or self.last_negated
        after = self._after_is_noun(end)
        if candidate.kind == "code":
            if self.shouting:
                return negated if strong else None
            if candidate.code in RISKY_CODES:
                return negated if (strong or continuing) else None
            return negated if (strong or cued or continuing) else None
        if self._is_pronoun_us(i, candidate):
            return None
        if candidate.kind != "city" and i > 0 and self.words[i - 1].key == "new":
            return None  # "New Mexico", "New England", "New Jersey": not the country
        if candidate.ambiguous:
            if not (cued or strong or continuing or after):
                return None
            if self._possessive(end) or (self._followed_by_capitalised(end) and not after):
                return None
            if candidate.kind == "adjective" and not self.words[i].raw[:1].isupper():
                return None
        return negated

    def _is_pronoun_us(self, i: int, candidate: _Candidate) -> bool:
        """ "us" only in capitals ("US", "U.S."), or as "the us"."""
        word = self.words[i]
        if candidate.length != 1 or word.key != "us" or "." in word.raw:
            return False
        return word.raw != "US" or self.shouting

    def _before(self, i: int) -> tuple[bool, bool, bool]:
        """(negated, location cue, country cue) from the words before word i."""
        j = i - 1
        while j >= 0 and self.words[j].key in _ARTICLES:
            j -= 1
        if j < 0:
            return False, False, False
        word = self.words[j].key
        previous = self.words[j - 1].key if j > 0 else ""
        negated = word in _NEGATIONS or (previous, word) in _NEGATION_PAIRS
        if word == "of" and previous == "outside":
            negated = True
        strong = word in _COUNTRY_CUES
        cued = (
            negated
            or strong
            or word in _LOCATION_CUES
            or (previous, word) in (("out", "of"), ("same", "for"), ("now", "for"), ("and", "for"))
        )  # "same for Kraków": the last question, asked of that place
        return negated, cued, strong

    def _continues(self, i: int) -> bool:
        """Word i follows the last place, joined only by commas, "and", "or"."""
        start = self.words[i].start
        if self.last_end is None or start - self.last_end > _MAX_LIST_GAP:
            return False
        return bool(_LIST_GAP.match(self.folded[self.last_end : start]))

    def _after_is_noun(self, end: int) -> bool:
        return end + 1 < len(self.words) and self.words[end + 1].key in _AFTER_NOUNS

    def _followed_by_capitalised(self, end: int) -> bool:
        if self.shouting or end + 1 >= len(self.words):
            return False
        following = self.words[end + 1]
        gap = self.text[self.words[end].end : following.start]
        return gap.isspace() and following.raw[:1].isupper()

    def _possessive(self, end: int) -> bool:
        return bool(_POSSESSIVE.match(self.folded, self.words[end].end))

    def _record(self, i: int, candidate: _Candidate, negated: bool) -> None:
        last = self.words[i + candidate.length - 1]
        extends = negated and self.last_negated and self._continues(i)
        self.last_end, self.last_negated = last.end, negated
        if extends:  # "other than France and Germany": one condition
            self.places.unparsed[-1] = " ".join(
                self.text[self.last_phrase_start : last.end].split()
            )
            return
        if candidate.kind == "region" or negated:
            self.last_phrase_start = self._phrase_start(i, negated)
            self.places.unparsed.append(
                " ".join(self.text[self.last_phrase_start : last.end].split())
            )
            return
        typed = " ".join(self.text[self.words[i].start : last.end].split())
        kind = "city" if candidate.city else "country"
        self.places.said.append((typed, "adjective" if candidate.kind == "adjective" else kind))
        if candidate.code and candidate.code not in self.places.countries:
            self.places.countries.append(candidate.code)
        if candidate.city and candidate.city not in self.places.cities:
            self.places.cities.append(candidate.city)

    def _phrase_start(self, i: int, negated: bool) -> int:
        """Where the words of an unparsed place begin, with the negation that made it one."""
        start = self.words[i].start
        if negated:
            j = i - 1
            while j >= 0 and (
                self.words[j].key in _ARTICLES or self.words[j].key in ("of", "from", "in", "to")
            ):
                j -= 1
            if j >= 0 and self.words[j].key in {*_NEGATIONS, "not", "than", "but", "apart"}:
                start = self.words[j].start
                if self.words[j].key in ("than", "but", "apart") and j > 0:
                    start = self.words[j - 1].start
        return start


def find_places(text: str, known_cities: Iterable[str] = ()) -> Places:
    """The countries (alpha-2), cities (as the tenant spells them) and unread place conditions."""
    return _Scanner(text, known_cities).scan()
