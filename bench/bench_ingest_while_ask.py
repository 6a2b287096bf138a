"""`ask` while a large `idpilot ingest` runs on the same store: answered, and how fast.

The store is copied, then `idpilot ingest` of the whole snapshot folder runs on the copy in its
own process while this process keeps asking questions through the path every command uses
(open the store, answer, close). Latencies are compared with the same questions asked before
the ingest started, in the same run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import idpilot
from idpilot.cli.app import open_store
from idpilot.copilot.engine import Copilot
from idpilot.errors import IdpilotError
from idpilot.store import Store

CLI = "from idpilot.cli import main; main()"
SRC = Path(idpilot.__file__).parents[1]
IDLE_ASKS = 20


def _prompts(store_path: Path) -> list[str]:
    """Questions any tenant can answer: its admins, and two of its users by sign-in name."""
    with Store.open(store_path, read_only=True) as store:
        upns = [
            row["userPrincipalName"]
            for row in store.query(
                "SELECT userPrincipalName FROM users WHERE userPrincipalName IS NOT NULL "
                "ORDER BY id LIMIT 2"
            )
        ]
    return ["who are the global admins?", *(f"Tell me about {upn}" for upn in upns)]


def _ask_once(path: Path, prompt: str) -> tuple[float, str | None]:
    """Seconds to open the store, answer and close, and the error a user would see, if any."""
    started = time.perf_counter()
    try:
        with open_store(path) as store:
            Copilot(store).ask(prompt)
    except IdpilotError as error:
        return time.perf_counter() - started, str(error)
    return time.perf_counter() - started, None


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 2 else values[0]


def main(folder: Path, scratch: Path, store_path: Path) -> dict[str, float]:
    """Measure ask latency idle and during a full re-ingest; print ratios; return figures."""
    published = scratch / "ask-while-ingest.duckdb"
    shutil.copyfile(store_path, published)
    prompts = _prompts(published)
    idle = [_ask_once(published, prompts[n % len(prompts)])[0] for n in range(IDLE_ASKS)]
    before = os.stat(published).st_ino

    env = {**os.environ, "PYTHONPATH": str(SRC)}
    command = [sys.executable, "-c", CLI, "ingest", "-q", str(folder), "--store", str(published)]
    started = time.perf_counter()
    ingest = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    during: list[float] = []
    errors: list[str] = []
    while ingest.poll() is None:
        elapsed, error = _ask_once(published, prompts[len(during) % len(prompts)])
        if ingest.poll() is not None:
            break  # this one may have straddled the swap; count only asks made during ingest
        during.append(elapsed)
        if error:
            errors.append(error)
    ingest_s = time.perf_counter() - started
    _, stderr = ingest.communicate()
    if ingest.returncode != 0:
        raise SystemExit(f"the ingest failed: {stderr.decode()[-500:]}")
    swapped = os.stat(published).st_ino != before
    published.unlink()

    answered = len(during) - len(errors)
    idle_p50, idle_p95 = statistics.median(idle), _p95(idle)
    busy_p50 = statistics.median(during) if during else float("nan")
    busy_p95 = _p95(during) if during else float("nan")
    print(
        f"ask while ingest: the ingest ran {ingest_s:.1f} s (new version published: {swapped}); "
        f"{answered}/{len(during)} asks answered during it"
        + (f" (first refusal: {errors[0]})" if errors else "")
        + f"; open+ask p50 {busy_p50 * 1000:.0f} ms, p95 {busy_p95 * 1000:.0f} ms "
        f"vs idle p50 {idle_p50 * 1000:.0f} ms, p95 {idle_p95 * 1000:.0f} ms "
        f"(x{busy_p50 / idle_p50:.2f} p50, x{busy_p95 / idle_p95:.2f} p95; 2 cores shared)"
    )
    return {
        "ingest_s": ingest_s,
        "asks_during": len(during),
        "answered": answered,
        "idle_p50_ms": idle_p50 * 1000,
        "during_p50_ms": busy_p50 * 1000,
        "p50_ratio": busy_p50 / idle_p50,
        "p95_ratio": busy_p95 / idle_p95,
    }


if __name__ == "__main__":
    from bench.tenant import OUT, ingested_store, snapshot_folder

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--days", type=int, default=30)
    options = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    snapshot = snapshot_folder(options.users, options.days)
    main(snapshot, OUT, ingested_store(snapshot))
