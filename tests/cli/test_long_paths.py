"""A path a command prints is never folded across lines, however long it is and however narrow
the terminal: an admin copies it, and a test must not pass or fail by its temporary folder's
length (pytest-xdist's workers add a folder of their own)."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

import idpilot.cli
from idpilot.cli.app import app, console
from tests.fixture_tenant import write_fixture_tenant

for _module in pkgutil.iter_modules(idpilot.cli.__path__):
    importlib.import_module(f"idpilot.cli.{_module.name}")

NARROW = 80
"""Columns: Rich's width when the output is not a terminal."""


@pytest.fixture
def long_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder whose path is longer than the (narrow) terminal is wide."""
    monkeypatch.setattr(console, "_width", NARROW)
    folder = tmp_path / ("a-folder-with-a-rather-long-name-" * 3) / "snapshot"
    assert len(str(folder)) > NARROW
    return folder


def test_ingest_prints_the_source_folder_on_one_line(long_folder: Path) -> None:
    write_fixture_tenant(long_folder)
    result = CliRunner().invoke(
        app, ["ingest", str(long_folder), "--store", str(long_folder.parent / "s.duckdb")]
    )
    assert result.exit_code == 0, result.output
    assert f"Ingested {long_folder}\n" in result.output


def test_a_skipped_set_prints_the_missing_file_on_one_line(long_folder: Path) -> None:
    missing = long_folder / "phrasings.yaml"
    result = CliRunner().invoke(
        app, ["eval", "--store", str(long_folder / "s.duckdb"), "--set", "phrasings-contoso",
              "--phrasings", str(missing)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert f"no phrasing corpus at {missing} " in result.output
