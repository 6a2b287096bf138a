"""Benchmark: name lookup when 100,000 users look alike (issue #8, item 4).

Every user of a synthetic tenant shares one display name, one given name and one mail address
(as a tenant of look-alike accounts or a hostile import would); each has its own UPN. Times
`resolve_entities` and a whole offline `Copilot.ask` for prompts that name the shared name, the
shared mail, the first name, a typo of the name and one unique UPN, and prints p50 / p95 against
the 300 ms target. A same-run baseline (the same prompts on a tenant of 1,000 look-alikes)
shows how the time grows: linear growth is about x100, quadratic x10,000.

    python bench/bench_lookalikes.py [--users N] [--repeats N]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from idpilot.copilot.engine import Copilot
from idpilot.copilot.entities import resolve_entities
from idpilot.sources.ingest import ingest_folder
from idpilot.store import Store

TARGET_P95_MS = 300.0
BASELINE_USERS = 1_000
NAME = "Jordan Lee"
MAIL = "jordan.lee@lookalike.example"
PROMPTS = (
    f"Tell me about {NAME}",
    f"Who is {MAIL}?",
    "What groups is Jordan in?",
    "Why did Jordan Leee fail to sign in?",
    "Tell me about jordan.lee00042@lookalike.example",
)


def generate(folder: Path, users: int) -> None:
    """Write `users` look-alike users (one shared name, given name and mail; own UPNs)."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "users.jsonl").open("w") as out:
        for n in range(users):
            out.write(json.dumps({
                "id": str(uuid.UUID(int=n + 1, version=4)), "displayName": NAME,
                "givenName": "Jordan", "surname": "Lee", "mail": MAIL,
                "userPrincipalName": f"jordan.lee{n:05d}@lookalike.example",
                "userType": "Member", "accountEnabled": True,
            }) + "\n")  # fmt: skip
    (folder / "manifest.json").write_text(json.dumps({"capturedDateTime": "2025-01-01T00:00:00Z"}))


def _timings(function: Callable[[str], object], repeats: int) -> list[float]:
    samples = []
    for _ in range(repeats):
        for prompt in PROMPTS:
            started = time.perf_counter()
            function(prompt)
            samples.append((time.perf_counter() - started) * 1000)
    return samples


def _p50_p95(samples: list[float]) -> tuple[float, float]:
    return statistics.median(samples), statistics.quantiles(samples, n=20)[-1]


def measure(store: Store, repeats: int) -> dict[str, tuple[float, float]]:
    """p50 and p95 (ms) of entity resolution and of a whole offline answer."""
    copilot = Copilot(store)
    copilot.ask(PROMPTS[0])  # warm caches once
    return {
        "resolve_entities": _p50_p95(_timings(lambda p: resolve_entities(store, p), repeats)),
        "ask": _p50_p95(_timings(copilot.ask, repeats)),
    }


def run(report: Callable[[str], None] = print, users: int = 100_000, repeats: int = 4) -> dict:
    """Build both tenants, measure them, report the figures and their ratio."""
    figures: dict[str, dict[str, tuple[float, float]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for count in (BASELINE_USERS, users):
            folder = Path(tmp) / f"lookalikes-{count}"
            generate(folder, count)
            with Store.open(Path(tmp) / f"lookalikes-{count}.duckdb") as store:
                started = time.perf_counter()
                ingest_folder(store, folder)
                report(
                    f"{count:,} look-alike users ingested in {time.perf_counter() - started:.1f} s"
                )
                figures[str(count)] = measure(store, repeats)
    base, big = figures[str(BASELINE_USERS)], figures[str(users)]
    for name in ("resolve_entities", "ask"):
        (p50, p95), (_, base_p95) = big[name], base[name]
        verdict = "ok" if p95 < TARGET_P95_MS else "MISSED"
        report(
            f"look-alikes {name:16s} {users:,} users: p50 {p50:6.1f} ms, p95 {p95:6.1f} ms "
            f"(target p95 < {TARGET_P95_MS:.0f}) {verdict}; x{p95 / base_p95:.1f} the p95 at "
            f"{BASELINE_USERS:,} users (x{users // BASELINE_USERS} the users)"
        )
    return figures


def main() -> None:
    """Command-line entry point (also what `make bench` runs, with the defaults)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=4)
    args, _ = parser.parse_known_args()
    run(users=args.users, repeats=args.repeats)


if __name__ == "__main__":
    main()
