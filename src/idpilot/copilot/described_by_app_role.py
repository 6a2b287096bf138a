"""People named by an app role they hold: "the person who approves payments in the finance
portal", "our payment approver", "who can approve invoices?".

A prompt describes a person by a role in three shapes: a person and what they do ("the person
who approves payments", "someone with the approver role"), an ability asked of "who" ("who can
approve invoices?", "who approves payments?"), and the role's own person noun after "the",
"our", "that" or "this" ("our payment approver"; a plural asks for a list, not a person). The
words of that description are compared with the words of each role that users or groups hold
(its displayName, value and description) by their stems, so "approves" meets "Approver" and
"payments" meets "Approves outgoing payments". A role's words that say nothing about it are
left out: words of its app's name, words every role of the app has ("Allows ..."), and words
any app role could have ("user", "access"). The roles with the most words said win; their
holders (users assigned directly, and the direct members of an assigned group: an app role is
not passed on to nested groups) are the people described, within the apps the prompt names when
it names any.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from idpilot.copilot.entities import PromptEntities
from idpilot.knowledge.countries import fold
from idpilot.store import Store
from idpilot.store.lookup import EntityMatch, MatchQuality
from idpilot.store.queries.app_roles import roles_of_apps_people_hold, users_holding_app_role
from idpilot.store.version_memo import per_snapshot

MAX_HOLDERS = 5
"""More people than this hold the roles described: the description picks out no one."""
MIN_STEM = 3
"""A word's ending is cut only when this much of it is left ("uses" stays "use")."""
MIN_PREFIX_STEM = 5
"""A stem this long also meets a longer stem it begins ("admin" and "administrator")."""
_SUFFIXES = ("ments", "ment", "ings", "ing", "ers", "er", "ors", "or", "ies", "es", "ed", "al",
             "s")  # fmt: skip
_AGENT_ENDINGS = ("er", "or", "ee", "ist", "ian")
"""Endings of a noun that names a person by what they do ("approver", "auditor")."""
# Words any role's text or any question has: they describe no role.
_EMPTY_WORDS = frozenset((
    "the", "a", "an", "and", "or", "of", "to", "for", "in", "on", "at", "by", "with", "from",
    "as", "is", "are", "be", "can", "could", "may", "who", "which", "that", "this", "these",
    "those", "all", "any", "some", "it", "its", "they", "them", "he", "she", "his", "her", "has",
    "have", "do", "does", "allow", "user", "app", "application", "role", "access", "permission",
    "member",
))  # fmt: skip
_PEOPLE = r"(?:person|one|guy|girl|man|woman|lady|user|employee|colleague|individual|account)"
_END = r"(?=[,.;:?!]|\s+(?:in|at|on|within|inside|across|from)\s|$)"
"""Where the description of what someone does ends: punctuation or the place it happens in."""
_CLAUSE = r"(?P<clause>[a-z][^,.;:?!]*?)" + _END
_PERSON_WHO = re.compile(
    r"\b(?:(?:the|our|that|this)\s+(?:[\w-]+\s+){0,2}?" + _PEOPLE + r"|someone|somebody|whoever)"
    r"\s+(?:(?:who|that)\s+|with\s+|holding\s+|having\s+|(?:in\s+charge\s+of|responsible\s+for)\s+)?"
    + _CLAUSE
)
_WHO_CAN = re.compile(
    r"\bwho\s+(?:else\s+)?(?:can|could|may|(?:is|are)\s+(?:allowed|able|permitted)\s+to|"
    r"gets?\s+to|(?:is|are)\s+(?:in\s+charge\s+of|responsible\s+for)|holds|has)\s+" + _CLAUSE
)
_WHO_DOES = re.compile(
    r"\bwho\s+(?P<clause>(?!is\b|was\b|has\b|does\b)[a-z]+s\b[^,.;:?!]*?)" + _END
)
"""A habit asked of "who" ("who approves payments?"): a present-tense verb, not an event."""
_DETERMINERS = frozenset(("the", "our", "that", "this"))
_DETERMINER = re.compile(r"^(?:the|our|that|this)\s+")
_TOKEN = re.compile(r"[a-z]+")
_JOINED = re.compile(r"\s+|[._-]")
"""What may stand between two words of one name ("payment approver", "finance.approver")."""
_OF = re.compile(r"\s+of\b")
_ROLE_NAME_WORDS = 2
"""Words of a directory role's name that name it ("global reader"; "reader" alone does not)."""
_AGENT_WORDS = 4
"""A role's person noun is read this many words after "the" at most ("the finance portal
approver")."""


@dataclass(frozen=True)
class _Role:
    """An app role people hold and the words that describe it, as stems."""

    app_id: str
    role_id: str
    words: frozenset[str]
    nouns: frozenset[str]
    """Its name's last word, which names its holder ("approver" of "Payment Approver")."""


def people_by_app_role(store: Store, prompt: str, apps: Collection[str] = ()) -> list[EntityMatch]:
    """The holders of the app role `prompt` describes a person by (none when it describes no
    role, or too many people hold it); within the apps `apps` (service principal ids) when any."""
    roles = [r for r in _held_roles(store) if not apps or r.app_id in apps]
    if not roles:
        return []
    folded = fold(prompt)
    best: tuple[int, list[_Role], str] = (0, [], "")
    for clause, phrase in _descriptions(folded, roles):
        said = _stems(clause)
        for role in roles:
            score = sum(any(_meets(word, s) for s in said) for word in role.words)
            if score > best[0]:
                best = (score, [role], phrase)
            elif score and score == best[0] and role not in best[1]:
                best[1].append(role)
    score, chosen, phrase = best
    if not score:
        return []
    holders: dict[str, dict] = {}
    for role in chosen:
        for row in users_holding_app_role(store, role.app_id, role.role_id, MAX_HOLDERS + 1):
            holders.setdefault(row["id"], row)
    if not holders or len(holders) > MAX_HOLDERS:
        return []
    quality = MatchQuality.alias if len(holders) == 1 else MatchQuality.first_name
    return [
        EntityMatch(kind="user", id=row["id"], label=row["displayName"], detail=row["upn"],
                    phrase=phrase, quality=quality)
        for row in sorted(holders.values(), key=lambda r: (r["displayName"] or "", r["id"]))
    ]  # fmt: skip


def names_another_holder(entities: PromptEntities) -> bool:
    """Whether the prompt names what its "who" is about besides an app role: a directory role
    ("who holds Global Administrator?") or a group ("who manages the Finance - All group?")."""
    if entities.role_words:
        return True
    return any(
        m.quality is not MatchQuality.partial or len(m.phrase.split()) >= _ROLE_NAME_WORDS
        for m in entities.of_kind("unifiedRoleDefinition")
    ) or any(m.quality is not MatchQuality.partial for m in entities.of_kind("group"))


def _descriptions(folded: str, roles: list[_Role]) -> Iterable[tuple[str, str]]:
    """Each description of a person by what they do in `folded`: (its words, the phrase that
    stands for the person)."""
    for pattern in (_PERSON_WHO, _WHO_CAN, _WHO_DOES):
        for match in pattern.finditer(folded):
            yield match.group("clause"), _DETERMINER.sub("", match.group(0), count=1).strip()
    nouns = {noun for role in roles for noun in role.nouns}
    tokens = list(_TOKEN.finditer(folded))
    for i, token in enumerate(tokens):
        if token.group(0) not in _DETERMINERS:
            continue
        for j in range(i + 1, min(i + 1 + _AGENT_WORDS, len(tokens))):
            if not _JOINED.fullmatch(folded[tokens[j - 1].end() : tokens[j].start()]):
                break
            if _names_a_holder(tokens[j].group(0), nouns) and not _OF.match(
                folded, tokens[j].end()
            ):
                clause = folded[tokens[i + 1].start() : tokens[j].end()]
                yield clause, clause
                break


def _names_a_holder(word: str, nouns: set[str]) -> bool:
    """Whether `word` names one holder of a role by its name's last word: that word
    ("admin") or a person noun of its stem ("approver" for "Approve", "administrator" for
    "Admin"); not "approvers" (a list) or "approval" (not a person)."""
    if word in nouns:
        return True
    if not word.endswith(_AGENT_ENDINGS):
        return False
    return any(_meets(_stem(word), _stem(noun)) for noun in nouns)


def _stems(text: str) -> set[str]:
    """The stems of the words of `text` that can describe a role."""
    return {_stem(word) for word in _words(text) if not _empty(word)}


def _empty(word: str) -> bool:
    """Whether a word, or its singular, is one any role's text or any question has."""
    return word in _EMPTY_WORDS or (word.endswith("s") and word[:-1] in _EMPTY_WORDS)


def _words(text: str) -> list[str]:
    """Lower-case words, a camel-cased name split ("PaymentApprover": payment, approver)."""
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", text)
    return re.findall(r"[a-z]+", fold(spaced))


def _stem(word: str) -> str:
    """A word without its ending ("approves", "approver", "approval": "approv"; "policies"
    and "policy": "policy")."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
            if suffix == "s" and word.endswith("ss"):
                continue
            word = word[: -len(suffix)] + ("y" if suffix == "ies" else "")
            break
    while word.endswith("e") and len(word) > MIN_STEM:
        word = word[:-1]  # "manage" (of "management") and "manag" (of "manager") are one
    return word


def _meets(a: str, b: str) -> bool:
    """Whether two stems are one word, or one begins the other and is long enough to tell."""
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    return len(short) >= MIN_PREFIX_STEM and long.startswith(short)


def _held_roles(store: Store) -> tuple[_Role, ...]:
    """The app roles users or groups hold, with their describing stems (read once per store
    version or snapshot)."""

    def read() -> tuple[_Role, ...]:
        rows = roles_of_apps_people_hold(store)
        by_app: dict[str, list[dict]] = {}
        for row in rows:
            by_app.setdefault(row["app_id"], []).append(row)
        found = []
        for app_id, app_roles in by_app.items():
            app_words = _stems(app_roles[0]["app"] or "")
            texts = {
                row["role_id"]: _stems(" ".join(filter(None, (row["name"], row["value"],
                                                              row["description"]))))
                for row in app_roles
            }  # fmt: skip
            shared = set.intersection(*texts.values()) if len(texts) > 1 else set()
            for row in app_roles:
                if not row["held"]:
                    continue
                words = texts[row["role_id"]] - app_words - shared
                if words:
                    nouns = _holder_nouns(row["name"] or row["value"] or "", app_words)
                    found.append(_Role(app_id, row["role_id"], frozenset(words), nouns))
        return tuple(found)

    return per_snapshot(store, "app role words", read)


def _holder_nouns(name: str, app_words: set[str]) -> frozenset[str]:
    """The last word of a role's name, which names its holder ("Finance.Approver":
    approver), unless it is a word of its app's name or one every role could have."""
    words = _words(name)
    if not words or _empty(words[-1]) or _stem(words[-1]) in app_words:
        return frozenset()
    return frozenset(words[-1:])
