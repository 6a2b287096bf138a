"""`idpilot posture`: Graph's published examples and an empty tenant run; the JSON shape CI
reads; every SCuBA control and EIDSCA check answered; --fail-on; HTML and Markdown inert."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import idpilot.cli.posture  # noqa: F401  (registers the command)
from idpilot.cli.app import app
from idpilot.posture.baseline import SCUBA_CONTROLS
from idpilot.posture.eidsca import eidsca_rows
from idpilot.sources.ingest import ingest_folder
from idpilot.store import Store
from tests.helpers import snapshot_from_examples
from tests.security.builder import TenantBuilder
from tests.sources.test_ingest import VALID_LIST_EXAMPLES
from tests.sources.test_settings_ingest import SETTINGS_EXAMPLES

KEYS = ["id", "title", "controls", "verdict", "missing", "affected", "fix"]
VERDICTS = {"pass", "fail", "notApplicable", "unknown"}
HOSTILE = "<script>alert(1)</script> *bold* \u202e"


def _store(path: Path, folder: Path | None = None) -> Path:
    store = Store.open(path)
    if folder is not None:
        ingest_folder(store, folder)
    store.close()
    return path


@pytest.fixture(scope="module")
def examples_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every published Graph example, settings included, ingested."""
    folder = tmp_path_factory.mktemp("examples")
    examples = {**VALID_LIST_EXAMPLES, **SETTINGS_EXAMPLES}
    return _store(folder / "store.duckdb", snapshot_from_examples(folder / "snap", examples))


@pytest.fixture(scope="module")
def empty_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store nothing was ingested into: an empty tenant."""
    return _store(tmp_path_factory.mktemp("empty") / "store.duckdb")


def _posture(store: Path, *options: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["posture", *options, "--store", str(store)])
    return result.exit_code, result.output


@pytest.mark.parametrize("tenant", ["examples_store", "empty_store"])
def test_posture_json_answers_every_scuba_control_and_eidsca_check(
    tenant: str, request: pytest.FixtureRequest
) -> None:
    code, output = _posture(request.getfixturevalue(tenant), "--json")
    assert code == 0, output
    payload = json.loads(output)
    assert list(payload) == ["checks"]
    checks = payload["checks"]
    for check in checks:
        assert list(check) == KEYS
        assert check["verdict"] in VERDICTS
        assert (check["verdict"] == "unknown") == bool(check["missing"]), check
        assert all(list(a) == ["kind", "id", "name"] for a in check["affected"])
        assert isinstance(check["fix"]["text"], str) and check["fix"]["text"]
    controls = {c for check in checks for c in check["controls"]}
    assert set(SCUBA_CONTROLS) <= controls
    assert {f"EIDSCA.{r.id}" for r in eidsca_rows()} <= controls
    ids = [check["id"] for check in checks]
    assert len(ids) == len(set(ids))


def test_the_empty_tenant_passes_no_settings_control_it_cannot_see(empty_store: Path) -> None:
    checks = json.loads(_posture(empty_store, "--json")[1])["checks"]
    eidsca = [c for c in checks if c["id"].startswith("EIDSCA.")]
    assert eidsca and all(c["verdict"] == "unknown" for c in eidsca)
    by_id = {c["id"]: c for c in checks}
    for check_id in ("IDP-CA-001", "IDP-CA-003", "IDP-CA-006", "IDP-CA-007", "IDP-CA-014"):
        assert by_id[check_id]["verdict"] == "unknown"
        assert by_id[check_id]["missing"] == ["conditionalAccessPolicies"]


def test_fail_on_exits_non_zero_for_ci(examples_store: Path) -> None:
    checks = json.loads(_posture(examples_store, "--json")[1])["checks"]
    assert any(c["verdict"] == "fail" for c in checks)  # the published policy invites all
    assert _posture(examples_store)[0] == 0
    assert _posture(examples_store, "--fail-on", "low")[0] == 1
    assert _posture(examples_store, "--fail-on", "nonsense")[0] == 2


def test_html_and_markdown_keep_tenant_text_inert(tmp_path: Path) -> None:
    tenant = TenantBuilder()
    tenant.user("Any User")
    tenant.policy(HOSTILE, state="enabledForReportingButNotEnforced")
    path = _store(tmp_path / "store.duckdb", tenant.write(tmp_path / "snap"))
    code, page = _posture(path, "--html")
    assert code == 0 and page.startswith("<!doctype html>")
    assert "<script>" not in page and "&lt;script&gt;" in page and "\u202e" not in page
    code, markdown = _posture(path, "--md")
    assert code == 0 and "\\<script\\>" in markdown and "\\*bold\\*" in markdown
    assert _posture(path, "--md", "--html")[0] == 2
