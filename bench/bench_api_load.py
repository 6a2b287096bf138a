"""`make bench`: the REST API on a real uvicorn over a copy of the demo store, 50 clients asking
varied prompts and 5 streaming for 60 s, with `idpilot ingest` of the demo snapshot into the
served store during the run; throughput, p50/p95 and errors, during the ingest vs without.

On its own: `python -m bench.bench_api_load [--clients N --streamers N --duration S]`.
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

from bench.api_load import LoadPlan, run_load
from bench.tenant import OUT
from idpilot.sources.demo import generate_demo_tenant
from idpilot.sources.ingest import ingest_folder
from idpilot.store import Store

DEMO = Path("demo-tenant")
"""`make demo`'s snapshot and store, used when present (relative to the checkout)."""
DEMO_STORE = "contoso.duckdb"


def demo_snapshot(scratch: Path) -> tuple[Path, Path]:
    """The demo tenant's snapshot folder and store: `make demo`'s, else generated once into
    `scratch`."""
    if (DEMO / "scenarios.json").exists() and (DEMO / DEMO_STORE).exists():
        return DEMO, DEMO / DEMO_STORE
    folder = scratch / "demo-tenant"
    store = scratch / "demo-tenant.duckdb"
    marker = scratch / "demo-tenant.complete"
    if not marker.exists():
        shutil.rmtree(folder, ignore_errors=True)
        store.unlink(missing_ok=True)
        summary = generate_demo_tenant(folder)
        with Store.open(store) as opened:
            ingest_folder(opened, folder)
        marker.write_text(json.dumps(summary.counts))
    return folder, store


def main(scratch: Path) -> dict[str, float]:
    """`make bench`: the default load (50 askers, 5 streamers, 60 s, an ingest)."""
    return measure(scratch, LoadPlan())


def measure(scratch: Path, plan: LoadPlan) -> dict[str, float]:
    """Run `plan` on the demo tenant, print the report, return the headline figures."""
    folder, store = demo_snapshot(scratch)
    report = run_load(plan, store, folder, scratch)
    print("\n".join(report.lines()))
    asks, streams = report.figures(report.asks), report.figures(report.streams)
    return {
        "ask_per_second": asks.per_second,
        "ask_p50_ms": asks.p50_ms,
        "ask_p95_ms": asks.p95_ms,
        "stream_p95_ms": streams.p95_ms,
        "errors": float(len(report.errors)),
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--streamers", type=int, default=5)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--no-ingest", action="store_true")
    options = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    measure(
        OUT,
        LoadPlan(
            clients=options.clients,
            streamers=options.streamers,
            duration=options.duration,
            ingest_at=None if options.no_ingest else 1 / 3,
        ),
    )
