"""Scoring one answer: expectations of its case, and entities named without evidence.

The hallucination check here is independent of the copilot's own grounding check: it scans the
answer for every display name in the directory and every id, address and IP, and counts those
absent from the answer's evidence.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

import duckdb

from idpilot.copilot.answer import Answer, published_fields
from idpilot.evaluation.cases import EvalCase
from idpilot.store import Store
from idpilot.store.queries.evaluation import (
    citable_record_exists,
    display_names,
    run_author_query,
)

_GUID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", re.I)
_EMAIL = re.compile(r"[\w.'+#-]+@[\w-]+(?:\.[\w-]+)+")
_IPV4 = re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b")
_ESCAPE = re.compile(r"\\(.)")
ALTERNATIVES = " || "  # in `contains`: any one of the alternatives will do
MIN_NAME_LENGTH = 4  # shorter names ("IT") occur inside ordinary words


@dataclass
class CaseScore:
    """The verdict on one case."""

    case: EvalCase
    answer: Answer | None
    failures: list[str] = field(default_factory=list)
    hallucinated: list[str] = field(default_factory=list)
    citations: int = 0
    valid_citations: int = 0
    expected_records: int = 0
    expected_cited: int = 0
    elapsed_ms: float = 0.0
    not_yet: bool = False
    """The case asks for a capability idpilot does not have yet: not scored."""

    @property
    def passed(self) -> bool:
        """Every expectation held and nothing was named without evidence."""
        return not self.not_yet and not self.failures and not self.hallucinated

    @property
    def intent_correct(self) -> bool:
        """The answer ran the expected skill, or (a refusal) ended with the expected status."""
        if self.answer is None:
            return False
        if self.case.skill:
            return self.case.skill in self.chosen_skills
        return self.answer.status.value == self.case.status

    @property
    def chosen_skills(self) -> list[str]:
        """The skills the answer ran, in order."""
        return [s.name for s in self.answer.skills] if self.answer else []


class DirectoryNames:
    """Every display name in the store, for the hallucination scan (loaded once)."""

    def __init__(self, store: Store) -> None:
        self.names = display_names(store, MIN_NAME_LENGTH)

    def named_in(self, text: str) -> set[str]:
        """Names that occur in the text as whole words."""
        return {
            name
            for name in self.names
            if name in text and re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text)
        }


def plain(markdown: str) -> str:
    """Markdown with escapes removed."""
    return _ESCAPE.sub(r"\1", markdown)


def hallucinated_entities(answer: Answer, names: DirectoryNames) -> list[str]:
    """Entities the answer names that none of its evidence records carries."""
    text = plain(answer.answer)
    corpus = "\n".join(
        f"{item.id}\n{json.dumps(published_fields(item), default=str, ensure_ascii=False)}"
        for item in answer.evidence
    ).lower()
    named = set(_GUID.findall(text)) | set(_EMAIL.findall(text)) | set(_IPV4.findall(text))
    named |= names.named_in(text)
    # Quoting the admin's own words back ("no user named X") asserts nothing about the tenant,
    # nor does naming what a script the admin pasted holds once decoded ("-enc ...").
    corpus += "\n" + answer.prompt.lower() + "\n" + _pasted_script(answer.prompt).lower()
    return sorted(e for e in named if e.lower().rstrip(".") not in corpus)


def _pasted_script(prompt: str) -> str:
    """The script a prompt carries, decoded, with its indicators (empty when none or when it
    cannot be decoded): the admin's own content, not the tenant's."""
    from idpilot.copilot.script_request import carried_script
    from idpilot.errors import IdpilotError
    from idpilot.script_analysis.analysis import analyse_script

    script = carried_script(prompt)
    if script is None:
        return ""
    try:
        analysis = analyse_script(script)
    except IdpilotError:
        return ""
    return "\n".join([analysis.decoded, *(i.value for i in analysis.indicators)])


def valid_citation_count(store: Store, answer: Answer) -> int:
    """Citations that point at a record that exists in the store under its kind."""
    valid = 0
    for citation in answer.citations:
        if citable_record_exists(store, citation.kind, citation.id):
            valid += 1
    return valid


def score_answer(
    store: Store, case: EvalCase, answer: Answer, answer_key: dict[str, Any], names: DirectoryNames
) -> CaseScore:
    """Check an answer against its (resolved) case."""
    score = CaseScore(case=case, answer=answer, elapsed_ms=answer.elapsed_ms)
    text = plain(answer.answer).lower()
    cited = {c.id for c in answer.citations}
    chosen = [s.name for s in answer.skills]
    if case.skill and case.skill not in chosen:
        score.failures.append(f"expected skill {case.skill}, planner chose {chosen or 'none'}")
    if answer.status.value != case.status:
        score.failures.append(f"expected status {case.status}, got {answer.status.value}")
    for record_id in case.cite:
        score.expected_records += 1
        if record_id not in cited:
            score.failures.append(f"did not cite {record_id}")
        else:
            score.expected_cited += 1
    for scenario_id, need_all in ((case.cite_scenario, True), (case.cite_scenario_any, False)):
        if scenario_id:
            expected = _scenario_evidence(answer_key, scenario_id)
            hits = expected & cited
            score.expected_records += len(expected) if need_all else 1
            score.expected_cited += len(hits) if need_all else min(len(hits), 1)
            if (need_all and hits != expected) or (not need_all and not hits):
                missing = sorted(expected - cited)[:5]
                score.failures.append(f"scenario {scenario_id}: evidence not cited: {missing}")
    for needle in case.contains:
        options = [option.strip().lower() for option in needle.split(ALTERNATIVES)]
        if not any(option in text for option in options):
            score.failures.append(f"answer lacks {needle!r}")
    for sql in case.contains_sql:
        try:
            values = run_author_query(store, sql)
        except duckdb.Error as error:
            score.failures.append(f"contains_sql failed: {error}")
            continue
        for (value,) in values:
            if value is not None and str(value).lower() not in text:
                score.failures.append(f"answer lacks {value!r} (from SQL)")
    for needle in case.not_contains:
        if needle.lower() in text:
            score.failures.append(f"answer should not contain {needle!r}")
    score.hallucinated = hallucinated_entities(answer, names)
    score.citations = len(answer.citations)
    score.valid_citations = valid_citation_count(store, answer)
    return score


def _scenario_evidence(answer_key: dict[str, Any], scenario_id: str) -> set[str]:
    for scenario in answer_key.get("scenarios", []):
        if scenario["id"] == scenario_id:
            return {i for ids in scenario.get("evidence", {}).values() for i in ids}
    raise KeyError(f"answer key has no scenario {scenario_id!r}")
