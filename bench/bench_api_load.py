"""`make bench`: the REST API on a real uvicorn over a copy of the demo store.

Closed loop (the server saturated): 50 clients asking varied prompts back to back and 5
streaming for 60 s, with `idpilot ingest` of the demo snapshot into the served store during the
run; throughput, p50/p95 and errors, during the ingest vs without. Open loop (a team of admins,
`api_open_loop`): questions arriving at a set rate (Poisson) from 30 admins, at each rate of a
ladder, then at the team rate with an ingest; p50/p95 and errors per rate, and the highest rate
whose p95 is under 1 s.

On its own: `python -m bench.bench_api_load [--clients N --streamers N --duration S]
[--rates 1,2,3 --open-duration S --team-rate R] [--no-ingest] [--no-closed] [--no-open]`.
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

from bench.api_load import LoadPlan, run_load
from bench.api_open_loop import OpenLoopPlan, run_open_loop
from bench.tenant import OUT
from idpilot.sources.demo import generate_demo_tenant
from idpilot.sources.ingest import ingest_folder
from idpilot.store import Store

DEMO = Path("demo-tenant")
"""`make demo`'s snapshot and store, used when present (relative to the checkout)."""
DEMO_STORE = "contoso.duckdb"
TEAM_RATE = 3.0
"""Asks per second of a busy team (bench/README.md): 30 admins each asking every ~10 s."""
RATES = (0.5, 1.0, 2.0, 3.0, 4.0)
"""The open-loop ladder, asks per second."""
OPEN_SECONDS = 40.0
TARGET_P95_MS = 1000.0


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
    """`make bench`: the closed-loop load (50 askers, 5 streamers, 60 s, an ingest), then the
    open-loop ladder and the team rate with an ingest."""
    figures = measure(scratch, LoadPlan())
    figures |= measure_open(scratch, RATES, OPEN_SECONDS, TEAM_RATE, with_ingest=True)
    return figures


def measure(scratch: Path, plan: LoadPlan) -> dict[str, float]:
    """Run `plan` on the demo tenant, print the report, return the headline figures."""
    folder, store = demo_snapshot(scratch)
    report = run_load(plan, store, folder, scratch)
    print("\n".join(report.lines()), flush=True)
    asks, streams = report.figures(report.asks), report.figures(report.streams)
    return {
        "ask_per_second": asks.per_second,
        "ask_p50_ms": asks.p50_ms,
        "ask_p95_ms": asks.p95_ms,
        "stream_p95_ms": streams.p95_ms,
        "errors": float(len(report.errors)),
    }


def measure_open(
    scratch: Path, rates: tuple[float, ...], seconds: float, team_rate: float, with_ingest: bool
) -> dict[str, float]:
    """Each rate of the ladder without an ingest (a fresh server each), then `team_rate` with
    one; print the reports and the highest rate whose p95 was under the target."""
    folder, store = demo_snapshot(scratch)
    figures: dict[str, float] = {}
    met = 0.0
    for rate in rates:
        report = run_open_loop(OpenLoopPlan(rate=rate, duration=seconds), store, folder, scratch)
        print("\n".join(report.lines()), flush=True)
        all_requests = report.figures()
        figures[f"open_{rate:g}_p95_ms"] = all_requests.p95_ms
        figures[f"open_{rate:g}_errors"] = float(len(report.errors))
        if all_requests.p95_ms < TARGET_P95_MS and not report.errors:
            met = max(met, rate)
    print(f"highest rate with p95 < {TARGET_P95_MS:g} ms and no error: {met:g} asks/s", flush=True)
    figures["open_highest_rate_under_target"] = met
    if with_ingest:
        plan = OpenLoopPlan(rate=team_rate, duration=seconds, ingest_at=1 / 4)
        report = run_open_loop(plan, store, folder, scratch)
        print("\n".join(report.lines()), flush=True)
        figures["open_team_ingest_p95_ms"] = report.figures().p95_ms
        figures["open_team_ingest_errors"] = float(len(report.errors))
    return figures


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--streamers", type=int, default=5)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--no-ingest", action="store_true")
    parser.add_argument("--no-closed", action="store_true", help="skip the closed-loop run")
    parser.add_argument("--no-open", action="store_true", help="skip the open-loop runs")
    parser.add_argument("--rates", default=",".join(f"{r:g}" for r in RATES))
    parser.add_argument("--open-duration", type=float, default=OPEN_SECONDS)
    parser.add_argument("--team-rate", type=float, default=TEAM_RATE)
    options = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    if not options.no_closed:
        measure(
            OUT,
            LoadPlan(
                clients=options.clients,
                streamers=options.streamers,
                duration=options.duration,
                ingest_at=None if options.no_ingest else 1 / 3,
            ),
        )
    if not options.no_open:
        measure_open(
            OUT,
            tuple(float(rate) for rate in options.rates.split(",") if rate),
            options.open_duration,
            options.team_rate,
            with_ingest=not options.no_ingest,
        )
