"""`idpilot ca draft`, `ca check`, `workflow draft` and `group draft` as an admin runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from idpilot.cli.app import app
from tests.fixture_tenant import store_ingested_through_cli

POLICY = {
    "displayName": "Require MFA for everyone",
    "state": "enabled",
    "conditions": {
        "users": {"includeUsers": ["All"]},
        "applications": {"includeApplications": ["All"]},
        "clientAppTypes": ["all"],
    },
    "grantControls": {"operator": "OR", "builtInControls": ["mfa"]},
}


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture tenant ingested through the command."""
    return store_ingested_through_cli(tmp_path_factory.mktemp("drafting"))


def test_ca_draft_json_is_report_only_with_its_proof(store_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        ["ca", "draft", "Require phishing-resistant MFA for admins, except break-glass",
         "--json", "--store", str(store_path)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    proved = json.loads(result.output)
    assert proved["body"]["state"] == "enabledForReportingButNotEnforced"
    assert proved["proposal"]["request"]["method"] == "POST"
    assert [p["name"][:2] for p in proved["rollout"]] == ["1.", "2.", "3.", "4."]
    assert proved["impact"]["sign_ins"] >= 0 and proved["summary"]


def test_ca_check_reads_a_file_and_stdin(store_path: Path, tmp_path: Path) -> None:
    file = tmp_path / "policy.json"
    file.write_text(json.dumps(POLICY))
    by_file = CliRunner().invoke(app, ["ca", "check", str(file), "--store", str(store_path)])
    assert by_file.exit_code == 0, by_file.output
    assert "Impact, replayed on" in by_file.output
    by_stdin = CliRunner().invoke(
        app, ["ca", "check", "-", "--store", str(store_path)], input=json.dumps(POLICY)
    )
    assert by_stdin.exit_code == 0 and by_stdin.output == by_file.output


@pytest.mark.parametrize("content", ["not json", json.dumps({"displayName": "x"})])
def test_ca_check_refuses_what_is_not_a_policy(
    store_path: Path, tmp_path: Path, content: str
) -> None:
    file = tmp_path / "bad.json"
    file.write_text(content)
    result = CliRunner().invoke(app, ["ca", "check", str(file), "--store", str(store_path)])
    assert result.exit_code == 2
    missing = CliRunner().invoke(
        app, ["ca", "check", str(tmp_path / "none.json"), "--store", str(store_path)]
    )
    assert missing.exit_code == 2 and "cannot read it" in missing.output


def test_workflow_and_group_drafts(store_path: Path) -> None:
    workflow = CliRunner().invoke(
        app, ["workflow", "draft", "offboard leavers on their last day", "--json",
              "--store", str(store_path)],
    )  # fmt: skip
    assert workflow.exit_code == 0, workflow.output
    drafted = json.loads(workflow.output)
    assert drafted["body"]["category"] == "leaver"
    assert "sessionsNotRevoked" in {f["check"] for f in drafted["findings"]}
    group = CliRunner().invoke(
        app, ["group", "draft", "a group of guests", "--store", str(store_path)]
    )
    assert group.exit_code == 0, group.output
    assert "POST https://graph.microsoft.com/v1.0/groups" in group.output
