"""The second evaluation tenant's store, built once and cached next to the store being evaluated.

The cache is rebuilt when the generator changes: its declared version, its seed, or the text of
its modules (so an edit without a version bump cannot leave a stale tenant behind).
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from idpilot.evaluation.tenants import vindelkraft
from idpilot.sources.ingest import ingest_folder
from idpilot.store import Store
from idpilot.store.migrations import available_migrations

STAMP_NAME = "generator.json"


@dataclass(frozen=True)
class BuiltTenant:
    """A generated tenant on disk: snapshot folder, store file and answer key."""

    name: str
    folder: Path
    store_path: Path
    answer_key: dict[str, Any]


def generator_stamp(seed: int = vindelkraft.DEFAULT_SEED) -> dict[str, str | int]:
    """What the cached tenant was built from: generator version, seed, source digest and the
    store schema (a new migration rebuilds it)."""
    digest = hashlib.sha256()
    package = resources.files(vindelkraft)
    for entry in sorted(package.iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".py"):
            digest.update(entry.name.encode())
            digest.update(entry.read_bytes())
    return {
        "generator": vindelkraft.NAME,
        "version": vindelkraft.GENERATOR_VERSION,
        "seed": seed,
        "source": digest.hexdigest()[:16],
        "schema": max(m.version for m in available_migrations()),
    }


def cache_dir_for(store_path: Path) -> Path:
    """Where the second tenant lives for a given store: a folder beside it."""
    return store_path.parent / f"{vindelkraft.NAME}-eval"


def ensure_second_tenant(cache_dir: Path, seed: int = vindelkraft.DEFAULT_SEED) -> BuiltTenant:
    """The generated Vindelkraft tenant in `cache_dir`, (re)built when its stamp differs."""
    stamp = generator_stamp(seed)
    stamp_file = cache_dir / STAMP_NAME
    folder = cache_dir / "snapshot"
    store_path = cache_dir / f"{vindelkraft.NAME}.duckdb"
    current = json.loads(stamp_file.read_text()) if stamp_file.exists() else None
    if current != stamp or not store_path.exists():
        if cache_dir.exists():
            shutil.rmtree(cache_dir)
        cache_dir.mkdir(parents=True)
        files = vindelkraft.generate_tenant(folder, seed)
        with Store.open(store_path) as store:
            ingest_folder(store, files.folder)
        stamp_file.write_text(json.dumps(stamp))
    answer_key = json.loads((folder / "scenarios.json").read_text())
    return BuiltTenant(vindelkraft.NAME, folder, store_path, answer_key)
