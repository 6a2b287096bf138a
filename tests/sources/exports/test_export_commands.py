"""`idpilot demo --export-layout` writes the demo's logs as Azure exports and ingests them;
`idpilot ingest` takes one export file as well as a folder."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from idpilot.cli.app import app
from idpilot.store import Store


def test_demo_export_layout_ingests_the_store_from_the_exports(tmp_path: Path) -> None:
    out, store = tmp_path / "demo", tmp_path / "demo.duckdb"
    result = CliRunner().invoke(
        app,
        [
            "demo", "--out", str(out), "--store", str(store), "--users", "40", "--days", "3",
            "--no-tour", "--export-layout", "log-analytics",
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    exported = tmp_path / "demo-log-analytics"
    assert (exported / "SigninLogs.json").is_file() and not (exported / "signIns.jsonl").exists()
    counts = json.loads((out / "manifest.json").read_text())["counts"]
    with Store.open(store, read_only=True) as opened:
        assert opened.scalar("SELECT count(*) FROM signIns") == counts["signIns"]
        assert opened.scalar("SELECT count(*) FROM users") == counts["users"]
        [(source,)] = opened.con.execute("SELECT source FROM store_versions").fetchall()
        assert source == str(exported)

    single = tmp_path / "one.duckdb"
    result = CliRunner().invoke(
        app, ["ingest", str(exported / "AuditLogs.json"), "--store", str(single), "--quiet"]
    )
    assert result.exit_code == 0, result.output
    with Store.open(single, read_only=True) as opened:
        assert opened.scalar("SELECT count(*) FROM directoryAudits") == counts["directoryAudits"]
