"""Every command prints tenant text inert: no Rich markup read, no control or bidi character.

A tenant whose names hold `[bold red]x[/]` (Rich markup), `\\x1b]0;PWNED\\x07` (a terminal
title sequence), U+202E (right-to-left override) and zero-width characters goes through
`ingest`, `ca replay`, `kql` (table, CSV, JSON) and `whatif` (text, JSON). The output must hold
none of those characters raw, must show the markup as the literal text it is, and JSON must
still parse back to the exact tenant value.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from idpilot.cli.app import app, console, err_console
from idpilot.copilot.inert import is_invisible
from idpilot.kql.adapter import KqlResult
from idpilot.kql.output import table_text, to_csv, to_json

from .builder import TenantBuilder

MARKUP = "[bold red]x[/]"
HOSTILE = f"{MARKUP} \x1b]0;PWNED\x07 \u202egnp.exe Eve\u200bT\u200d"
USER_NAME = f"Mallory {HOSTILE}"
POLICY_NAME = f"CA {HOSTILE}"
APP_NAME = f"App {HOSTILE}"
USER_AGENT = f"UA {HOSTILE}"
RAW = ("\x1b", "\x07", "\u202e", "\u200b", "\u200d")
FILE_MARKUP = "[bold red]x[reverse]"  # a file name cannot hold "/"
WIDE = 2000  # columns: a table cell stays on one line, so the literal markup can be found


def assert_inert(output: str) -> None:
    """No control, bidi or zero-width character (a line break aside) in `output`."""
    shown = [f"U+{ord(c):04X}" for c in output if c != "\n" and is_invisible(c)]
    assert not shown, f"raw characters reached the terminal: {shown}"


def _hostile_tenant() -> TenantBuilder:
    tenant = TenantBuilder()
    mallory = tenant.user(USER_NAME)
    tenant.user("Bob Plain")
    tenant.service_principal(APP_NAME)
    blocking = tenant.policy(POLICY_NAME, controls=["block"])
    # Recorded as success although the policy blocks everyone: a disagreement to print.
    sign_in = tenant.sign_in(mallory, tenant.ago(days=1), userAgent=USER_AGENT)
    sign_in["appliedConditionalAccessPolicies"] = [
        {
            "id": blocking["id"],
            "displayName": POLICY_NAME,
            "result": "success",
            "enforcedGrantControls": ["Block"],
            "enforcedSessionControls": [],
        }
    ]
    # No id: ingest keys it by its UPN and warns, quoting the (hostile) value.
    tenant.add("users", {"displayName": "No Id", "userPrincipalName": f"{HOSTILE}@contoso.test"})
    return tenant


@pytest.fixture(scope="module", autouse=True)
def _wide_console() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        for shared in (console, err_console):
            patch.setattr(shared, "_width", WIDE)
        yield


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hostile tenant's snapshot folder, with a file name that is markup and controls."""
    folder = tmp_path_factory.mktemp("hostile-cli") / "[bold]snap"
    _hostile_tenant().write(folder)
    (folder / f"{FILE_MARKUP}\x1b[31m\u202e.json").write_text('{"value": []}')
    return folder


@pytest.fixture(scope="module")
def ingested(snapshot: Path) -> Iterator[tuple[Path, Result]]:
    """The store the ingest command built, and what that command printed."""
    store = snapshot.parent / "store.duckdb"
    result = CliRunner().invoke(app, ["ingest", str(snapshot), "--store", str(store), "-q"])
    assert result.exit_code == 0, result.output
    yield store, result


def _run(store: Path, *args: str) -> Result:
    result = CliRunner().invoke(app, [*args, "--store", str(store)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


# -- ingest ------------------------------------------------------------------------------------


def test_ingest_prints_paths_file_names_and_warnings_inert(
    ingested: tuple[Path, Result],
) -> None:
    _, result = ingested
    assert_inert(result.output)
    assert "[bold]snap" in result.output  # the folder name is text, not a style
    assert f"skipped: {FILE_MARKUP}{{U+001B}}[31m{{U+202E}}.json" in result.output
    warning = next(line for line in result.output.splitlines() if "has no 'id'" in line)
    assert f"'{MARKUP} {{U+001B}}]0;PWNED{{U+0007}} {{U+202E}}gnp.exe" in warning


# -- ca replay ---------------------------------------------------------------------------------


def test_ca_replay_table_and_disagreements_are_inert(ingested: tuple[Path, Result]) -> None:
    result = _run(ingested[0], "ca", "replay")
    assert result.exit_code == 0, result.output
    assert_inert(result.output)
    assert "1 disagree" in result.output
    # Once in the table, once in the disagreement line: literal markup, code points shown.
    shown = "CA [bold red]x[/] {U+001B}]0;PWNED{U+0007} {U+202E}gnp.exe Eve{U+200B}T{U+200D}"
    assert result.output.count(shown) == 2, result.output


def test_ca_replay_json_escapes_invisible_characters_and_keeps_the_data(
    ingested: tuple[Path, Result],
) -> None:
    result = _run(ingested[0], "ca", "replay", "--json")
    assert result.exit_code == 0, result.output
    assert_inert(result.output)
    report = json.loads(result.output)
    assert {p["display_name"] for p in report["policies"]} == {POLICY_NAME}
    assert report["disagreements"][0]["display_name"] == POLICY_NAME


# -- kql ---------------------------------------------------------------------------------------

QUERY = "SigninLogs | project UserDisplayName, UserAgent, ConditionalAccessPolicies"


def test_kql_table_cells_are_inert_and_not_markup(ingested: tuple[Path, Result]) -> None:
    result = _run(ingested[0], "kql", QUERY)
    assert result.exit_code == 0, result.output
    assert_inert(result.output)
    assert "Mallory [bold red]x[/] {U+001B}]0;PWNED{U+0007} {U+202E}gnp.exe" in result.output
    assert "UA [bold red]x[/] {U+001B}]0;PWNED{U+0007}" in result.output


def test_kql_csv_marks_invisible_characters(ingested: tuple[Path, Result]) -> None:
    result = _run(ingested[0], "kql", "SigninLogs | project UserDisplayName, UserAgent", "--csv")
    assert result.exit_code == 0, result.output
    assert_inert(result.output)
    lines = result.output.splitlines()
    assert lines[0] == "UserDisplayName,UserAgent"
    assert lines[1].startswith("Mallory [bold red]x[/] {U+001B}]0;PWNED{U+0007} {U+202E}gnp")


def test_kql_json_escapes_invisible_characters_and_keeps_the_data(
    ingested: tuple[Path, Result],
) -> None:
    result = _run(ingested[0], "kql", QUERY, "--json")
    assert result.exit_code == 0, result.output
    assert_inert(result.output)
    assert "\\u202e" in result.output and "\\u001b" in result.output
    rows = json.loads(result.output)
    assert rows[0]["UserDisplayName"] == USER_NAME and rows[0]["UserAgent"] == USER_AGENT


def test_kql_headers_are_not_read_as_markup(ingested: tuple[Path, Result]) -> None:
    result = _run(ingested[0], "kql", "print ['[bold]h'] = 1")
    assert result.exit_code == 0, result.output
    assert "[bold]h" in result.output


# -- whatif ------------------------------------------------------------------------------------


def test_whatif_text_is_inert(ingested: tuple[Path, Result]) -> None:
    result = _run(ingested[0], "whatif", "--user", "Mallory", "--app", "App")
    assert result.exit_code == 0, result.output
    assert_inert(result.output)
    assert "blocked" in result.output
    assert "CA [bold red]x[/] {U+001B}]0;PWNED{U+0007} {U+202E}gnp.exe" in result.output
    assert "Mallory [bold red]x[/]" in result.output


def test_whatif_json_escapes_invisible_characters_and_keeps_the_data(
    ingested: tuple[Path, Result],
) -> None:
    result = _run(ingested[0], "whatif", "--user", "Mallory", "--app", "App", "--json")
    assert result.exit_code == 0, result.output
    assert_inert(result.output)
    facts = json.loads(result.output)["facts"]
    assert facts["user"]["displayName"] == USER_NAME
    assert facts["app"]["displayName"] == APP_NAME
    assert {p["displayName"] for p in facts["applying"]} == {POLICY_NAME}


def test_whatif_unknown_user_quoted_from_hostile_input_is_inert(
    ingested: tuple[Path, Result],
) -> None:
    result = _run(ingested[0], "whatif", "--user", f"Nobody {HOSTILE}")
    assert result.exit_code == 2
    assert_inert(result.output)
    assert "could not find a user" in result.output


# -- the KQL renderers, on any Unicode -----------------------------------------------------------

values = st.text(st.characters(codec="utf-8"), max_size=30) | st.sampled_from([HOSTILE, "a\r\nb"])


@settings(max_examples=200, deadline=None)
@given(st.lists(values, min_size=1, max_size=4))
def test_kql_renderers_leave_nothing_invisible_and_json_keeps_the_data(cells: list[str]) -> None:
    columns = [f"c{n}" for n in range(len(cells))]
    result = KqlResult(
        columns, ["VARCHAR"] * len(cells), [tuple(cells), (cells[0], *cells[1:])], ""
    )
    for text in (*map(table_text, cells), to_csv(result), to_json(result)):
        assert_inert(text.replace("\n", ""))  # CSV and JSON lines end with a newline of their own
    assert [table_text(cell).count("\n") for cell in cells] == [0] * len(cells)
    assert json.loads(to_json(result))[0] == dict(zip(columns, cells, strict=True))
    rows = list(csv.reader(io.StringIO(to_csv(result))))
    assert len(rows) == 3 and rows[0] == columns  # a newline in a value never starts a row
