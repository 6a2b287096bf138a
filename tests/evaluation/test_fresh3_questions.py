"""The `vindelkraft-fresh3` set: a third set of questions written without reading the planner.

Checked for shape, for placeholders that resolve against the built tenant, and for the floor it
reached on its first, untuned run (70 of 80), so nothing regresses below it.
"""

from __future__ import annotations

from collections import Counter

import yaml

from idpilot.evaluation.cases import EvalCase
from idpilot.evaluation.sets import (
    second_tenant_case_file,
    second_tenant_cases,
)
from tests.evaluation.conftest import SKILLS_NOT_YET_ROUTED
from tests.evaluation.question_sets import (
    readme_skills,
)

FRESH3 = "fresh3"
SKILLS_NOT_ASKED = SKILLS_NOT_YET_ROUTED | {"docs_answer"}
"""`docs_answer` quotes Microsoft's documentation, not the tenant: its own questions score it."""


def _fresh3() -> list[EvalCase]:
    return second_tenant_cases(FRESH3)


def test_the_file_loads_with_about_75_questions_and_unique_ids() -> None:
    cases = _fresh3()
    raw_ids = [item["id"] for item in yaml.safe_load(second_tenant_case_file(FRESH3).read_text())]
    assert 70 <= len(cases) <= 85
    assert [c.id for c in cases] == raw_ids
    assert not [i for i, n in Counter(raw_ids).items() if n > 1]
    assert not [c.id for c in cases if c.pending]


def test_the_ids_do_not_collide_with_the_other_question_files() -> None:
    others = {
        c.id for half in ("dev", "test", "fresh", "fresh2") for c in second_tenant_cases(half)
    }
    assert not {c.id for c in _fresh3()} & others


def test_every_case_expects_a_skill_a_refusal_or_the_list_of_what_idpilot_does() -> None:
    skills = readme_skills()
    for case in _fresh3():
        if case.skill is None:
            assert case.status in ("outOfScope", "ok") and not case.cite, case.id
        else:
            assert case.skill in skills and case.status == "ok", case.id


def test_every_skill_is_asked_about_at_least_twice_troubleshooting_most() -> None:
    asked = Counter(c.skill for c in _fresh3() if c.skill)
    assert not {s for s in readme_skills() - SKILLS_NOT_ASKED if asked[s] < 2}
    assert asked.most_common(1)[0][0] == "signin_troubleshoot"


def test_six_refusals_and_two_questions_about_what_idpilot_does() -> None:
    unskilled = Counter(c.status for c in _fresh3() if c.skill is None)
    assert unskilled == {"outOfScope": 6, "ok": 2}
