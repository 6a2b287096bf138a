"""People named through someone or something else: "who reports to Henrik?" (Henrik's direct
reports), "the manager of Ana is flagged as risky" (Ana's manager, from her directory record) and
"the person who owns the payroll app" (the app's or the group's one owner)."""

from __future__ import annotations

import re

from idpilot.copilot.entities import PromptEntities
from idpilot.copilot.understanding.prompt_names import words_pattern
from idpilot.store import Store
from idpilot.store.directory import app_user_owners, owners_of, user_by_id
from idpilot.store.lookup import EntityMatch, MatchQuality
from idpilot.store.queries.roles import users_holding_role

_REPORTS_TO = (
    r"\b(?:reports?|reporting)\s+(?:directly\s+)?(?:in)?to\s+{name}\b"
    r"|\b{name}['’]s?\s+(?:direct\s+)?reports\b|\b{name}\s+direct\s+reports\b"
    r"|\bwho\s+does\s+{name}\s+manage\b"
    r"|\b(?:works?|working)\s+(?:for|under)\s+{name}\b"
    r"|\bmanaged\s+by\s+{name}\b"
)
_MANAGER_OF = (
    r"\b(?:manager|boss|supervisor|line\s+manager)\s+of\s+{name}\b"
    r"|\b{name}['’]s\s+(?:line\s+)?(?:manager|boss|supervisor)\b"
)
_THEIR_MANAGER = r"\b(?:his|her|their)\s+(?:line\s+)?(?:manager|boss|supervisor)\b"
"""A pronoun's manager ("and her manager?"), the pronoun pointing back at an earlier person."""
_POSSESSIVES = frozenset({"he", "she", "him", "her", "his", "they", "them", "their"})
_OWNER_OF = (
    r"\b(?:person|one|guy|woman|man|lady|user|colleague|employee|admin|somebody|someone)\s+"
    r"(?:who|that)\s+owns\s+(?:the\s+|our\s+)?{name}{noun}"
    r"|\bowner\s+of\s+(?:the\s+|our\s+)?{name}{noun}"
    r"|\b{name}{noun}['’]s\s+owner\b"
)
_OWNED_NOUN = r"(?:\s+(?:app|application|group|team|service\s+principal))?\b"
_WHO_IS = re.compile(r"\b(?:who|what)(?:['’]s|\s+is)\s+(?:the\s+)?$", re.I)
"""Asking who the manager is ("who is Ana's manager?"): her record answers, no swap."""
_SPEAKER_IS = re.compile(
    r"\b(?:(?:i|we)(?:['’]m|['’]re|\s+am|\s+are)|as)\s+(?:the\s+|its\s+)?(?:[\w-]+\s+){0,2}$",
    re.I,
)
"""The speaker says who they are ("I'm the business owner of the finance portal"): the owner
is the one asking, not the subject of the question."""


def reports_to(prompt: str, entities: PromptEntities) -> EntityMatch | None:
    """The one named person whose direct reports the prompt asks for, if it asks."""
    for match in entities.of_kind("user"):
        if match.phrase and re.search(
            _REPORTS_TO.format(name=words_pattern(match.phrase)), prompt, re.I
        ):
            people = {m.id for m in entities.of_kind("user") if m.phrase == match.phrase}
            return match if len(people) == 1 else None
    return None


def swap_for_manager(
    store: Store, prompt: str, entities: PromptEntities, *, pronouns_only: bool = False
) -> None:
    """ "The manager of Ana Falcão is flagged as risky": the person meant is Ana's manager (her
    directory record's `manager`); the words that named Ana now name him. So too "and her
    manager?" once "her" points back at Ana (the earlier question, asked of her manager; with
    `pronouns_only`, only such a pronoun is read, the names having been read already)."""
    for match in list(entities.of_kind("user")):
        if not match.phrase or (pronouns_only and match.phrase.lower() not in _POSSESSIVES):
            continue
        pattern = (
            _THEIR_MANAGER
            if match.phrase.lower() in _POSSESSIVES
            else _MANAGER_OF.format(name=words_pattern(match.phrase))
        )
        said = re.search(pattern, prompt, re.I)
        if said is None or _WHO_IS.search(prompt[: said.start()]):
            continue
        person = user_by_id(store, match.id)
        manager = (person or {}).get("manager")
        if not isinstance(manager, dict) or not manager.get("id"):
            continue
        entities.matches[entities.matches.index(match)] = EntityMatch(
            kind="user",
            id=manager["id"],
            label=manager.get("displayName") or manager["id"],
            detail=manager.get("userPrincipalName") or "",
            phrase=match.phrase,
            quality=MatchQuality.alias,
        )


def swap_for_owner(store: Store, prompt: str, entities: PromptEntities) -> None:
    """ "The person who owns the payroll app: which department is she in?": the person meant is
    the app's (or the group's) owner, when it has exactly one user owner; the words that said
    so now name that person. "Who owns the payroll app?" asks about the app: no swap."""
    for match in list(entities.matches):
        if match.kind not in ("servicePrincipal", "group") or not match.phrase:
            continue
        pattern = _OWNER_OF.format(name=words_pattern(match.phrase), noun=_OWNED_NOUN)
        said = re.search(pattern, prompt, re.I)
        if said is None:
            continue
        before = prompt[: said.start()]
        if _WHO_IS.search(before) or _SPEAKER_IS.search(before):
            continue
        owners = (
            app_user_owners(store, match.id)
            if match.kind == "servicePrincipal"
            else [o for o in owners_of(store, match.id) if o.get("type") == "user"]
        )
        if len(owners) != 1:
            continue
        owner = owners[0]
        entities.matches = [m for m in entities.matches if m.phrase != match.phrase]
        entities.matches.append(
            EntityMatch(
                kind="user",
                id=owner["id"],
                label=owner.get("displayName") or owner["id"],
                detail=owner.get("userPrincipalName") or "",
                phrase=said.group(0).lower(),
                quality=MatchQuality.alias,
            )
        )
        return


_HOLDER_OF = (
    r"\b(?:our|my|the|your)\s+(?:one\s+|only\s+)?{name}\b(?!\s*(?:role|roles|s\b|assignments?|"
    r"holders?|members?|group|policy|permissions?|rights?))"
)
_WHO_ASKED = re.compile(r"^\W*(?:who|which|list|show|how\s+many)\b", re.I)
"""A question about the role's holders ("who is our User Administrator?"), not one of them."""


def swap_for_role_holder(store: Store, prompt: str, entities: PromptEntities) -> None:
    """ "What has our User Administrator been doing in November?": the one person who holds
    that role (directly and actively); the words that named the role now name them. Only
    when the prompt names no person, speaks of one ("our", "the", not the plural or "the
    role"), asks no question of the role's holders, and exactly one user holds it."""
    if entities.of_kind("user") or _WHO_ASKED.search(prompt):
        return
    for match in entities.of_kind("unifiedRoleDefinition"):
        if not match.phrase or match.quality is MatchQuality.partial:
            continue
        said = re.search(_HOLDER_OF.format(name=words_pattern(match.phrase)), prompt, re.I)
        holders = users_holding_role(store, match.id) if said else []
        if len(holders) != 1:
            continue
        holder = holders[0]
        entities.matches = [m for m in entities.matches if m is not match]
        entities.role_words = [w for w in entities.role_words if w.lower() != match.phrase]
        entities.matches.append(
            EntityMatch(
                kind="user",
                id=holder["id"],
                label=holder["displayName"] or holder["id"],
                detail=holder["userPrincipalName"] or "",
                phrase=said.group(0).lower(),
                quality=MatchQuality.alias,
            )
        )
        return


_CHANGE_VERB = (
    r"\b(?:gave|give|given|granted|grant|added|add|assigned|assign|put|made|removed|remove|took|"
    r"dropped)\s+(?:the\s+)?"
)
"""A change made to the person named right after it ("who gave Rahul Global Reader")."""


def changed_person_first(entities: PromptEntities, prompt: str) -> None:
    """ "I assume it was Marcus who gave Rahul Global Reader": of two people named, the one the
    change was made to (right after its verb) is whom it is about; the other is a guess at who
    made it, which the answer settles. That person's matches are put first."""
    people = [m for m in entities.of_kind("user") if m.phrase]
    if len({m.id for m in people}) < 2:
        return
    changed = [
        m for m in people if re.search(_CHANGE_VERB + words_pattern(m.phrase) + r"\b", prompt, re.I)
    ]
    if len({m.id for m in changed}) != 1:
        return
    rest = [m for m in entities.matches if m not in changed]
    entities.matches = changed + rest
