"""The baseline report: every SCuBA control implemented by a check, the verdict names, the
severity gate CI uses, and the README's coverage numbers kept true."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from idpilot.posture import CHECKS, CheckResult, CheckStatus
from idpilot.posture.base import Baseline
from idpilot.posture.baseline import (
    SCUBA_CONTROLS,
    baseline_results,
    check_json,
    failing_at_or_above,
)
from idpilot.posture.data import load_posture_data
from idpilot.posture.eidsca import eidsca_rows
from idpilot.security.severity import Severity
from idpilot.sources.ingest import ingest_folder
from idpilot.store import Store
from tests.helpers import snapshot_from_examples
from tests.sources.test_settings_ingest import SETTINGS_EXAMPLES

README = Path(__file__).parents[2] / "README.md"


def _result(status: CheckStatus, severity: Severity) -> CheckResult:
    return CheckResult(
        id=f"{status}-{severity}", title="t", area="a", status=status, severity=severity,
        baseline=Baseline.microsoft, control="c", fix="f",
    )  # fmt: skip


def test_every_scuba_control_is_implemented_by_a_check() -> None:
    implemented = {c for check in CHECKS for c in check.controls}
    assert set(SCUBA_CONTROLS) <= implemented
    scuba_ids = {c for c in implemented if c.startswith("MS.AAD.")}
    assert scuba_ids - set(SCUBA_CONTROLS) == {  # earlier versions, named beside the current
        "MS.AAD.3.2v1", "MS.AAD.3.3v1", "MS.AAD.3.5v1", "MS.AAD.5.4v1"}  # fmt: skip


def test_control_ids_are_well_formed() -> None:
    pattern = re.compile(r"^(MS\.AAD\.\d+\.\d+v\d+|CIS\.\d+(\.\d+)+|EIDSCA\.[A-Z]{2}\d{2})$")
    for check in CHECKS:
        assert all(pattern.match(c) for c in check.controls), check.id


@pytest.mark.parametrize(
    ("floor", "gated"),
    [(Severity.critical, {"critical"}), (Severity.high, {"critical", "high"}),
     (Severity.low, {"critical", "high", "medium", "low"})],
)  # fmt: skip
def test_fail_on_gates_failures_at_or_above_the_severity(floor: Severity, gated: set) -> None:
    results = [_result(CheckStatus.failed, s) for s in Severity]
    results += [_result(CheckStatus.unknown, Severity.critical)]
    assert {r.severity.value for r in failing_at_or_above(results, floor)} == gated


def test_verdicts_are_the_published_names() -> None:
    names = {check_json(_result(s, Severity.low))["verdict"] for s in CheckStatus}
    assert names == {"pass", "fail", "notApplicable", "unknown"}


def test_the_readme_states_the_coverage_numbers() -> None:
    cis = {c for check in CHECKS for c in check.controls if c.startswith("CIS.")}
    text = " ".join(README.read_text().split())
    assert f"all {len(SCUBA_CONTROLS)} controls of CISA SCuBA" in text
    assert f"all {len(eidsca_rows())} EIDSCA checks" in text
    assert f"{len(cis)} CIS Microsoft 365 Foundations controls" in text


@pytest.mark.parametrize(("example", "target"), sorted(SETTINGS_EXAMPLES.items()))
def test_each_published_settings_example_alone_gets_every_verdict(
    tmp_path: Path, example: str, target: str
) -> None:
    store = Store.open()
    ingest_folder(store, snapshot_from_examples(tmp_path / "snap", {example: target}))
    results = baseline_results(load_posture_data(store))
    assert {c for r in results for c in r.controls} >= set(SCUBA_CONTROLS)
    for result in results:
        assert (result.status is CheckStatus.unknown) == bool(result.missing), result.id
