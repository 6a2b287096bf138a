"""The second tenant's questions: split once, in admins' words, about skills that exist."""

from __future__ import annotations

import yaml

from idpilot.evaluation.cases import EvalCase, load_cases, resolve_case
from idpilot.evaluation.sets import second_tenant_case_file, second_tenant_cases
from idpilot.evaluation.split import DEV, TEST, assign_halves
from tests.evaluation.conftest import SecondTenant
from tests.evaluation.question_sets import readme_skills

PENDING = {"kql", "policy_draft", "report"}


def _all() -> list[EvalCase]:
    return second_tenant_cases(DEV) + second_tenant_cases(TEST)


def test_at_least_150_questions_in_two_halves() -> None:
    dev, test = second_tenant_cases(DEV), second_tenant_cases(TEST)
    assert len(dev) + len(test) >= 150
    assert abs(len(dev) - len(test)) <= len(dev + test) // 10


def test_the_files_obey_the_one_split() -> None:
    raw = {}
    for half in (DEV, TEST):
        for item in yaml.safe_load(second_tenant_case_file(half).read_text()):
            raw[item["id"]] = (half, item)
    halves = assign_halves([item for _, item in raw.values()])
    moved = [case_id for case_id, (half, _) in raw.items() if halves[case_id] != half]
    assert not moved


def test_every_case_expects_a_readme_skill_a_refusal_or_a_pending_capability() -> None:
    skills = readme_skills()
    assert "signin_troubleshoot" in skills
    for case in _all():
        if case.pending:
            assert case.pending in PENDING, case.id
        elif case.status == "outOfScope":
            assert case.skill is None, case.id
        else:
            assert case.skill in skills, case.id


def test_no_name_or_id_is_written_literally(second_tenant: SecondTenant) -> None:
    names = [p["displayName"] for p in second_tenant.answer_key["personas"].values()]
    for case in load_cases([second_tenant_case_file(DEV), second_tenant_case_file(TEST)]):
        text = " ".join([case.prompt, *case.after, *case.cite, *case.contains])
        assert not [n for n in names if n in text], case.id


def test_every_placeholder_resolves(second_tenant: SecondTenant) -> None:
    for case in _all():
        if not case.pending:
            resolve_case(case, second_tenant.answer_key, second_tenant.store)
