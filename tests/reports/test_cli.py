"""`idpilot report` writes the file in the format asked, or says why it cannot."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from idpilot.cli.app import app
from tests.fixture_tenant import HOSTILE, store_ingested_through_cli

importlib.import_module("idpilot.cli.report")
importlib.import_module("idpilot.cli.ingest")


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return store_ingested_through_cli(tmp_path_factory.mktemp("report"))


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_writes_the_report(store_path: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"report.{fmt}"
    result = CliRunner().invoke(
        app,
        ["report", "signins", "--audience", "helpdesk", "--format", fmt, "--out", str(out),
         "--since", "last 30 days", "--store", str(store_path)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    text = out.read_text()
    assert "Sign-in activity report" in text
    assert "Evidence appendix" in text


def test_an_unreadable_window_is_refused(store_path: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        ["report", "incident", "--out", str(tmp_path / "r.md"), "--since", "the blue moon",
         "--store", str(store_path)],
    )  # fmt: skip
    assert result.exit_code == 2
    assert not (tmp_path / "r.md").exists()


def test_an_unknown_user_exits_2(store_path: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        ["report", "incident", "--out", str(tmp_path / "r.md"), "--user", "nobody-such",
         "--store", str(store_path)],
    )  # fmt: skip
    assert result.exit_code == 2
    assert not (tmp_path / "r.md").exists()


def test_hostile_tenant_text_is_inert_in_html(store_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "posture.html"
    result = CliRunner().invoke(
        app,
        ["report", "posture", "--audience", "auditor", "--format", "html", "--out", str(out),
         "--store", str(store_path)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    page = out.read_text()
    assert HOSTILE in page
    assert "http://evil.example" in page  # shown, as text
    assert 'href="http://evil' not in page
    assert "<script" not in page
    assert page.count("<a ") == page.count('<a class="cite" href="#ev-')
