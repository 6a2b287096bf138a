"""`idpilot eval` over the sets: selection, the cached second tenant, JSON, absent corpus."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

import idpilot.cli.evaluate  # noqa: F401  (registers the command on the app)
from idpilot.cli.app import app
from idpilot.evaluation.second_tenant import STAMP_NAME, cache_dir_for


def test_the_second_tenant_is_built_beside_the_store_and_reused(tmp_path: Path) -> None:
    store = tmp_path / "any.duckdb"
    args = ["eval", "--store", str(store), "--set", "vindelkraft-test", "--only", "vk-oos-p",
            "--json"]  # fmt: skip
    first = CliRunner().invoke(app, args)
    report = json.loads(first.output)["sets"][0]
    assert report["set"] == "vindelkraft-test" and report["cases"] >= 1
    cache = cache_dir_for(store)
    built = (cache / "vindelkraft.duckdb").stat().st_mtime_ns
    assert (cache / STAMP_NAME).exists()
    again = CliRunner().invoke(app, args)
    assert json.loads(again.output)["sets"][0]["cases"] == report["cases"]
    assert (cache / "vindelkraft.duckdb").stat().st_mtime_ns == built
    assert first.exit_code == (0 if report["accuracy"] >= 0.95 else 1)
    stamp = json.loads((cache / STAMP_NAME).read_text())
    (cache / STAMP_NAME).write_text(json.dumps({**stamp, "version": "stale"}))
    CliRunner().invoke(app, args)
    assert json.loads((cache / STAMP_NAME).read_text()) == stamp


def test_an_absent_phrasing_corpus_is_skipped_with_where_to_put_it(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["eval", "--store", str(tmp_path / "s.duckdb"), "--set", "phrasings-contoso",
              "--phrasings", str(tmp_path / "nope.yaml")],
    )  # fmt: skip
    assert "skipped" in result.output and "nope.yaml" in result.output
    assert result.exit_code == 0


def test_an_unknown_set_is_refused_with_the_choices(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["eval", "--store", str(tmp_path / "s.duckdb"), "--set", "fabrikam"]
    )
    assert result.exit_code != 0
    assert "vindelkraft-dev" in result.output


def test_the_nl2kql_sets_need_the_demo_tenant(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["eval", "--store", str(tmp_path / "s.duckdb"), "--set", "nl2kql-test", "--json"]
    )
    report = json.loads(result.output)["sets"][0]
    assert report["set"] == "nl2kql-test" and "demo tenant" in report["skipped"]
    assert result.exit_code == 0
