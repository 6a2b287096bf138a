"""The whole evaluation set on the demo tenant: the acceptance bar of every issue."""

from __future__ import annotations

import pytest

from idpilot.evaluation.cases import default_case_files, load_cases
from idpilot.evaluation.runner import EvalReport, run_evaluation
from tests.conftest import DemoTenant

TARGET_ACCURACY = 0.95


@pytest.fixture(scope="session")
def report(demo_tenant: DemoTenant) -> EvalReport:
    """Every shipped case, asked and scored once."""
    cases = load_cases(default_case_files())
    return run_evaluation(demo_tenant.store, cases, demo_tenant.answer_key)


def _failures(report: EvalReport, source: str | None = None) -> list[str]:
    return [
        f"{s.case.id}: {s.failures + [f'hallucinated {h}' for h in s.hallucinated]}"
        for s in report.scores
        if not s.passed and (source is None or s.case.source == source)
    ]


def test_no_answer_names_an_entity_absent_from_its_evidence(report: EvalReport) -> None:
    assert report.hallucinated == 0, _failures(report)


def test_every_citation_is_a_real_record(report: EvalReport) -> None:
    assert report.citation_precision == 1.0


@pytest.mark.parametrize("source", [p.name for p in default_case_files()])
def test_each_case_file_meets_the_accuracy_bar(report: EvalReport, source: str) -> None:
    passed, total = report.by_source()[source]
    assert total > 0
    assert passed / total >= TARGET_ACCURACY, _failures(report, source)


def test_the_set_starts_with_forty_user_and_group_prompts() -> None:
    cases = load_cases(default_case_files())
    core = [c for c in cases if c.skill in ("user_details", "group_details")]
    assert len(core) >= 40
