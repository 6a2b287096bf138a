"""A group named by what it is linked to: "the group both Finance Portal policies target",
"the group that CA003 excludes", "the group that gates the expenses and payroll apps". The
policies' user conditions and the apps' assignments (or the groups' descriptions naming them)
say which group is meant; when exactly one group is linked to every object named, the words
name that group."""

from __future__ import annotations

import re

from idpilot.copilot.entities import PromptEntities
from idpilot.store import Store
from idpilot.store.directory import objects_by_id
from idpilot.store.lookup import EntityMatch, MatchQuality
from idpilot.store.queries.group_links import app_group_ids, policy_group_ids

_GROUP_CLAUSE = re.compile(r"\bgroups?\b(?P<clause>[^?.!;:,]*)", re.I)
"""The words after "group" up to the end of the clause: where its links are said."""

_LINKED = re.compile(
    r"\b(?:target\w*|includ\w*|exclud\w*|appl(?:y|ies|ied)|cover\w*|scop\w*|gat(?:e|es|ed|ing)|"
    r"grant\w*|gives?\s+access|access\s+to|assigned|used?\s+(?:for|by|to)|for)\b",
    re.I,
)
_EXCLUDED = re.compile(r"\bexclud\w*", re.I)


def swap_for_linked_group(store: Store, prompt: str, entities: PromptEntities) -> None:
    """Replace the policies or apps a group is described by with the one group linked to all
    of them, when the prompt describes a group that way and names no group itself."""
    if any(m.kind == "group" and m.quality is not MatchQuality.partial for m in entities.matches):
        return
    for said in _GROUP_CLAUSE.finditer(prompt):
        clause = said.group("clause")
        if not _LINKED.search(clause):
            continue
        start = said.start()
        before = prompt[max(0, start - 60) : start]
        objects = [
            m
            for m in entities.matches
            if m.kind in ("conditionalAccessPolicy", "servicePrincipal")
            and m.phrase
            and (m.phrase.lower() in clause.lower() or m.phrase.lower() in before.lower())
        ]
        if not objects:
            continue
        group_id = _one_linked_group(store, objects, excluded=bool(_EXCLUDED.search(clause)))
        if group_id is None:
            continue
        label = objects_by_id(store, [group_id]).get(group_id, {}).get("displayName") or group_id
        phrases = {m.phrase for m in objects}
        entities.matches = [
            m
            for m in entities.matches
            if m.phrase not in phrases and not (m.kind == "group" and m.phrase in clause.lower())
        ]
        entities.matches.append(
            EntityMatch(
                kind="group",
                id=group_id,
                label=label,
                detail="",
                phrase=_span(prompt, objects, said),
                quality=MatchQuality.alias,
            )
        )
        return


def _one_linked_group(store: Store, objects: list[EntityMatch], *, excluded: bool) -> str | None:
    """The one group linked to every named object (the objects one phrase names count as one:
    "both Finance Portal policies" are the policies that phrase matched), else None."""
    by_phrase: dict[str, dict[str, set[str]]] = {}
    for match in objects:
        linked = (
            policy_group_ids(store, match.id, excluded=excluded)
            if match.kind == "conditionalAccessPolicy"
            else app_group_ids(store, match.id)
        )
        # A phrase matching several objects of one kind: a group linked to all of them.
        # A phrase matching objects of two kinds ("finance portal": the app and its policies):
        # either kind's links.
        kinds = by_phrase.setdefault(match.phrase, {})
        kinds[match.kind] = kinds[match.kind] & linked if match.kind in kinds else linked
    per_phrase = [set().union(*kinds.values()) for kinds in by_phrase.values()]
    common = set.intersection(*per_phrase) if per_phrase else set()
    return next(iter(common)) if len(common) == 1 else None


def _span(prompt: str, objects: list[EntityMatch], said: re.Match[str]) -> str:
    """The words that describe the group: from "group" (or the first object named before it)
    to the last object named, as written."""
    lowered = prompt.lower()
    starts = [lowered.find(m.phrase.lower()) for m in objects]
    ends = [s + len(m.phrase) for s, m in zip(starts, objects, strict=True) if s >= 0]
    start = min([said.start(), *[s for s in starts if s >= 0]])
    end = max([said.start() + len("group"), *ends])
    return lowered[start:end]
