"""The `vindelkraft-fresh2` set: a second set of questions written without reading the planner.

Checked for shape and for placeholders that resolve against the built tenant. No accuracy floor
on purpose: the set measures how idpilot understands questions it has never seen, so it is run
and reported, not pinned.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import yaml
from typer.testing import CliRunner

import idpilot.cli.evaluate  # noqa: F401  (registers the command on the app)
from idpilot.cli.app import app
from idpilot.evaluation.cases import EvalCase
from idpilot.evaluation.sets import (
    SECOND_FRESH,
    SECOND_FRESH2,
    SECOND_TENANT_FILES,
    SET_NAMES,
    second_tenant_case_file,
    second_tenant_cases,
)
from tests.evaluation.conftest import SKILLS_NOT_IN_FRESH_SETS, SecondTenant
from tests.evaluation.question_sets import (
    README,
    assert_no_name_written_literally,
    assert_placeholders_resolve,
    cited_ids_missing,
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


def test_no_name_is_written_literally(second_tenant: SecondTenant) -> None:
    assert_no_name_written_literally(second_tenant.store, second_tenant.answer_key, _fresh2())


def test_every_placeholder_resolves_against_the_built_tenant(second_tenant: SecondTenant) -> None:
    assert_placeholders_resolve(second_tenant.store, second_tenant.answer_key, _fresh2())


def test_every_cited_id_is_a_record_of_the_tenant(second_tenant: SecondTenant) -> None:
    missing = cited_ids_missing(second_tenant.store, second_tenant.answer_key, _fresh2())
    assert missing == []


def test_the_set_is_registered_after_the_first_fresh_set() -> None:
    assert SET_NAMES.index(SECOND_FRESH2) == SET_NAMES.index(SECOND_FRESH) + 1
    assert SECOND_TENANT_FILES[SECOND_FRESH2] == FRESH2


def test_the_readme_lists_the_set() -> None:
    assert f"`{SECOND_FRESH2}`" in README.read_text()


def test_idpilot_eval_runs_the_set_and_prints_its_figures(tmp_path: Path) -> None:
    args = ["eval", "--store", str(tmp_path / "any.duckdb"), "--set", SECOND_FRESH2,
            "--only", "vk2-oos-weather"]  # fmt: skip
    result = CliRunner().invoke(app, args, terminal_width=200)
    assert f"{SECOND_FRESH2}: accuracy" in result.output, result.output
    assert "fresh2.yaml" in result.output
