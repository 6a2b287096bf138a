"""The `vindelkraft-fresh` set: questions written without reading the planner, checked for shape.

No accuracy floor here on purpose: the set measures how idpilot understands admins it has never
seen, so it is run and reported, not pinned.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import yaml
from typer.testing import CliRunner

import idpilot.cli.evaluate  # noqa: F401  (registers the command on the app)
from idpilot.cli.app import app
from idpilot.evaluation.cases import EvalCase, resolve_case
from idpilot.evaluation.sets import (
    SECOND_FRESH,
    SECOND_TEST,
    SET_NAMES,
    second_tenant_case_file,
    second_tenant_cases,
)
from tests.evaluation.conftest import SKILLS_NOT_IN_FRESH_SETS, SecondTenant
from tests.evaluation.question_sets import cited_ids_missing, readme_skills

FRESH = "fresh"
PENDING = {"kql", "policy_draft", "report"}


def _fresh() -> list[EvalCase]:
    return second_tenant_cases(FRESH)


def test_the_file_loads_with_about_110_questions_and_unique_ids() -> None:
    cases = _fresh()
    raw_ids = [item["id"] for item in yaml.safe_load(second_tenant_case_file(FRESH).read_text())]
    assert 100 <= len(cases) <= 130
    assert [c.id for c in cases] == raw_ids
    assert not [i for i, n in Counter(raw_ids).items() if n > 1]


def test_the_ids_do_not_collide_with_the_dev_and_test_halves() -> None:
    others = {c.id for half in ("dev", "test") for c in second_tenant_cases(half)}
    assert not {c.id for c in _fresh()} & others


def test_every_case_expects_an_existing_skill_a_refusal_or_a_pending_capability() -> None:
    skills = readme_skills()
    assert len(skills) >= 25
    for case in _fresh():
        if case.pending:
            assert case.pending in PENDING and case.skill is None, case.id
        elif case.status == "outOfScope":
            assert case.skill is None, case.id
        elif case.skill is not None:
            assert case.skill in skills, case.id


def test_every_skill_is_asked_about() -> None:
    asked = {c.skill for c in _fresh() if c.skill}
    assert readme_skills() - SKILLS_NOT_IN_FRESH_SETS <= asked


def test_refusals_and_pending_capabilities_are_a_small_share() -> None:
    cases = _fresh()
    refusals = [c for c in cases if c.status == "outOfScope"]
    pending = [c for c in cases if c.pending]
    assert 6 <= len(refusals) <= 10
    assert 4 <= len(pending) <= 8


def test_no_name_is_written_literally(second_tenant: SecondTenant) -> None:
    names = [p["displayName"] for p in second_tenant.answer_key["personas"].values()]
    for case in _fresh():
        text = " ".join([case.prompt, *case.after, *case.cite, *case.contains])
        assert not [n for n in names if n in text], case.id


def test_every_placeholder_resolves_against_the_built_tenant(second_tenant: SecondTenant) -> None:
    for case in _fresh():
        if case.pending:
            continue
        resolved = resolve_case(case, second_tenant.answer_key, second_tenant.store)
        filled = [resolved.prompt, *resolved.after, *resolved.cite, *resolved.contains]
        assert not [t for t in filled if re.search(r"\{(?:persona\.|scenario\.|sql:)", t)], case.id
        assert all(resolved.cite) and all(resolved.contains), case.id


def test_every_cited_id_is_a_record_of_the_tenant(second_tenant: SecondTenant) -> None:
    missing = cited_ids_missing(second_tenant.store, second_tenant.answer_key, _fresh())
    assert missing == []


def test_the_set_is_registered_after_the_test_half() -> None:
    assert SET_NAMES.index(SECOND_FRESH) == SET_NAMES.index(SECOND_TEST) + 1


def test_idpilot_eval_runs_the_set_and_prints_its_figures(tmp_path: Path) -> None:
    args = ["eval", "--store", str(tmp_path / "any.duckdb"), "--set", SECOND_FRESH,
            "--only", "vkf-oos-weather"]  # fmt: skip
    result = CliRunner().invoke(app, args, terminal_width=200)
    assert f"{SECOND_FRESH}: accuracy" in result.output, result.output
    assert "fresh.yaml" in result.output
