"""Latency of `idpilot ask` for user and group questions on the large tenant."""

from __future__ import annotations

import random
import statistics
from pathlib import Path

from idpilot.copilot.engine import Copilot
from idpilot.store import Store

TARGET_P95_MS = 300
PROMPTS_PER_SKILL = 40


def main(store_path: Path) -> dict[str, float]:
    """Ask about random users and groups; print p50 and p95 per skill."""
    figures: dict[str, float] = {}
    rng = random.Random(1)
    with Store.open(store_path, read_only=True) as store:
        copilot = Copilot(store)
        users = [r[0] for r in store.con.execute("SELECT userPrincipalName FROM users").fetchall()]
        groups = [r[0] for r in store.con.execute("SELECT displayName FROM groups").fetchall()]
        copilot.ask(f"Tell me about {users[0]}")  # warm caches once
        for skill, template, names in (
            ("user_details", "Tell me about {}", users),
            ("group_details", "Who are the members of {}?", groups),
        ):
            timings = []
            for name in rng.sample(names, min(PROMPTS_PER_SKILL, len(names))):
                answer = copilot.ask(template.format(name))
                timings.append(answer.elapsed_ms)
            p50 = statistics.median(timings)
            p95 = statistics.quantiles(timings, n=20)[-1]
            figures[f"{skill}_p50_ms"], figures[f"{skill}_p95_ms"] = p50, p95
            print(f"ask {skill}: p50 {p50:.0f} ms, p95 {p95:.0f} ms (target p95 < {TARGET_P95_MS})")
    return figures
