"""Turning a reference an admin or planner gives (id, UPN, name) into exactly one object."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from idpilot.model.records import Record
from idpilot.skills.base import ResultStatus, SkillResult, UnresolvedFacts
from idpilot.store import Store
from idpilot.store.lookup import (
    ID_KINDS,
    EntityMatch,
    MatchQuality,
    find_by_ids,
    find_by_phrases,
    find_fuzzy,
    find_partial,
)

_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


@dataclass
class Resolution:
    """One object, several candidates, or none, for a reference."""

    reference: str
    match: EntityMatch | None = None
    candidates: list[EntityMatch] = field(default_factory=list)

    def unresolved(self, skill: str, kind_label: str) -> SkillResult:
        """The result a skill returns when the reference is ambiguous or unknown."""
        status = ResultStatus.ambiguous if self.candidates else ResultStatus.not_found
        return SkillResult(
            skill=skill,
            status=status,
            query=self.reference,
            facts=UnresolvedFacts(kind=kind_label),
            candidates=[
                Record(kind=c.kind, id=c.id, label=c.label, detail=c.detail)
                for c in self.candidates
            ],
        )


_QUALITY_ORDER = [
    MatchQuality.id,
    MatchQuality.exact,
    MatchQuality.alias,
    MatchQuality.first_name,
    MatchQuality.fuzzy,
    MatchQuality.partial,
]


def resolve(store: Store, reference: str, kind: str) -> Resolution:
    """Resolve `reference` to one object of `kind`; equally good matches make it ambiguous."""
    phrase = reference.strip()
    lookups = [phrase.lower(), phrase]
    # An object id (what the planner passes) is found by id alone: a match by id beats any
    # other, so the name comparisons could only add matches that are then dropped.
    by_id = find_by_ids(store, kind, lookups) if kind in ID_KINDS and _GUID.match(phrase) else []
    matches = by_id or [m for m in find_by_phrases(store, lookups) if m.kind == kind]
    if not matches:
        matches = [m for m in find_fuzzy(store, [phrase.lower()]) if m.kind == kind]
    if not matches:
        matches = [m for m in find_partial(store, [phrase]) if m.kind == kind]
    if not matches:
        return Resolution(reference)
    best = min(_QUALITY_ORDER.index(m.quality) for m in matches)
    top = {m.id: m for m in matches if _QUALITY_ORDER.index(m.quality) == best}
    if len(top) == 1:
        return Resolution(reference, match=next(iter(top.values())))
    return Resolution(reference, candidates=sorted(top.values(), key=lambda m: m.label))
