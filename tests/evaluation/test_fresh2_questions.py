"""The `vindelkraft-fresh2` set: a second set of questions written without reading the planner.

Checked for shape and for placeholders that resolve against the built tenant. No accuracy floor
on purpose: the set measures how idpilot understands questions it has never seen, so it is run
and reported, not pinned.
"""

from __future__ import annotations

from collections import Counter

import yaml

import idpilot.cli.evaluate  # noqa: F401  (registers the command on the app)
from idpilot.evaluation.cases import EvalCase
from idpilot.evaluation.sets import (
    second_tenant_case_file,
    second_tenant_cases,
)
from tests.evaluation.conftest import SKILLS_NOT_IN_FRESH_SETS
from tests.evaluation.question_sets import (
    readme_skills,
)

FRESH2 = "fresh2"
PENDING = {"kql"}


def _fresh2() -> list[EvalCase]:
    return second_tenant_cases(FRESH2)


def test_the_file_loads_with_about_80_questions_and_unique_ids() -> None:
    cases = _fresh2()
    raw_ids = [item["id"] for item in yaml.safe_load(second_tenant_case_file(FRESH2).read_text())]
    scored = [c for c in cases if not c.pending and c.status != "outOfScope"]
    assert 70 <= len(scored) <= 95
    assert [c.id for c in cases] == raw_ids
    assert not [i for i, n in Counter(raw_ids).items() if n > 1]


def test_the_ids_do_not_collide_with_the_other_question_files() -> None:
    others = {c.id for half in ("dev", "test", "fresh") for c in second_tenant_cases(half)}
    assert not {c.id for c in _fresh2()} & others


def test_every_case_expects_an_existing_skill_a_refusal_or_a_pending_capability() -> None:
    skills = readme_skills()
    assert len(skills) >= 25
    for case in _fresh2():
        if case.pending:
            assert case.pending in PENDING and case.skill is None, case.id
        elif case.status == "outOfScope":
            assert case.skill is None, case.id
        else:
            assert case.skill in skills, case.id


def test_every_skill_is_asked_about_at_least_twice() -> None:
    asked = Counter(c.skill for c in _fresh2() if c.skill)
    assert not {s for s in readme_skills() - SKILLS_NOT_IN_FRESH_SETS if asked[s] < 2}


def test_refusals_and_pending_capabilities_are_a_small_share() -> None:
    cases = _fresh2()
    assert 6 <= sum(c.status == "outOfScope" for c in cases) <= 10
    assert {c.pending for c in cases if c.pending} == PENDING
