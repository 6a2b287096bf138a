"""`idpilot mcp` refuses what it cannot serve before it starts, in a sentence."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from idpilot.cli import app


def test_a_missing_store_is_refused(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["mcp", "--store", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 2
    assert "none.duckdb" in result.output


def test_an_unknown_transport_is_refused() -> None:
    result = CliRunner().invoke(app, ["mcp", "--transport", "carrier-pigeon"])
    assert result.exit_code == 2
    assert "stdio" in result.output and "http" in result.output
