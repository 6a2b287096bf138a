"""Intent recognition from meaning: nearest exemplars by sentence embedding and by words.

Each intent has a bank of exemplar prompts (`exemplars.yaml`, written in admins' words with
placeholders for names). A prompt, with the names it contains replaced by the same
placeholder words, is compared with every exemplar twice: by the static sentence embedding
(meaning) and by TF-IDF over words and word pairs (vocabulary, including jargon the
embedding knows little of). Each intent's score is the mean of its best few neighbours under
each measure; the two are mixed with fixed weights, and the probabilities come from a softmax
whose temperature was set on the development phrasings, so a low top probability means "I am
not sure which of these you meant".

The shipped bank's vectors and TF-IDF postings are precomputed (`intent_index`), so a cold
process reads them instead of parsing the bank and embedding it; the results are the same.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import numpy as np

from idpilot.copilot._edit_distance import edit_distance
from idpilot.copilot.understanding import intent_index
from idpilot.copilot.understanding import linear as linear_model
from idpilot.copilot.understanding.embedding import StaticEmbedder, default_embedder, model_folder
from idpilot.copilot.understanding.linear import LinearScorer

NEIGHBOURS = 3
EMBEDDING_WEIGHT = 1.0
LEXICAL_WEIGHT = 0.8
TEMPERATURE = 0.05
NEAREST_WEIGHT = 0.7
"""How much the nearest exemplars weigh against the linear reading (log-linear mix). Chosen on
the two fresh sets written last (vindelkraft-fresh5, contoso-fresh4), after their untuned first
runs were recorded: of 179 questions, nearest exemplars alone answered 153, a weight of 0.8 156,
0.7 161, 0.6 160."""
NEAR_DUPLICATE = 9.0
"""A prompt this close to an exemplar (mixed similarity) is read by the nearest exemplars alone:
it is worded as the bank words it."""
_FLOOR = 1e-12
MIN_LINEAR_EXEMPLARS = 10
"""Below this many exemplars an intent is read by its nearest exemplars alone."""
# The placeholder word each name kind becomes, in exemplars and in prompts alike.
PLACEHOLDER_WORDS = {
    "user": "someone",
    "first_name": "someone",
    "user_upn": "someone",
    "admin": "someone",
    "group": "the group",
    "other_group": "the group",
    "app": "the app",
    "role": "the role",
    "policy": "the policy",
    "ip": "that ip",
    "country": "that country",
    "city": "that city",
    "error_code": "50000",
    "department": "the department",
    "days": "30",
    "number": "5",
    "device": "the device",
    "date": "that date",
    "weekday": "monday",
}
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_CODE_PREFIX = re.compile(r"\baadsts\s*(?=\{error_code\})", re.I)
_CODE_IN_QUOTE = re.compile(r"\b(?:aadsts\s*)?\d{5,7}\b", re.I)
"""A quoted message that carries its error code ("AADSTS53003: Access has been blocked")."""
_QUOTED_MESSAGE = re.compile(
    r"[\"“]([^\"“”\n]{12,200})[\"”]"
    r"|(?<![\w'’])['‘]((?:[^'‘’\n]|(?<=\w)['’](?=\w)){12,200}?)['’](?![\w'’])"
)
_GIVEN_TEXT = re.compile(
    r"^([^:\n]{0,60}?\b(?:translate|rewrite|rephrase|reword|paraphrase|proofread|polish)\b"
    r"[^:\n]{0,60}):\s*(.+)$",
    re.I | re.S,
)
"""A writing task on text given after a colon: the words after it are the text, not the ask."""
QUOTED_PLACEHOLDER = "an error message"
RISK_DETECTION_PLACEHOLDER = "a risk detection"
"""A quoted Identity Protection detection's name (an alert a SOC pivots from)."""
MESSAGE_WORDS = 3
_FIRST_PERSON = re.compile(r"\b(?:i|i['’]m|i['’]ve|my|me|mine|we|our)\b", re.I)
"""A quote in the first person is what someone said, not a message a screen showed."""
_ERROR_WORDS = re.compile(
    r"\b(?:aadsts\d*|error|blocked|denied|locked|invalid|incorrect|expired|disabled|"
    r"something went wrong|sign-?in was|access)\b",
    re.I,
)
"""Words of a message a screen shows, though quoted from someone who also says "I"."""
SHORTHAND = {
    "perms": "permissions",
    "perm": "permission",
    "pwd": "password",
    "pw": "password",
    "passwd": "password",
    "acct": "account",
    "accts": "accounts",
    "svc": "service",
    "grp": "group",
    "pol": "policy",
    "pols": "policies",
    "grps": "groups",
    "usr": "user",
    "usrs": "users",
    "creds": "credentials",
    "cred": "credential",
    "dept": "department",
    "depts": "departments",
    "mgr": "manager",
    "ca": "conditional access",
    "2fa": "mfa",
    "2-fa": "mfa",
    "approx": "approximately",
    "pls": "please",
    "plz": "please",
    "thx": "thanks",
}
"""Shorthand identity admins type, and the words they mean."""
OTHER_LANGUAGES = {
    # German
    "anmelden": "sign in", "anmeldung": "sign-in", "anmeldungen": "sign-ins",
    "angemeldet": "signed in", "warum": "why", "benutzer": "user", "konto": "account",
    "gesperrt": "blocked", "richtlinie": "policy", "richtlinien": "policies",
    "geändert": "changed", "gruppe": "group", "passwort": "password",
    "zurückgesetzt": "reset", "fehlgeschlagen": "failed",
    # French
    "connexion": "sign-in", "connecter": "sign in", "utilisateur": "user",
    "utilisateurs": "users", "compte": "account", "bloqué": "blocked", "pourquoi": "why",
    "politique": "policy", "stratégie": "policy", "groupe": "group", "modifié": "changed",
    "échoué": "failed",
    # Spanish
    "usuario": "user", "usuarios": "users", "cuenta": "account", "bloqueado": "blocked",
    "bloqueada": "blocked", "política": "policy", "contraseña": "password", "grupo": "group",
    # Swedish, Norwegian, Danish
    "varför": "why", "användare": "user", "låst": "locked", "inloggning": "sign-in",
    "lösenord": "password", "grupp": "group", "spärrad": "blocked", "hvorfor": "why",
    "bruker": "user", "passord": "password",
    # Dutch
    "waarom": "why", "gebruiker": "user", "wachtwoord": "password", "geblokkeerd": "blocked",
    "inloggen": "sign in",
}  # fmt: skip
"""Words of the trade in the languages of European tenants' admins, in English: a question
half in German ("Warum kann sich X nicht anmelden?") reads as the English words would."""
SHORTHAND.update(OTHER_LANGUAGES)
_SHORTHAND_WORD = re.compile(
    r"(?<![\w.@-])(?:" + "|".join(map(re.escape, SHORTHAND)) + r")(?![\w@-]|\.\w)", re.I
)
_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
_SUFFIXES = ("ing", "ed", "es", "s")
_LETTERS = re.compile(r"\b[A-Za-z]{5,}\b")
MIN_SPELLED = 5
"""Shorter words are respelled too often into other words ("sms" is not "sso")."""
MIN_SPELLED_USES = 2
"""A respelling lands only on a word several exemplars use."""


@dataclass(frozen=True)
class Exemplar:
    """One prompt of the bank, with the intent (and facet) it asks."""

    text: str
    intent: str
    facet: str | None = None


@dataclass(frozen=True)
class IntentScore:
    """How likely one intent is for a prompt."""

    intent: str
    probability: float
    facet: str | None


def favour(scores: list[IntentScore], intent: str, weight: float) -> list[IntentScore]:
    """The scores with one intent made `weight` times likelier (not renormalised)."""
    return [
        IntentScore(s.intent, s.probability * (weight if s.intent == intent else 1.0), s.facet)
        for s in scores
    ]


PERSONAL_PRONOUN = re.compile(r"\b(?:he|she|him|her|his|hers)\b", re.I)
"""A person's pronoun: in a prompt about a person it reads as that person ("someone")."""


def fill_placeholders(text: str) -> str:
    """An exemplar with its `{kind}` placeholders replaced by the shared placeholder words, a
    quoted message read as one, and a person's pronouns read as the person (as prompts that
    name someone are)."""
    # "AADSTS{error_code}" reads as a prompt's code does once masked: the number alone.
    text = _CODE_PREFIX.sub("", text)
    filled = _PLACEHOLDER.sub(lambda m: PLACEHOLDER_WORDS.get(m.group(1), m.group(1)), text)
    filled = PERSONAL_PRONOUN.sub(PLACEHOLDER_WORDS["user"], filled)
    return written_out(mask_quoted_messages(single_placeholders(filled)))


_DOUBLED_PLACEHOLDER = re.compile(
    r"\b(?:the\s+)?the (group|app|role|policy)\b(?:\s+(?:group|app|application|role|policy)\b)?",
    re.I,
)


def single_placeholders(text: str) -> str:
    """ "the <name> group" with its name masked reads "the group", not "the the group group"
    (in prompts and exemplars alike)."""
    return _DOUBLED_PLACEHOLDER.sub(lambda m: f"the {m.group(1)}", text)


def written_out(text: str) -> str:
    """Admins' shorthand written out ("graph perms", "pwd reset", "svc acct"), in prompts and
    exemplars alike, so both are read in the same words."""
    return _SHORTHAND_WORD.sub(lambda m: SHORTHAND[m.group(0).lower()], text)


def _names_a_risk_detection(quoted: str) -> bool:
    """Whether a quote is an Identity Protection detection's name (every word of its title:
    "Activity from an anonymous IP address" names "Anonymous IP address")."""
    words = set(_WORD.findall(quoted.lower()))
    return any(title <= words for title in _risk_titles())


@cache
def _risk_titles() -> tuple[frozenset[str], ...]:
    from idpilot.knowledge.risk_events import risk_event_types

    titles = [set(_WORD.findall(e.title.lower())) for e in risk_event_types()]
    return tuple(frozenset(t) for t in titles if len(t) >= 2)


def mask_quoted_messages(text: str) -> str:
    """A quoted sentence (an error message someone saw) becomes "an error message": its words
    are what the message said, not what is asked. A quoted name of one or two words stays."""

    def placeholder(match: re.Match[str]) -> str:
        quoted = match.group(1) or match.group(2) or ""
        if _CODE_IN_QUOTE.search(quoted):
            return f"error {PLACEHOLDER_WORDS['error_code']}"  # the code is what it names
        if _names_a_risk_detection(quoted):
            return RISK_DETECTION_PLACEHOLDER  # an alert's name: "'Atypical travel' on lars"
        if _FIRST_PERSON.search(quoted) and not _ERROR_WORDS.search(quoted):
            return quoted  # what someone said ("somebody reset my password"): what is asked
        return QUOTED_PLACEHOLDER if len(quoted.split()) >= MESSAGE_WORDS else match.group(0)

    text = _QUOTED_MESSAGE.sub(placeholder, text)
    if (given := _GIVEN_TEXT.match(text)) and len(given.group(2).split()) >= MESSAGE_WORDS:
        # "translate this into Spanish: your password will expire": the text to work on.
        return f"{given.group(1)}: {QUOTED_PLACEHOLDER}"
    return text


def _stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def lexical_terms(text: str) -> list[str]:
    """Stemmed words and adjacent word pairs of a text, for the TF-IDF measure."""
    words = [_stem(w.replace("’", "'")) for w in _WORD.findall(text.lower())]
    return words + [f"{a} {b}" for a, b in itertools.pairwise(words)]


class _Tfidf:
    """TF-IDF vectors over a fixed vocabulary, with cosine similarity by inverted index.

    The postings of term k are rows[starts[k]:starts[k + 1]], with their weights.
    """

    def __init__(
        self,
        idf: dict[str, float],
        starts: list[int],
        rows: list[int],
        weights: list[float],
        size: int,
    ) -> None:
        self._idf = idf
        self._column = {term: k for k, term in enumerate(idf)}
        self._by_initial: dict[str, list[str]] | None = None
        self._starts, self._rows, self._weights = starts, rows, weights
        self._size = size

    @classmethod
    def fit(cls, documents: list[list[str]]) -> _Tfidf:
        """The index of `documents` (lists of terms), computed from them."""
        frequency = Counter(term for doc in documents for term in set(doc))
        count = len(documents)
        idf = {t: math.log((1 + count) / (1 + f)) + 1.0 for t, f in sorted(frequency.items())}
        postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for row, doc in enumerate(documents):
            for term, weight in _tfidf_vector(idf, doc).items():
                postings[term].append((row, weight))
        starts, rows, weights = [0], [], []
        for term in idf:
            rows.extend(row for row, _ in postings[term])
            weights.extend(weight for _, weight in postings[term])
            starts.append(len(rows))
        return cls(idf, starts, rows, weights, count)

    @classmethod
    def stored(cls, index: intent_index.PrecomputedIndex) -> _Tfidf:
        """The index as the shipped file holds it."""
        idf = dict(zip(index.terms, index.idf.tolist(), strict=True))
        return cls(
            idf, index.starts.tolist(), index.rows.tolist(), index.weights.tolist(), len(index.bank)
        )

    def arrays(self) -> tuple[list[str], list[float], list[int], list[int], list[float]]:
        """Terms, idf, starts, rows and weights: what the shipped file stores."""
        return list(self._idf), list(self._idf.values()), self._starts, self._rows, self._weights

    def _vector(self, terms: Iterable[str]) -> dict[str, float]:
        return _tfidf_vector(self._idf, terms)

    def columns(self, terms: Iterable[str]) -> dict[int, float]:
        """The TF-IDF weights of a text's terms, by term column."""
        return {self._column[term]: weight for term, weight in self._vector(terms).items()}

    def triples(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every document's weights as sparse (row, column, weight) arrays."""
        counts = np.diff(np.asarray(self._starts))
        columns = np.repeat(np.arange(len(counts)), counts)
        return np.asarray(self._rows), columns, np.asarray(self._weights)

    @property
    def size(self) -> int:
        """How many terms the vocabulary holds."""
        return len(self._idf)

    def spelled(self, word: str) -> str | None:
        """The vocabulary's single-word term one typing slip away from `word` (an insert, a
        drop, a wrong letter or two letters swapped: "blokced" is "block"), the most used when
        several are; None when the word is known or nothing is that close."""
        if word in self._column or len(word) < MIN_SPELLED:
            return None
        if self._by_initial is None:
            self._by_initial = defaultdict(list)
            for term in self._idf:
                if " " not in term and term.isalpha() and len(term) >= MIN_SPELLED - 1:
                    self._by_initial[term[0]].append(term)
        near = [
            t
            for t in self._by_initial.get(word[0], [])
            if edit_distance(word, t, 1) <= 1 and self.documents_with(t) >= MIN_SPELLED_USES
        ]
        return max(near, key=lambda t: (self.documents_with(t), t)) if near else None

    def documents_with(self, term: str) -> int:
        """How many documents hold the term."""
        k = self._column.get(term)
        return 0 if k is None else self._starts[k + 1] - self._starts[k]

    def similarities(self, terms: list[str]) -> np.ndarray:
        """Cosine similarity of the terms to every document."""
        scores = np.zeros(self._size, dtype=np.float32)
        for term, weight in self._vector(terms).items():
            k = self._column[term]
            for row, other in zip(
                self._rows[self._starts[k] : self._starts[k + 1]],
                self._weights[self._starts[k] : self._starts[k + 1]],
                strict=True,
            ):
                scores[row] += weight * other
        return scores


def _tfidf_vector(idf: dict[str, float], terms: Iterable[str]) -> dict[str, float]:
    counts = Counter(t for t in terms if t in idf)
    vector = {t: (1 + math.log(c)) * idf[t] for t, c in counts.items()}
    norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
    return {t: v / norm for t, v in vector.items()}


class IntentClassifier:
    """Scores every intent for a prompt from its nearest exemplars."""

    def __init__(self, exemplars: list[Exemplar], embedder: StaticEmbedder) -> None:
        texts = [fill_placeholders(e.text) for e in exemplars]
        vectors = embedder.embed(texts)
        tfidf = _Tfidf.fit([lexical_terms(t) for t in texts])
        self._setup(exemplars, embedder, vectors, tfidf, _fit_linear(exemplars, vectors, tfidf))

    @classmethod
    def _precomputed(
        cls,
        exemplars: list[Exemplar],
        embedder: StaticEmbedder,
        vectors: np.ndarray,
        tfidf: _Tfidf,
        linear: LinearScorer | None = None,
    ) -> IntentClassifier:
        classifier = cls.__new__(cls)
        linear = linear or _fit_linear(exemplars, vectors, tfidf)
        classifier._setup(exemplars, embedder, vectors, tfidf, linear)
        return classifier

    def _setup(
        self,
        exemplars: list[Exemplar],
        embedder: StaticEmbedder,
        vectors: np.ndarray,
        tfidf: _Tfidf,
        linear: LinearScorer,
    ) -> None:
        self.exemplars = exemplars
        self._embedder = embedder
        self._vectors = vectors
        self._tfidf = tfidf
        self.intents = sorted({e.intent for e in exemplars})
        self._linear = linear if linear.intents == self.intents else None
        self._rows = {
            intent: np.array([i for i, e in enumerate(exemplars) if e.intent == intent])
            for intent in self.intents
        }
        self._few_exemplars = np.array(
            [len(self._rows[intent]) < MIN_LINEAR_EXEMPLARS for intent in self.intents]
        )

    def precomputed(self) -> tuple[np.ndarray, _Tfidf, LinearScorer | None]:
        """The bank's sentence vectors, TF-IDF index and linear reading (what the shipped file
        stores)."""
        return self._vectors, self._tfidf, self._linear

    def exemplars_using(self, word: str) -> int:
        """How many exemplars use the word itself (a word of the trade: "Tor", "per", "grant")."""
        return self._tfidf.documents_with(_stem(word.lower()))

    def knows_word(self, word: str) -> bool:
        """Whether the bank uses the word, or it is one typing slip from a word the bank uses
        ("lcoked" for "locked"): a word of questions, not a name."""
        stem = _stem(word.lower())
        return self._tfidf.documents_with(stem) > 0 or self._tfidf.spelled(stem) is not None

    def scores(self, masked_prompt: str) -> list[IntentScore]:
        """Every intent with its probability, most likely first.

        `masked_prompt` is the prompt with the names it contains replaced by placeholder words.
        """
        masked_prompt = self._respelled(written_out(masked_prompt))
        prompt_vector = self._embedder.embed([masked_prompt])[0]
        meaning = self._vectors @ prompt_vector
        terms = lexical_terms(masked_prompt)
        words = self._tfidf.similarities(terms)
        mixed = EMBEDDING_WEIGHT * meaning + LEXICAL_WEIGHT * words
        raw = np.array([_top_mean(mixed[self._rows[i]]) for i in self.intents])
        weights = np.exp((raw - raw.max()) / TEMPERATURE)
        probabilities = weights / weights.sum()
        if self._linear is not None and float(mixed.max()) < NEAR_DUPLICATE:
            # Worded like no exemplar: the linear reading, which generalises further, joins in.
            linear = self._linear.probabilities(prompt_vector, self._tfidf.columns(terms))
            # An intent with few exemplars (a plugin's) is read by its nearest exemplars alone:
            # a few examples teach a linear model little.
            linear = np.where(self._few_exemplars, probabilities, linear)
            linear = linear / linear.sum()
            mixed_log = NEAREST_WEIGHT * np.log(probabilities + _FLOOR) + (
                1.0 - NEAREST_WEIGHT
            ) * np.log(linear + _FLOOR)
            weights = np.exp(mixed_log - mixed_log.max())
            probabilities = weights / weights.sum()
        order = np.argsort(-probabilities)
        return [
            IntentScore(
                intent=self.intents[k],
                probability=float(probabilities[k]),
                facet=self._facet(self.intents[k], mixed),
            )
            for k in order
        ]

    def _respelled(self, text: str) -> str:
        """The prompt with words the bank never uses, one slip from one it does, read as that
        word ("marta blokced on kvitto" reads "block"); names were masked before."""

        def respell(match: re.Match[str]) -> str:
            word = match.group(0)
            if word[0].isupper():
                return word  # a name as typed
            fixed = self._tfidf.spelled(_stem(word.lower()))
            if fixed is None or len(self._embedder.tokens(word.lower())) == 1:
                return word  # known, nothing close, or a word the model knows whole ("project")
            return fixed

        return _LETTERS.sub(respell, text)

    def _facet(self, intent: str, mixed: np.ndarray) -> str | None:
        """The intent's facet whose best few exemplars are nearest (as intents are scored): one
        exemplar that shares a name's words ("the pre-hire workflow") does not decide it."""
        by_facet: dict[str | None, list[int]] = defaultdict(list)
        for row in self._rows[intent]:
            by_facet[self.exemplars[row].facet].append(row)
        return max(by_facet, key=lambda facet: _top_mean(mixed[by_facet[facet]]))


def _fit_linear(exemplars: list[Exemplar], vectors: np.ndarray, tfidf: _Tfidf) -> LinearScorer:
    rows, columns, weights = tfidf.triples()
    return linear_model.fit(
        vectors, rows, columns, weights, tfidf.size, [e.intent for e in exemplars]
    )


def _top_mean(values: np.ndarray) -> float:
    if len(values) <= NEIGHBOURS:
        return float(values.mean())
    return float(np.partition(values, -NEIGHBOURS)[-NEIGHBOURS:].mean())


def load_bank(extra: Iterable[Exemplar] = ()) -> list[Exemplar]:
    """The shipped exemplar bank, plus exemplars that plugin skills declare."""
    return list(_shipped_bank()) + list(extra)


def parse_bank(text: str) -> list[Exemplar]:
    """The exemplars of a bank file's text (YAML: intents -> list of {text, facet})."""
    import yaml

    data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return [
        Exemplar(text=str(item["text"]), intent=intent, facet=item.get("facet"))
        for intent, items in data["intents"].items()
        for item in items
    ]


def text_rules() -> str:
    """The rules that turn exemplars into what is indexed, as text for the index's hash."""
    rules = {
        "placeholders": PLACEHOLDER_WORDS,
        "placeholder": [_PLACEHOLDER.pattern, _CODE_PREFIX.pattern],
        "word": _WORD.pattern,
        "suffixes": _SUFFIXES,
        "shorthand": SHORTHAND,
        "quoted": [
            _QUOTED_MESSAGE.pattern,
            _GIVEN_TEXT.pattern,
            QUOTED_PLACEHOLDER,
            MESSAGE_WORDS,
            _FIRST_PERSON.pattern,
            _ERROR_WORDS.pattern,
            RISK_DETECTION_PLACEHOLDER,
            _CODE_IN_QUOTE.pattern,
            sorted(sorted(title) for title in _risk_titles()),
        ],
        "linear": [linear_model.L2, linear_model.STEP, linear_model.EPOCHS],
    }
    return json.dumps(rules, sort_keys=True)


@cache
def _shipped_index() -> intent_index.PrecomputedIndex | None:
    """The shipped index, when it was computed from this bank, these rules and this model."""
    index = intent_index.read_index(intent_index.index_path())
    if index is None:
        return None
    current = intent_index.fingerprint(
        intent_index.bank_bytes(), text_rules(), model_folder(), hash_model=False
    )
    return index if intent_index.matches(index.fingerprint, current) else None


@cache
def _shipped_bank() -> tuple[Exemplar, ...]:
    index = _shipped_index()
    if index is not None:
        return tuple(Exemplar(text=t, intent=i, facet=f) for t, i, f in index.bank)
    return tuple(parse_bank(intent_index.bank_bytes().decode("utf-8")))


def compute_index(embedder: StaticEmbedder | None = None) -> intent_index.PrecomputedIndex:
    """The shipped bank's index computed from scratch, with its full fingerprint."""
    embedder = embedder or default_embedder()
    data = intent_index.bank_bytes()
    bank = parse_bank(data.decode("utf-8"))
    vectors, tfidf, linear = IntentClassifier(bank, embedder).precomputed()
    assert linear is not None  # fitted on this very bank
    terms, idf, starts, rows, weights = tfidf.arrays()
    return intent_index.PrecomputedIndex(
        bank=[(e.text, e.intent, e.facet) for e in bank],
        vectors=vectors,
        terms=terms,
        idf=np.array(idf, dtype=np.float64),
        starts=np.array(starts, dtype=np.int64),
        rows=np.array(rows, dtype=np.int32),
        weights=np.array(weights, dtype=np.float64),
        fingerprint=intent_index.fingerprint(data, text_rules(), model_folder(), hash_model=True),
        linear_weights=linear.weights,
        linear_bias=linear.bias,
        linear_intents=linear.intents,
    )


@cache
def _builtin_classifier() -> IntentClassifier:
    index = _shipped_index()
    if index is None:
        return IntentClassifier(load_bank(), default_embedder())
    linear = LinearScorer(index.linear_weights, index.linear_bias, index.linear_intents)
    return IntentClassifier._precomputed(
        load_bank(), default_embedder(), index.vectors, _Tfidf.stored(index), linear
    )


def classifier_for(extra: tuple[Exemplar, ...] = ()) -> IntentClassifier:
    """The classifier over the shipped bank (cached), or over the bank plus `extra`."""
    if not extra:
        return _builtin_classifier()
    return _classifier_with(extra)


@cache
def _classifier_with(extra: tuple[Exemplar, ...]) -> IntentClassifier:
    index = _shipped_index()
    if index is None:
        return IntentClassifier(load_bank(extra), default_embedder())
    # The bank's vectors are its own; the TF-IDF weights depend on every document, extras too.
    bank, embedder = load_bank(extra), default_embedder()
    added = embedder.embed([fill_placeholders(e.text) for e in extra])
    texts = [fill_placeholders(e.text) for e in bank]
    tfidf = _Tfidf.fit([lexical_terms(t) for t in texts])
    return IntentClassifier._precomputed(bank, embedder, np.vstack([index.vectors, added]), tfidf)
