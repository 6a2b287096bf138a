"""Which directory objects, IPs, ids and error codes a prompt names."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from idpilot.copilot._edit_distance import edit_distance
from idpilot.copilot.understanding._slot_network import find_network
from idpilot.knowledge.countries import fold
from idpilot.knowledge.exonyms import endonym_variant
from idpilot.store import Store
from idpilot.store.lookup import (
    EntityMatch,
    MatchQuality,
    find_by_phrases,
    find_close_addresses,
    find_fuzzy,
    find_partial,
)
from idpilot.store.version_memo import per_snapshot

MAX_NGRAM = 6
MIN_FUZZY_CHARS = 8
MAX_PARTIAL_WORDS = 3
# A lone short word ("api", "hr", "it") is part of too many names to pick one out.
MIN_PARTIAL_WORD_CHARS = 4
MIN_HYPHENS_IN_A_PHRASE = 2
"""A word with two hyphens or more and a joining word is a phrase written as one
("everyone-in-munich"); a name stays whole ("PRV-Security-Operators"), and so does a compound
joined by one hyphen ("break-glass", "sign-in")."""
MIN_HYPHEN_PART_CHARS = 6
"""A word of a two-part compound this long is looked up alone ("document" of "document-signing")."""
_JOINING_WORDS = frozenset({"in", "at", "of", "for", "from", "the", "and", "with", "on", "to"})
# Identifiers an admin pastes, and that an answer may only name with evidence (grounding).
GUID = re.compile(
    r"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b"
)
EMAIL = re.compile(r"[\w.'+#-]+@[\w-]+(?:\.[\w-]+)+")
IPV4 = re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b")
_IPV6 = re.compile(r"\b(?:[0-9a-fA-F]{1,4}:){2,7}[0-9a-fA-F]{1,4}\b")
_QUOTED = re.compile(r"[\"“']([^\"”']{2,120})[\"”']")
_WORD = re.compile(r"[\w][\w'’.-]*")
FUNCTION_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "of",
        "to",
        "in",
        "on",
        "for",
        "from",
        "by",
        "with",
        "at",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "who",
        "what",
        "why",
        "when",
        "where",
        "which",
        "how",
        "did",
        "does",
        "do",
        "can",
        "could",
        "would",
        "should",
        "will",
        "me",
        "my",
        "our",
        "us",
        "i",
        "you",
        "your",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "there",
        "their",
        "they",
        "them",
        "he",
        "she",
        "his",
        "her",
        "him",
        "hers",
        "all",
        "any",
        "some",
        "no",
        "not",
        "about",
        "tell",
        "show",
        "list",
        "give",
        "find",
        "get",
        "summarize",
        "summarise",
        "explain",
        "details",
        "info",
        "information",
        "please",
        "thanks",
    ]
)
"""Words that say nothing about what is asked or whom it is about."""
# Words that never name an object on their own (first names and group names are matched
# only as whole phrases, so these only trim single-word noise).
STOPWORDS = FUNCTION_WORDS | frozenset(
    [
        "user",
        "users",
        "group",
        "groups",
        "member",
        "members",
        "owner",
        "owners",
        "account",
        "sign",
        "signin",
        "signins",
        "sign-in",
        "sign-ins",
        "log-in",
        "signed",
        "login",
        "log",
        "failed",
        "fail",
        "failing",
        "error",
        "errors",
        "last",
        "since",
        "today",
        "yesterday",
        "morning",
        "week",
        "month",
        "days",
        "day",
        "hours",
        "hour",
        "role",
        "roles",
        "app",
        "apps",
        "application",
        "applications",
        "policy",
        "policies",
        "risk",
        "risky",
        "access",
        "admin",
        "admins",
        # Verbs of the question that policy names also use ("CA021: Require password change").
        "change",
        "changed",
        "changes",
        "require",
        "requires",
        "block",
        "blocked",
        "password",
        "passwords",
        # The tenant as a whole ("what changed in the directory?"), not an app named for it.
        "directory",
        "tenant",
        # People in general ("the last 3 people to reset"), not a group named "People & ...".
        "people",
        "person",
        "persons",
        "staff",
        "employees",
        "accounts",
        "audit",
        "authentication",
        "method",
        "methods",
    ]
)


@dataclass
class PromptEntities:
    """What a prompt names: resolved directory objects and literal identifiers."""

    matches: list[EntityMatch] = field(default_factory=list)
    ips: list[str] = field(default_factory=list)
    guids: list[str] = field(default_factory=list)
    error_codes: list[int] = field(default_factory=list)
    role_words: list[str] = field(default_factory=list)
    """The words that named a role in the admins' way ("global admin")."""
    unknown_names: list[str] = field(default_factory=list)
    """Names the prompt gives that the tenant lacks, though a word of them matched others
    ("the Projekt Osprey group" where only Projekt Kestrel exists)."""

    def of_kind(self, kind: str) -> list[EntityMatch]:
        """Matches of one Graph kind."""
        return [m for m in self.matches if m.kind == kind]

    def groups_by_phrase(self, kind: str) -> dict[str, list[EntityMatch]]:
        """Matches of one kind grouped by the phrase that produced them, in prompt order."""
        grouped: dict[str, list[EntityMatch]] = {}
        for match in self.of_kind(kind):
            grouped.setdefault(match.phrase, []).append(match)
        return grouped


def _tokens(prompt: str) -> list[str]:
    words = []
    for raw in _WORD.findall(prompt.lower()):
        word = raw.rstrip(".'’-")
        for suffix in ("'s", "’s"):
            word = word.removesuffix(suffix)
        if word:
            words.append(word)
    return words


def candidate_phrases(prompt: str) -> list[tuple[str, int, int]]:
    """(phrase, start, end) for every n-gram of words, plus quoted text and emails."""
    tokens = _tokens(prompt)
    phrases: list[tuple[str, int, int]] = []
    for size in range(1, MAX_NGRAM + 1):
        for start in range(len(tokens) - size + 1):
            words = tokens[start : start + size]
            if size == 1 and (words[0] in STOPWORDS or words[0].isdigit()):
                continue
            phrases.append((" ".join(words), start, start + size))
    for start, token in enumerate(tokens):
        # A phrase written as one word ("the everyone-in-Munich group"): its words too.
        parts = token.split("-")
        if len(parts) > MIN_HYPHENS_IN_A_PHRASE and set(parts) & _JOINING_WORDS:
            words = [w for w in parts if len(w) >= MIN_PARTIAL_WORD_CHARS]
            phrases += [(w, start, start + 1) for w in words if w not in STOPWORDS]
    for quoted in _QUOTED.findall(prompt):
        phrases.append((quoted.strip().lower(), -1, -1))
    phrases += [(email, -1, -1) for email in typed_emails(prompt)]
    return phrases


def _hyphen_phrases(typed: list[tuple[str, int, int]], covered: set[str]) -> list[tuple[str, int]]:
    """ "the block-legacy-auth policy": a word of hyphenated parts that names nothing whole is
    also looked up by runs of two parts or more ("block legacy"), and a compound of two by
    each long part ("document" of "document-signing"), with its position."""
    found = []
    for phrase, start, end in typed:
        parts = phrase.split("-")
        if end - start != 1 or len(parts) < 2 or phrase in covered:
            continue
        if len(parts) == 2:
            # "the document-signing app": each long word alone ("sign-in", "break-glass" stay)
            found += [(p, start) for p in parts if len(p) >= MIN_HYPHEN_PART_CHARS]
            continue
        for size in range(2, min(len(parts), MAX_PARTIAL_WORDS) + 1):
            for first in range(len(parts) - size + 1):
                found.append((" ".join(parts[first : first + size]), start))
    return found


def typed_emails(prompt: str) -> list[str]:
    """The addresses (sign-in names, mail) the prompt types, lower case."""
    return [email.lower().rstrip(".") for email in EMAIL.findall(prompt)]


def resolve_entities(store: Store, prompt: str) -> PromptEntities:
    """Resolve the objects a prompt names, preferring the longest and most exact phrase."""
    found = PromptEntities()
    found.guids = [g.lower() for g in GUID.findall(prompt)]
    found.ips = IPV4.findall(prompt) + [ip for ip in _IPV6.findall(prompt) if ip not in found.guids]
    without_ids = GUID.sub(" ", prompt)
    # The slot reader's rules: a ticket number, a count or a port is not an error code.
    found.error_codes = find_network(without_ids).error_codes
    typed = candidate_phrases(prompt)
    # "Munich" also looks up "München", and a match keeps the words the prompt typed.
    variants = [(v, p, s, e) for p, s, e in typed if (v := endonym_variant(p)) is not None]
    said_as = {v: p for v, p, _, _ in variants}
    phrases = typed + [(v, s, e) for v, _, s, e in variants]
    spans = {phrase: (start, end) for phrase, start, end in phrases}
    lookups = [p for p, _, _ in phrases] + found.guids
    matches = [m for m in find_by_phrases(store, lookups) if not _typed_as_a_code(m, prompt)]
    covered = {m.phrase for m in matches}
    fuzzy_phrases = [
        p for p, start, end in phrases
        if end - start >= 2 and len(p) >= MIN_FUZZY_CHARS and p not in covered
        and not _edged_by_stopword(p)
    ]  # fmt: skip
    if not any(m.quality in (MatchQuality.exact, MatchQuality.id) for m in matches):
        matches += find_fuzzy(store, fuzzy_phrases)
    covered = {m.phrase for m in matches}
    # A sign-in name no user has: the one it is a slip of ("bartlomiej.sekk@...").
    matches += find_close_addresses(store, [p for p in typed_emails(prompt) if p not in covered])
    covered = {m.phrase for m in matches}
    partial_phrases = [
        p for p, start, end in phrases
        if start >= 0 and end - start <= MAX_PARTIAL_WORDS and p not in covered
        and (end - start > 1 or len(p) >= MIN_PARTIAL_WORD_CHARS)
    ]  # fmt: skip
    for phrase, start in _hyphen_phrases(typed, covered):
        spans.setdefault(phrase, (start, start + 1))
        partial_phrases.append(phrase)
    matches += find_partial(store, partial_phrases)
    matches += _short_words_before_a_kind(store, prompt, {m.phrase for m in matches})
    matches = [
        m.model_copy(update={"phrase": said_as[m.phrase]}) if m.phrase in said_as else m
        for m in matches
    ]
    matches, found.unknown_names = _without_sibling_names(matches, spans, prompt)
    matches, unknown_people = _without_unknown_surnames(store, matches, spans, prompt)
    found.unknown_names += unknown_people
    _prefer_free_occurrences(matches, spans, phrases)
    found.matches = _keep_longest(matches, spans)
    return found


SHORT_NAME_CHARS = 3


def _typed_as_a_code(match: EntityMatch, prompt: str) -> bool:
    """A short name typed in capitals in a prompt that is not all capitals: a code or an
    acronym ("budget in SEK", "the EUR invoices"), not the person Sęk."""
    if match.kind != "user" or len(match.phrase) > SHORT_NAME_CHARS or prompt.isupper():
        return False
    typed = re.findall(rf"\b{re.escape(match.phrase)}\b", prompt, re.I)
    return bool(typed) and all(word.isupper() for word in typed)


def _prefer_free_occurrences(
    matches: list[EntityMatch],
    spans: dict[str, tuple[int, int]],
    phrases: list[tuple[str, int, int]],
) -> None:
    """A phrase typed twice is placed where no longer matched phrase covers it: "Paulo (São
    Paulo, sales)" names Paulo by its first word, though its second lies inside the city."""
    occurrences: dict[str, list[tuple[int, int]]] = {}
    for phrase, start, end in phrases:
        if start >= 0:
            occurrences.setdefault(phrase, []).append((start, end))
    matched = {m.phrase for m in matches}
    for phrase in matched:
        places = occurrences.get(phrase, [])
        if len(places) < 2:
            continue
        others = [spans[p] for p in matched if p != phrase and p in spans and spans[p][0] >= 0]
        free = [
            (start, end)
            for start, end in places
            if not any(s <= start and end <= e and (e - s) > (end - start) for s, e in others)
        ]
        if free:
            spans[phrase] = free[0]


_KIND_OF_NOUN = {
    **dict.fromkeys(
        ("app", "application", "portal", "tool", "system", "integration", "connector", "sync"),
        "servicePrincipal",
    ),
    **dict.fromkeys(("group", "team"), "group"),
    "policy": "conditionalAccessPolicy",
}
SHORT_WORD = (2, 3)
"""Lengths of a word too short to name an object alone ("hr", "crm"), unless a kind noun
follows it ("the HR app")."""


def _short_words_before_a_kind(store: Store, prompt: str, covered: set[str]) -> list[EntityMatch]:
    """ "the HR app", "the CRM sync tool": a short word and the kind of object it names; the
    one object of that kind whose name holds the word (none when several do)."""
    kinds: dict[str, set[str]] = {}
    for word, noun in itertools.pairwise(_tokens(prompt)):
        kind = _KIND_OF_NOUN.get(noun)
        if (
            kind is not None
            and SHORT_WORD[0] <= len(word) <= SHORT_WORD[1]
            and _could_be_a_name(word)
            and word not in covered
        ):
            kinds.setdefault(word, set()).add(kind)
    if not kinds:
        return []
    found: list[EntityMatch] = []
    partial = find_partial(store, list(kinds))
    for word, wanted in kinds.items():
        for kind in sorted(wanted):
            named = [m for m in partial if m.phrase == word and m.kind == kind]
            if len({m.id for m in named}) == 1:
                found.append(named[0])
    return found


# Words that say what kind of object a name is, not part of the name ("the Osprey group").
_KIND_NOUNS = frozenset(
    {
        *("group", "groups", "team", "teams", "app", "apps", "application", "applications"),
        *("policy", "policies", "role", "roles", "member", "members", "owner", "owners"),
        *("membership", "site", "sites", "portal", "workflow", "workflows"),
    }
)


def _without_sibling_names(
    matches: list[EntityMatch], spans: dict[str, tuple[int, int]], prompt: str
) -> tuple[list[EntityMatch], list[str]]:
    """Partial matches that stand for a name the tenant lacks, dropped and said.

    "the Projekt Osprey group" matches Projekt Kestrel on "projekt" alone; the word after the
    phrase ("osprey") takes the place of the name's own next word, is no word admins' questions
    use, and no matched name holds it: the admin named a sibling that does not exist. The word
    before does the same for groups when every matched name has a word before the phrase ("the
    project titan team group" where Project Atlas Team and Project Orion Team exist). People are
    left alone ("why did alice fail" names Alice, whatever follows).
    """
    tokens = _tokens(prompt)
    unknown: dict[str, tuple[int, int]] = {}
    for phrase in {m.phrase for m in matches if m.quality is MatchQuality.partial}:
        start, end = spans.get(phrase, (-1, -1))
        named = [m for m in matches if m.phrase == phrase]
        if start < 0 or any(m.kind == "user" for m in named):
            continue
        if end < len(tokens) and _stands_for_a_name_word(tokens[end], named):
            unknown[phrase] = (start, end + 1)
        elif (
            start > 0
            and (groups := [m for m in named if m.kind == "group"])
            and _stands_for_a_name_word(tokens[start - 1], named)
            and _follows_a_name_word(groups, phrase)
        ):
            unknown[phrase] = (start - 1, end)
    kept = [m for m in matches if m.phrase not in unknown]
    return kept, [_typed(prompt, tokens[a:b]) for a, b in _joined(unknown.values())]


def _joined(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Word spans with those that overlap or touch made one, in prompt order."""
    joined: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if joined and start <= joined[-1][1]:
            joined[-1] = (joined[-1][0], max(end, joined[-1][1]))
        else:
            joined.append((start, end))
    return joined


def _typed(prompt: str, words: list[str]) -> str:
    """The words as the admin typed them (case, punctuation between), else joined by spaces."""
    typed = re.search(r"\b" + r"\W+".join(map(re.escape, words)) + r"\b", prompt, re.I)
    return typed.group(0) if typed else " ".join(words)


GROUP_KIND_WORDS = frozenset(
    {
        *("dynamic", "automatic", "auto", "security", "distribution", "unified", "assignable"),
        *("nested", "mail-enabled", "shared", "new", "old", "main", "big", "whole", "entire"),
        *("default", "official", "usual", "other", "same", "own"),
    }
)
"""Words that say what kind of group (or which of them) is meant, not its name: "the automatic
engineering group", "the old finance team"."""


def _stands_for_a_name_word(word: str, named: list[EntityMatch]) -> bool:
    """Whether a word beside a partly matched name is a name word of its own: no function
    word, kind noun or word of admins' questions, and a word of none of the matched names."""
    from idpilot.copilot.understanding.classifier import classifier_for

    return (
        _could_be_a_name(word)
        and word not in _KIND_NOUNS
        and word not in GROUP_KIND_WORDS
        and classifier_for(()).exemplars_using(word) == 0
        and not any(word in _WORD.findall(m.label.lower()) for m in named)
    )


def _follows_a_name_word(named: list[EntityMatch], phrase: str) -> bool:
    """Whether every matched name that holds the phrase's first word has a word before it
    ("Project Atlas Team" for "team"; "Microsoft Teams", a stem match, says nothing)."""
    first = phrase.split()[0]
    holding = [w for m in named if first in (w := _WORD.findall(m.label.lower()))]
    return bool(holding) and all(words.index(first) > 0 for words in holding)


MIN_SURNAME_WORD = 3


def _without_unknown_surnames(
    store: Store, matches: list[EntityMatch], spans: dict[str, tuple[int, int]], prompt: str
) -> tuple[list[EntityMatch], list[str]]:
    """First-name matches of a person the tenant lacks, dropped and said.

    "what roles does oskar brannigan have?" where two Oskars exist and neither is a Brannigan:
    the word after the first name reads as a surname (no word admins' questions use, no word of
    a matched person's name, no department or city of the tenant), so the admin named someone
    else, not one of the Oskars. A surname another person has ("oskar novak" where only Tomas
    Novak exists) names no one either.
    """
    from idpilot.copilot.understanding.classifier import classifier_for

    tokens = _tokens(prompt)
    by_phrase: dict[str, list[EntityMatch]] = {}
    for match in matches:
        if match.kind == "user":
            by_phrase.setdefault(match.phrase, []).append(match)
    unknown: dict[str, str] = {}
    surnames: set[str] = set()
    local_words: frozenset[str] | None = None
    for phrase, people in by_phrase.items():
        start, end = spans.get(phrase, (-1, -1))
        if (
            start < 0
            or end - start != 1
            or end >= len(tokens)
            or any(m.quality is not MatchQuality.first_name for m in people)
        ):
            continue
        word = tokens[end]
        if (
            not _could_be_a_name(word)
            or len(word) < MIN_SURNAME_WORD
            or word in _KIND_NOUNS
            or classifier_for(()).knows_word(word)
            or any(_close_to_a_word_of(word, m.label) for m in people)
            or _covered_by_other_kind(matches, spans, end)
            or not re.search(rf"\b{re.escape(phrase)}\s+{re.escape(word)}\b", prompt, re.I)
        ):
            # A word after a comma is no surname ("Zofia, Ingrid or Paulo" lists three).
            continue
        if local_words is None:
            local_words = _local_words(store)
        if word in local_words:
            continue
        unknown[phrase] = _typed(prompt, [*phrase.split(), word])
        surnames.add(word)
    kept = [m for m in matches if m.phrase not in unknown and m.phrase not in surnames]
    return kept, list(unknown.values())


SURNAME_SLIPS = 2
"""Letters a surname may be typed off by and still be the person's ("nystroem", "ibanez")."""


MIN_TWO_SLIP_CHARS = 6
"""Shorter words are allowed one slip: two turn "Zhou" into "Zoe"."""


def _close_to_a_word_of(word: str, name: str) -> bool:
    """Whether `word` is a word of `name`, accents folded, or a slip or two from one (one for a
    short word)."""
    folded = fold(word)
    slips = SURNAME_SLIPS if len(folded) >= MIN_TWO_SLIP_CHARS else 1
    return any(
        edit_distance(folded, fold(part), slips) <= slips for part in _WORD.findall(name.lower())
    )


def _covered_by_other_kind(
    matches: list[EntityMatch], spans: dict[str, tuple[int, int]], index: int
) -> bool:
    """Whether the word at `index` is part of a name matched as another kind of object."""
    return any(
        m.kind != "user" and spans.get(m.phrase, (-1, -1))[0] <= index < spans[m.phrase][1]
        for m in matches
        if m.phrase in spans
    )


def _local_words(store: Store) -> frozenset[str]:
    """The words of the tenant's departments and sign-in cities, lower case (read once per
    store version or snapshot)."""
    from idpilot.store.directory import departments, sign_in_cities

    return per_snapshot(
        store,
        "department and city words",
        lambda: frozenset(
            word
            for name in (*departments(store), *sign_in_cities(store))
            for word in _WORD.findall(name.lower())
        ),
    )


def _could_be_a_name(word: str) -> bool:
    """Whether a word could be (part of) a name: letters only, no function word or auxiliary."""
    return word.isalpha() and word not in STOPWORDS and word not in _AUXILIARIES


def _edged_by_stopword(phrase: str) -> bool:
    """A phrase starting or ending with a function word ("blade manufacturing has no") is not
    a misspelt name: names are matched on their own words, not on the words around them."""
    words = phrase.split()
    return any(word in STOPWORDS or word in _AUXILIARIES for word in (words[0], words[-1]))


_AUXILIARIES = frozenset(
    ["has", "have", "had", "does", "did", "do", "got", "gets", "get", "is", "are", "was"]
)


def _keep_longest(
    matches: list[EntityMatch], spans: dict[str, tuple[int, int]]
) -> list[EntityMatch]:
    """Drop matches whose words lie inside a longer matched phrase ("alice" in "alice johnson").

    Linear in the matches: containment is decided once per distinct span (a prompt has a few
    dozen), however many objects share a name.
    """
    matched_spans = {spans[m.phrase] for m in matches if spans.get(m.phrase, (-1, -1))[0] >= 0}
    inside_longer = {
        (start, end)
        for start, end in matched_spans
        if any(s <= start and end <= e and (s, e) != (start, end) for s, e in matched_spans)
    }
    kept = [m for m in matches if spans.get(m.phrase, (-1, -1)) not in inside_longer]
    # Prompt order; phrases that are not word spans (quoted text, mail, ids) go last; ties keep
    # the longer span first, as before.
    return sorted(
        kept,
        key=lambda m: (
            spans.get(m.phrase, (10**6, 0))[0],
            -(spans.get(m.phrase, (0, 99))[1] - spans.get(m.phrase, (0, 0))[0]),
        ),
    )
