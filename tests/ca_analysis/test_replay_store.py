"""Replay over a store: agreement, a planted wrong record, undecidable sign-ins, the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from signin.tenant import TAMPERED_SIGN_IN, P, build_tenant
from typer.testing import CliRunner

import idpilot.cli.ca  # noqa: F401  (registers the `ca` sub-app)
from idpilot.ca_analysis.replay import replay
from idpilot.cli.app import app
from idpilot.store import Store


@pytest.fixture(scope="module")
def tampered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("tampered")
    return build_tenant(root / "snapshot", root / "store.duckdb", tamper=True)


def test_engine_agrees_with_its_own_records(store) -> None:
    report = replay(store)
    assert report.sign_ins > 0
    assert report.disagreed == 0
    assert report.agreement == 1.0
    assert all(t.disagree == 0 for t in report.policies)


def test_wrong_passwords_and_lockouts_are_not_evaluated(store) -> None:
    """Bob's 4 wrong passwords and lockout and the 10-user spray: Conditional Access never ran."""
    report = replay(store)
    assert report.not_evaluated == 15
    assert report.disagreed == 0
    tally = next(t for t in report.policies if t.policy_id == P["report_only"])
    assert tally.disagree == 0


def test_missing_device_fact_is_undecidable_not_agreement(store) -> None:
    report = replay(store)
    assert report.undecidable == 1
    [undecided] = report.undecided
    assert undecided.policy_id == P["report_only"]
    assert undecided.missing_facts == ["device.isCompliant"]
    tally = next(t for t in report.policies if t.policy_id == P["report_only"])
    assert tally.undecidable == 1
    assert tally.report_only_failures >= 1


def test_wrong_record_is_a_disagreement_naming_the_control(tampered: Path) -> None:
    with Store.open(tampered, read_only=True) as store:
        report = replay(store)
    assert report.disagreed == 1
    [difference] = report.disagreements
    assert difference.policy_id == P["compliant"]
    assert difference.sign_in_ids == [TAMPERED_SIGN_IN]
    assert (difference.recorded, difference.computed) == ("success", "failure")
    assert "compliantDevice" in difference.differing[0].reason
    tally = next(t for t in report.policies if t.policy_id == P["compliant"])
    assert tally.disagree == 1 and tally.agree == tally.decided - 1


def test_since_filters_sign_ins(store) -> None:
    everything = replay(store)
    recent = replay(store, since=store.captured_at().replace(hour=0, minute=0))
    assert 0 < recent.sign_ins < everything.sign_ins


def test_cli_replay_json_and_text(tampered: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["ca", "replay", "--json", "--store", str(tampered)])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["disagreed"] == 1
    assert payload["not_evaluated"] == 15
    assert payload["disagreements"][0]["sign_in_ids"] == [TAMPERED_SIGN_IN]
    text = runner.invoke(app, ["ca", "replay", "--since", "30d", "--store", str(tampered)])
    assert text.exit_code == 0, text.output
    assert "Require compliant device for Salesforce" in text.output
    assert "compliantDevice" in text.output
    assert "15 not evaluated" in " ".join(text.output.split())


def test_cli_rejects_bad_since(tampered: Path) -> None:
    result = CliRunner().invoke(app, ["ca", "replay", "--since", "soon", "--store", str(tampered)])
    assert result.exit_code != 0
