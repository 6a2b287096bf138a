"""The `vindelkraft-fresh4` set: a fourth set of questions written without reading the planner.

Checked for shape, for placeholders that resolve against the built tenant, and for the floor it
reached on its first, untuned run (62 of 75, with one expectation corrected by the data), so
nothing regresses below it.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import yaml

from idpilot.evaluation.cases import EvalCase
from idpilot.evaluation.sets import (
    SECOND_FRESH3,
    SECOND_FRESH4,
    SECOND_TENANT_FILES,
    SET_NAMES,
    second_tenant_case_file,
    second_tenant_cases,
)
from tests.evaluation.conftest import SKILLS_NOT_YET_ROUTED, SecondTenant
from tests.evaluation.question_sets import (
    README,
    assert_no_name_written_literally,
    assert_placeholders_resolve,
    assert_second_tenant_floor,
    cited_ids_missing,
    eval_output,
    readme_skills,
)

FRESH4 = "fresh4"
COMMON_SKILLS = frozenset(
    {
        "signin_troubleshoot", "risky_user_summary", "who_changed", "audit_history",
        "role_holders", "user_roles", "user_details", "group_details", "list_users",
        "list_groups", "ca_whatif", "ca_coverage", "detect_threats", "policy_changes",
        "app_details", "workload_identity_risk", "posture_assessment", "lifecycle_workflows",
        "membership_path", "group_rule", "explain_error", "signin_summary", "actor_activity",
    }
)  # fmt: skip
"""The skills the set asks about at least twice; every other skill at least once."""
NOW = "Friday 20 November 2026, 17:30 UTC"
FLOOR_PASSED = 74
"""74 after session 6's general changes made from its failures (surnames alone, a policy's code,
"not guests", the actor of an audit a script names). Measured untuned on 2026-12-06, before
idpilot was tuned on the set: 61 of 75 as written, 62
once one expectation was corrected by the data (nothing but the disabling audit happened on the
12th)."""


def _fresh4() -> list[EvalCase]:
    return second_tenant_cases(FRESH4)


def test_the_file_loads_with_about_70_questions_and_unique_ids() -> None:
    cases = _fresh4()
    raw_ids = [item["id"] for item in yaml.safe_load(second_tenant_case_file(FRESH4).read_text())]
    assert 65 <= len(cases) <= 80
    assert [c.id for c in cases] == raw_ids
    assert not [i for i, n in Counter(raw_ids).items() if n > 1]
    assert not [c.id for c in cases if c.pending]


def test_the_ids_do_not_collide_with_the_other_question_files() -> None:
    halves = ("dev", "test", "fresh", "fresh2", "fresh3")
    others = {c.id for half in halves for c in second_tenant_cases(half)}
    assert not {c.id for c in _fresh4()} & others


def test_every_case_expects_a_skill_a_refusal_or_the_list_of_what_idpilot_does() -> None:
    skills = readme_skills()
    for case in _fresh4():
        if case.skill is None:
            assert case.status in ("outOfScope", "ok") and not case.cite, case.id
        else:
            assert case.skill in skills and case.status == "ok", case.id


def test_every_skill_is_asked_about_and_the_common_ones_at_least_twice() -> None:
    asked = Counter(c.skill for c in _fresh4() if c.skill)
    assert not (readme_skills() - SKILLS_NOT_YET_ROUTED) - set(asked)
    assert not {s for s in COMMON_SKILLS if asked[s] < 2}


def test_five_refusals_and_one_question_about_what_idpilot_does() -> None:
    unskilled = Counter(c.status for c in _fresh4() if c.skill is None)
    assert unskilled == {"outOfScope": 5, "ok": 1}


def test_the_header_states_the_snapshots_now(second_tenant: SecondTenant) -> None:
    header = second_tenant_case_file(FRESH4).read_text().split("\n\n", 1)[0]
    assert NOW in " ".join(header.replace("#", " ").split())
    assert second_tenant.answer_key["capturedDateTime"] == "2026-11-20T17:30:00Z"


def test_no_name_is_written_literally(second_tenant: SecondTenant) -> None:
    assert_no_name_written_literally(second_tenant.store, second_tenant.answer_key, _fresh4())


def test_every_placeholder_resolves_against_the_built_tenant(second_tenant: SecondTenant) -> None:
    assert_placeholders_resolve(second_tenant.store, second_tenant.answer_key, _fresh4())


def test_every_cited_id_is_a_record_of_the_tenant(second_tenant: SecondTenant) -> None:
    missing = cited_ids_missing(second_tenant.store, second_tenant.answer_key, _fresh4())
    assert missing == []


def test_the_set_is_registered_after_the_third_fresh_set() -> None:
    assert SET_NAMES.index(SECOND_FRESH4) == SET_NAMES.index(SECOND_FRESH3) + 1
    assert SECOND_TENANT_FILES[SECOND_FRESH4] == FRESH4


def test_the_readme_lists_the_set() -> None:
    assert f"`{SECOND_FRESH4}`" in README.read_text()


def test_idpilot_eval_runs_the_set_and_prints_its_figures(tmp_path: Path) -> None:
    args = ["--store", str(tmp_path / "any.duckdb"), "--set", SECOND_FRESH4,
            "--only", "vk4-oos-poem"]  # fmt: skip
    output = eval_output(args)
    assert f"{SECOND_FRESH4}: accuracy" in output, output
    assert "fresh4.yaml" in output


def test_the_set_does_not_regress_below_its_untuned_floor(second_tenant: SecondTenant) -> None:
    assert_second_tenant_floor(
        second_tenant.store, _fresh4(), second_tenant.answer_key, FLOOR_PASSED
    )
