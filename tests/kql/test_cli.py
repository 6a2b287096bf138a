"""`idpilot kql`: a table by default, JSON or CSV on request, user errors exit 2."""

from __future__ import annotations

import csv
import importlib
import io
import json
import pkgutil
from pathlib import Path

from typer.testing import CliRunner

import idpilot.cli
from idpilot.cli.app import EXIT_USER_ERROR, app

# Commands register on import, as `idpilot.cli.main` does it; with one command only, Typer
# would make it the whole program and `kql` would not be a subcommand.
for _module in pkgutil.iter_modules(idpilot.cli.__path__):
    if _module.name not in ("app", "options"):
        importlib.import_module(f"idpilot.cli.{_module.name}")

runner = CliRunner()
SPRAY = (
    'SigninLogs | where TimeGenerated > ago(1d) | where ResultType == "50126"'
    " | summarize Users=dcount(UserPrincipalName) by IPAddress | where Users > 2"
)


def invoke(store_path: Path, *args: str):
    return runner.invoke(app, ["kql", *args, "--store", str(store_path)])


def test_table_by_default(store_path: Path) -> None:
    result = invoke(store_path, SPRAY)
    assert result.exit_code == 0, result.output
    assert "IPAddress" in result.stdout
    assert "131.107.159.37" in result.stdout
    assert "1 row" in result.stdout


def test_json_is_a_list_of_objects_with_utc_datetimes(store_path: Path) -> None:
    result = invoke(
        store_path,
        'SigninLogs | where Id == "success-1"'
        " | project TimeGenerated, UserPrincipalName, LocationDetails, IsInteractive",
        "--json",
    )
    assert result.exit_code == 0, result.output
    (row,) = json.loads(result.stdout)
    assert row["TimeGenerated"] == "2021-06-30T18:00:00Z"
    assert row["UserPrincipalName"] == "testaccount1@contoso.com"
    assert row["LocationDetails"]["city"] == "Paris"
    assert row["IsInteractive"] is True


def test_json_binned_datetimes_are_utc_too(store_path: Path) -> None:
    result = invoke(
        store_path,
        "SigninLogs | summarize n = count() by bin(TimeGenerated, 1d) | order by TimeGenerated asc",
        "--json",
    )
    assert json.loads(result.stdout) == [
        {"TimeGenerated": "2021-06-20T00:00:00Z", "n": 1},
        {"TimeGenerated": "2021-06-30T00:00:00Z", "n": 6},
    ]


def test_csv_with_header(store_path: Path) -> None:
    result = invoke(
        store_path,
        "AuditLogs | project TimeGenerated, OperationName, Result, TargetResources"
        " | order by TimeGenerated asc",
        "--csv",
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["TimeGenerated", "OperationName", "Result", "TargetResources"]
    assert rows[1][:3] == ["2018-01-09T21:20:02.721537Z", "Add member to group", "success"]
    assert json.loads(rows[2][3])[0]["userPrincipalName"] == "bob@contoso.com"


def test_limit_and_show_sql(store_path: Path) -> None:
    result = invoke(store_path, "SigninLogs | project Id", "--limit", "2", "--json", "--show-sql")
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)) == 2
    assert "SELECT" in result.stderr


def test_table_escapes_brackets(store_path: Path) -> None:
    result = invoke(store_path, 'SigninLogs | where Id == "success-1" | project MfaDetail')
    assert '{"authMethod":"PhoneAppNotification","authDetail":null}' in result.stdout.replace(
        "\n", ""
    ).replace(" ", "").replace("│", "")


def test_user_errors_exit_2_with_the_message(store_path: Path) -> None:
    result = invoke(store_path, "SigninLogs | facet by Location")
    assert result.exit_code == EXIT_USER_ERROR
    assert "the KQL operator 'facet' is not supported locally" in result.stderr
    result = invoke(store_path, "Nope | take 1")
    assert result.exit_code == EXIT_USER_ERROR
    assert "unknown table 'Nope'" in result.stderr


def test_missing_store_is_a_user_error(tmp_path: Path) -> None:
    result = invoke(tmp_path / "absent.duckdb", "SigninLogs | take 1")
    assert result.exit_code == EXIT_USER_ERROR
    assert "No store at" in result.stderr
