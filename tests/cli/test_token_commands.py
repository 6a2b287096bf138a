"""`idpilot token create | list | revoke` and `idpilot usage`, over the app state beside the
store."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from idpilot.cli.app import app
from idpilot.state import authenticate, charge
from idpilot.store.app_state import open_app_state


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A store path whose app state sits beside it (no IDPILOT_STATE)."""
    monkeypatch.delenv("IDPILOT_STATE", raising=False)
    monkeypatch.setenv("IDPILOT_CONFIG", str(tmp_path / "config.toml"))
    (tmp_path / "config.toml").write_text("")
    return tmp_path / "tenant.duckdb"


def _run(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_create_list_revoke(store: Path) -> None:
    created = json.loads(
        _run("token", "create", "--user", "ana", "--role", "operator", "--expires", "30d",
             "--store", str(store), "--json")
    )  # fmt: skip
    secret = created["secret"]
    state = store.with_name("tenant.state.duckdb")
    assert state.exists()
    with open_app_state(state) as opened:
        assert authenticate(opened, secret, datetime.now(UTC)).user == "ana"
    listed = _run("token", "list", "--store", str(store))
    assert created["id"] in listed and "operator" in listed and secret not in listed
    listed_json = json.loads(_run("token", "list", "--store", str(store), "--json"))
    assert [t["state"] for t in listed_json] == ["active"] and "secret" not in listed_json[0]
    assert f"revoked {created['id']}" in _run(
        "token", "revoke", created["id"], "--store", str(store)
    )
    assert json.loads(_run("token", "list", "--store", str(store), "--json"))[0]["state"] == (
        "revoked"
    )


def test_create_prints_the_secret_once_in_text(store: Path) -> None:
    output = _run("token", "create", "--user", "bo", "--role", "reader", "--store", str(store))
    assert sum(line.startswith("idp_") for line in output.splitlines()) == 1
    assert "never expires" in output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "root"], "root"),
        (["--role", "reader", "--expires", "soon"], "not a duration"),
    ],
)
def test_bad_options_are_refused(store: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(
        app, ["token", "create", "--user", "x", *args, "--store", str(store)]
    )
    assert result.exit_code == 2 and message in result.output


def test_revoking_an_unknown_token_exits_2(store: Path) -> None:
    result = CliRunner().invoke(app, ["token", "revoke", "tok_nope", "--store", str(store)])
    assert result.exit_code == 2 and "No token has the id" in result.output


def test_usage_shows_units_per_user_and_day(store: Path) -> None:
    day = datetime(2026, 12, 5, 9, tzinfo=UTC)
    with open_app_state(store.with_name("tenant.state.duckdb")) as state:
        charge(state, "ana", 3, 10, day)
        charge(state, "bo", 1, 10, day)
    rows = json.loads(_run("usage", "--store", str(store), "--json"))
    assert rows == [
        {"user": "ana", "day": "2026-12-05", "units": 3},
        {"user": "bo", "day": "2026-12-05", "units": 1},
    ]
    assert "ana" in _run("usage", "--store", str(store))
    later = json.loads(
        _run("usage", "--since", str(date(2026, 12, 6)), "--store", str(store), "--json")
    )
    assert later == []
