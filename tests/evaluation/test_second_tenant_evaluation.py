"""The generalization sets: Vindelkraft's dev and test halves and the phrasing corpus.

The floors below are the figures last measured, so any regression fails. Raise them as idpilot
improves (the evaluation is deterministic: the same code gives the same figures).
"""

from __future__ import annotations

import pytest

from idpilot.evaluation.phrasings import (
    PhrasingReport,
    default_corpus_path,
    load_corpus,
    run_phrasings,
)
from idpilot.evaluation.runner import EvalReport, run_evaluation
from idpilot.evaluation.sets import second_tenant_cases
from idpilot.evaluation.split import DEV, TEST
from tests.conftest import DemoTenant
from tests.evaluation.conftest import SecondTenant

# Measured on 2026-12-06, session 4 (passed cases / correct intents). When the sets were
# added, before the understanding layer: dev 57, test 51, intents 108 and 112, out of scope
# ran 10 and 9. The fresh set (written by a helper who never read the planner) scored 83 of
# 107 when it was first run, untuned; it has been tuned on since, like dev. Test is not.
# Session 4 added fresh2 (93 questions, another helper who never read the planner): 65 of 89
# on its first, untuned run; tuned on since. Session 5 (script questions now scored): dev 102,
# test 72 (80.9% of 89), fresh 107, fresh2 86.
FRESH = "fresh"
FRESH2 = "fresh2"
FLOOR_PASSED = {DEV: 102, TEST: 76, FRESH: 107, FRESH2: 89}
FLOOR_INTENTS = {"contoso": 178, "vindelkraft": 178}
CEILING_OUT_OF_SCOPE_RAN_SKILL = {"contoso": 0, "vindelkraft": 0}


@pytest.fixture(scope="session")
def half_reports(second_tenant: SecondTenant) -> dict[str, EvalReport]:
    """Both halves, asked and scored once."""
    return {
        half: run_evaluation(
            second_tenant.store, second_tenant_cases(half), second_tenant.answer_key
        )
        for half in (DEV, TEST, FRESH, FRESH2)
    }


@pytest.fixture(scope="session")
def corpus_path() -> object:
    """The shared phrasing corpus; absent outside a checkout with ../shared beside it."""
    path = default_corpus_path()
    if not path.exists():
        pytest.skip(f"no phrasing corpus at {path} (../shared/phrasings/dev.yaml)")
    return path


@pytest.fixture(scope="session")
def phrasing_reports(
    corpus_path: object, demo_tenant: DemoTenant, second_tenant: SecondTenant
) -> dict[str, PhrasingReport]:
    """The corpus instantiated on each tenant, asked once."""
    corpus = load_corpus(corpus_path)  # type: ignore[arg-type]
    return {
        "contoso": run_phrasings(demo_tenant.store, corpus, "contoso"),
        "vindelkraft": run_phrasings(second_tenant.store, corpus, "vindelkraft"),
    }


@pytest.mark.parametrize("half", [DEV, TEST, FRESH, FRESH2])
def test_no_half_regresses_below_its_measured_floor(
    half_reports: dict[str, EvalReport], half: str
) -> None:
    report = half_reports[half]
    failing = [f"{s.case.id}: {s.failures}" for s in report.scored if not s.passed]
    assert report.passed >= FLOOR_PASSED[half], failing


@pytest.mark.parametrize("half", [DEV, TEST, FRESH, FRESH2])
def test_answers_cite_real_records_and_name_nothing_without_evidence(
    half_reports: dict[str, EvalReport], half: str
) -> None:
    report = half_reports[half]
    assert report.citation_precision == 1.0
    assert report.hallucinated == 0, [s.hallucinated for s in report.scores if s.hallucinated]


def test_pending_capabilities_are_reported_not_scored(half_reports: dict[str, EvalReport]) -> None:
    for report in half_reports.values():
        assert report.not_yet >= 1
        assert all(not s.passed and not s.failures for s in report.scores if s.not_yet)


@pytest.mark.parametrize("tenant", ["contoso", "vindelkraft"])
def test_phrasing_intent_accuracy_does_not_regress(
    phrasing_reports: dict[str, PhrasingReport], tenant: str
) -> None:
    report = phrasing_reports[tenant]
    assert not [r for r in report.results if r.unfilled], "a placeholder had no value"
    assert report.not_yet == 10  # kql and report (policy_draft and script_analysis answer)
    correct = sum(r.correct for r in report.counted)
    misses = [f"{r.intent}: {r.prompt} -> {r.chosen}" for r in report.counted if not r.correct]
    assert correct >= FLOOR_INTENTS[tenant], misses
    assert report.out_of_scope_ran_skill <= CEILING_OUT_OF_SCOPE_RAN_SKILL[tenant]
    assert report.hallucinated == 0, [r.hallucinated for r in report.results if r.hallucinated]
