"""The large generated tenant the benchmarks share, built once and cached in bench/out/."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

from idpilot.sources.demo import generate_demo_tenant
from idpilot.sources.ingest import ingest_folder
from idpilot.store import Store

OUT = Path(__file__).parent / "out"
USERS = 10_000
DAYS = 30
SEED = 7


def snapshot_folder(users: int = USERS, days: int = DAYS) -> Path:
    """The generated snapshot of `users` users and `days` days (generated on first use)."""
    folder = OUT / f"tenant-{users}u-{days}d"
    marker = folder / ".complete"
    if not marker.exists():
        shutil.rmtree(folder, ignore_errors=True)
        started = time.perf_counter()
        summary = generate_demo_tenant(folder, seed=SEED, users=users, days=days)
        marker.write_text(json.dumps(summary.counts))
        print(f"generated {folder.name} in {time.perf_counter() - started:.0f} s: {summary.counts}")
    return folder


def ingested_store(folder: Path) -> Path:
    """A store holding `folder`, ingested once and cached next to it."""
    path = folder.with_suffix(".duckdb")
    marker = folder.with_suffix(".ingested")
    if not marker.exists():
        path.unlink(missing_ok=True)
        with Store.open(path) as store:
            ingest_folder(store, folder)
        marker.touch()
    return path
