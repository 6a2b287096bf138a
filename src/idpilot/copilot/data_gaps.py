"""What an answer could not see: collections its skills read that the sync was refused.

A skill declares the collections its answer depends on, the one it answers from first
(`define_skill(..., reads=...)`); the store keeps the collections a sync could not read with
Graph's reason (`unavailable` in the snapshot's manifest). When every skill of an answer lacks
the collection it answers from, the answer says it cannot tell and why (status `missing`): a
list read from data never synced would say "none" where the truth is "unknown". When only
other collections are missing, the answer says so first and in `limits`.
"""

from __future__ import annotations

from idpilot.copilot.answer import Answer, AnswerStatus
from idpilot.copilot.composer import compose_template
from idpilot.skills import Skill
from idpilot.store import Store
from idpilot.store.queries.settings import unavailable_collections


def say_gaps(store: Store, answer: Answer, skills: list[Skill]) -> Answer:
    """The answer, saying what its skills could not see (unchanged when they saw everything)."""
    wanted = {name for skill in skills for name in skill.reads}
    if not wanted:
        return answer
    gaps = {name: why for name, why in unavailable_collections(store).items() if name in wanted}
    if not gaps:
        return answer
    whole = all(skill.reads and skill.reads[0] in gaps for skill in skills)
    note = compose_template("_unavailable", gaps=gaps, whole=whole)
    if whole:
        answer.answer, answer.citations, answer.evidence = note, [], []
        answer.status = AnswerStatus.missing
    else:
        answer.answer = note + "\n" + answer.answer
        if answer.status is AnswerStatus.empty:
            answer.status = AnswerStatus.missing
    said = "not visible: " + "; ".join(f"{name} ({why})" for name, why in gaps.items())
    answer.limits = f"{answer.limits}; {said}" if answer.limits else said
    return answer
