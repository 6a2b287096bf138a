"""The slow skills' answer time, as a ratio to an everyday question's in the same run.

`policy_draft` (a draft's impact replayed on every recorded sign-in), `ca_coverage` (every
user against every policy, the report-only counts) and `kql_write` (the query translated,
checked and run with its citation companion) were the tail of the API's latency (issue #11).
Offline `Copilot.ask`, in process: each round asks every prompt once, skills interleaved with
the baseline (role and user questions), and the median over rounds is reported as wall and CPU
milliseconds and as a ratio to the baseline's median (machines here are shared and noisy; the
ratio is what compares across runs). Each skill's first ask is also shown on its own: what a
read-only store version computes once and keeps (a draft's per-user sign-in classes, the
report-only counts, the views' schema) is paid there. The first ask of the process, which
loads the models, is left out.

`python -m bench.bench_tail_skills [--store PATH] [--rounds N]` (default: the demo tenant).
Against another checkout, for a same-run A/B: `PYTHONPATH=<checkout>/src python -m bench...`.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from idpilot.copilot.engine import Copilot
from idpilot.store import Store

DEMO_STORE = Path("demo-tenant") / "contoso.duckdb"
ROUNDS = 5
BASELINE = "baseline"
PROMPTS: dict[str, list[str]] = {
    BASELINE: [
        "list all global admins",
        "Who holds the Security Administrator role?",
        "Which users are risky right now?",
    ],
    "policy_draft": [
        "draft a CA policy that requires MFA for every guest, and keep the break glass accounts"
        " out of it",
        "Draft a Conditional Access policy that requires phishing-resistant MFA for all admin"
        " roles, but leaves our two break-glass accounts out.",
        "draft me a CA policy that blocks legacy auth for everyone except service accounts",
    ],
    "ca_coverage": [
        "Where are the gaps in our Conditional Access policies?",
        "Which report-only policies would block sign-ins?",
        "Which users are not covered by any MFA policy?",
    ],
    "kql_write": [
        "write me a KQL query that counts failed sign-ins per app over the last 7 days",
        "write me a kql query for failed sign-ins by country over the last 7 days",
        "give me a kusto query for audit events where someone was added to a directory role"
        " this month",
    ],
}


def main(store_path: Path, rounds: int = ROUNDS) -> dict[str, float]:
    """Ask every prompt `rounds` times; print each skill's median and its ratio to baseline."""
    wall: dict[str, list[float]] = {skill: [] for skill in PROMPTS}
    cpu: dict[str, list[float]] = {skill: [] for skill in PROMPTS}
    first: dict[str, tuple[float, float]] = {}
    with Store.open(store_path, read_only=True) as store:
        copilot = Copilot(store)
        copilot.ask(PROMPTS[BASELINE][0])  # loads the intent model: not part of an answer
        for _ in range(rounds):
            for position in range(max(len(p) for p in PROMPTS.values())):
                for skill, prompts in PROMPTS.items():
                    if position >= len(prompts):
                        continue
                    started, used = time.perf_counter(), time.process_time()
                    copilot.ask(prompts[position])
                    spent = (
                        1000 * (time.perf_counter() - started),
                        1000 * (time.process_time() - used),
                    )
                    if skill not in first:
                        first[skill] = spent
                        continue
                    wall[skill].append(spent[0])
                    cpu[skill].append(spent[1])
    figures: dict[str, float] = {}
    base_wall, base_cpu = statistics.median(wall[BASELINE]), statistics.median(cpu[BASELINE])
    print(f"tail skills on {store_path} ({rounds} rounds, medians; ratio to the baseline's):")
    for skill in PROMPTS:
        skill_wall, skill_cpu = statistics.median(wall[skill]), statistics.median(cpu[skill])
        figures[f"{skill}_wall_ms"], figures[f"{skill}_cpu_ms"] = skill_wall, skill_cpu
        figures[f"{skill}_wall_ratio"] = skill_wall / base_wall
        figures[f"{skill}_cpu_ratio"] = skill_cpu / base_cpu
        figures[f"{skill}_first_wall_ms"], figures[f"{skill}_first_cpu_ms"] = first[skill]
        print(
            f"  {skill:13s} wall {skill_wall:6.0f} ms (x{skill_wall / base_wall:4.1f})"
            f"  cpu {skill_cpu:6.0f} ms (x{skill_cpu / base_cpu:4.1f})"
            f"  first ask: wall {first[skill][0]:6.0f} ms, cpu {first[skill][1]:6.0f} ms"
        )
    return figures


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, default=DEMO_STORE, help="the store to ask")
    parser.add_argument("--rounds", type=int, default=ROUNDS, help="times each prompt is asked")
    return parser.parse_args()


if __name__ == "__main__":
    arguments = _arguments()
    main(arguments.store, arguments.rounds)
