"""The store's files under hostile conditions: kept private, links not followed, tenants apart."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

import idpilot.cli.ingest  # noqa: F401 - registers the command
from idpilot.cli.app import app
from idpilot.errors import StoreError
from idpilot.sources.ingest import ingest_folder
from idpilot.store import Store
from idpilot.store.versions import lock_path, new_version, next_path

TENANT_A = "aaaaaaaa-1111-4111-8111-aaaaaaaaaaaa"
TENANT_B = "bbbbbbbb-2222-4222-8222-bbbbbbbbbbbb"


def _snapshot(folder: Path, tenant: str, user: str) -> Path:
    folder.mkdir(parents=True)
    (folder / "organization.json").write_text(json.dumps([{"id": tenant}]))
    (folder / "users.json").write_text(json.dumps([{"id": user, "displayName": user}]))
    return folder


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    """A store of tenant A, made private by its owner."""
    path = tmp_path / "store.duckdb"
    with new_version(path) as store:
        ingest_folder(store, _snapshot(tmp_path / "a", TENANT_A, "u-a"))
    path.chmod(0o600)
    return path


def test_a_private_store_stays_private_across_versions(store_path: Path, tmp_path: Path) -> None:
    with new_version(store_path) as store:
        ingest_folder(store, _snapshot(tmp_path / "a2", TENANT_A, "u-a2"))
    assert stat.S_IMODE(store_path.stat().st_mode) == 0o600


def test_a_planted_lock_link_is_not_followed(store_path: Path, tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    lock_path(store_path).symlink_to(victim)
    with pytest.raises(StoreError, match="lock"), new_version(store_path, wait=0):
        pass
    assert victim.read_text() == "precious"


def test_a_planted_next_version_link_is_removed_not_followed(
    store_path: Path, tmp_path: Path
) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    next_path(store_path).symlink_to(victim)
    with new_version(store_path) as store:
        ingest_folder(store, _snapshot(tmp_path / "a2", TENANT_A, "u-a2"))
    assert victim.read_text() == "precious"
    assert not next_path(store_path).exists()


def test_another_tenants_records_never_merge(store_path: Path, tmp_path: Path) -> None:
    folder = _snapshot(tmp_path / "b", TENANT_B, "u-b")  # no manifest.json
    result = CliRunner().invoke(app, ["ingest", str(folder), "--store", str(store_path)])
    assert result.exit_code == 2
    assert TENANT_B in result.output and "one store holds one tenant" in result.output
    with Store.open(store_path, read_only=True) as store:
        assert store.scalar("SELECT count(*) FROM organization") == 1
        assert store.scalar("SELECT count(*) FROM users WHERE id = 'u-b'") == 0
