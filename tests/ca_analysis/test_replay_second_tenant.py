"""Replay over the second evaluation tenant, whose Graph v1.0 records were written by a
recorder that follows Microsoft's documented semantics, not idpilot's engine."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from idpilot.ca_analysis.replay import ReplayReport, replay
from tests.evaluation.conftest import open_second_tenant


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReplayReport]:
    tenant = open_second_tenant(tmp_path_factory)  # built once per run, shared with evaluation
    try:
        yield replay(tenant.store)
    finally:
        tenant.store.close()


def test_v1_records_agree_on_every_decided_policy(report: ReplayReport) -> None:
    """MFA satisfied by a claim shows only in status.additionalDetails on v1.0 records."""
    assert report.sign_ins > 5000
    assert report.disagreements == []
    assert report.disagreed == 0 and report.agreement == 1.0
    assert report.agreed > 0.9 * (report.sign_ins - report.not_evaluated)
    assert report.not_evaluated > 0  # wrong passwords: Conditional Access never ran


def test_failures_that_cannot_tell_mfa_are_undecidable(report: ReplayReport) -> None:
    mfa_unknown = [d for d in report.undecided if "mfaDetail.authMethod" in d.missing_facts]
    assert mfa_unknown
    assert all(d.recorded == d.computed for d in mfa_unknown)
