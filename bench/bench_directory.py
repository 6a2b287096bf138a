"""Benchmark: membership path and audit history at 100k users, 20k groups, a year of audits.

Generates a synthetic Graph-shaped snapshot (its own fast generator, no demo needed), ingests it
with `ingest_folder`, then times many random picks and prints p50/p95. Targets: p95 < 50 ms for a
membership path (user -> group ten levels up), < 200 ms for an object's audit history.

    python bench/bench_directory.py [--users N] [--groups N] [--days N] [--audits-per-day N]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from idpilot.skills import default_registry
from idpilot.skills.builtin.membership_path import membership_paths
from idpilot.sources.ingest import ingest_folder
from idpilot.store import Store
from idpilot.store.audit import events_about

DEPTH = 10
PATH_TARGET_MS = 50.0
AUDIT_TARGET_MS = 200.0
CAPTURED = datetime(2025, 1, 1, tzinfo=UTC)
_ACTIVITIES = (
    "Update user",
    "Add member to group",
    "Remove member from group",
    "Update group",
    "Reset user password",
    "Add member to role",
    "Update conditional access policy",
)


def _id(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def generate(folder: Path, users: int, groups: int, days: int, per_day: int, seed: int = 7):
    """Write users, groups (chains DEPTH deep, users in the bottom groups) and directoryAudits."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    user_ids = [_id(rng) for _ in range(users)]
    with (folder / "users.jsonl").open("w") as out:
        for n, user_id in enumerate(user_ids):
            out.write(json.dumps({
                "id": user_id, "displayName": f"User {n:06d}",
                "userPrincipalName": f"user{n:06d}@bench.example", "userType": "Member",
                "accountEnabled": True, "department": f"Dept {n % 40}",
                "createdDateTime": "2023-01-01T00:00:00Z",
            }) + "\n")  # fmt: skip
    chains = groups // DEPTH
    group_ids = [[_id(rng) for _ in range(DEPTH)] for _ in range(chains)]  # [chain][level]
    bottom_members: dict[int, list[str]] = {c: [] for c in range(chains)}
    membership: dict[str, int] = {}
    for user_id in user_ids:
        for chain in rng.sample(range(chains), 2):
            bottom_members[chain].append(user_id)
        membership[user_id] = chain
    with (folder / "groups.jsonl").open("w") as out:
        for chain, levels in enumerate(group_ids):
            for level, group_id in enumerate(levels):
                if level + 1 < DEPTH:
                    members = [{"@odata.type": "#microsoft.graph.group", "id": levels[level + 1]}]
                else:
                    members = [{"@odata.type": "#microsoft.graph.user", "id": u}
                               for u in bottom_members[chain]]  # fmt: skip
                out.write(json.dumps({
                    "id": group_id, "displayName": f"Group {chain:05d}-{level}",
                    "securityEnabled": True, "mailEnabled": False, "groupTypes": [],
                    "members": members, "owners": [],
                }) + "\n")  # fmt: skip
    admins = user_ids[:50]
    objects = user_ids + [g for levels in group_ids for g in levels]
    start = CAPTURED - timedelta(days=days)
    with (folder / "directoryAudits.jsonl").open("w") as out:
        for n in range(days * per_day):
            when = start + timedelta(seconds=n * 86400 / per_day)
            actor = rng.choice(admins)
            target = rng.choice(objects)
            out.write(json.dumps({
                "id": f"bench_{n:08d}", "category": "UserManagement",
                "activityDisplayName": rng.choice(_ACTIVITIES), "result": "success",
                "activityDateTime": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "loggedByService": "Core Directory", "operationType": "Update",
                "initiatedBy": {"user": {"id": actor, "userPrincipalName": "admin@bench.example",
                                         "ipAddress": "192.0.2.1"}, "app": None},
                "targetResources": [{"id": target, "type": "User", "modifiedProperties": [
                    {"displayName": "Department", "oldValue": '["A"]', "newValue": '["B"]'}]}],
                "additionalDetails": [],
            }) + "\n")  # fmt: skip
    (folder / "manifest.json").write_text(json.dumps({"capturedDateTime": CAPTURED.isoformat()}))
    return user_ids, group_ids, membership, objects


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[int(len(ordered) * 0.95) - 1]


def _time(function, picks) -> list[float]:
    timings = []
    for pick in picks:
        started = time.perf_counter()
        function(pick)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def run(report=print, users=100_000, groups=20_000, days=365, per_day=1_000, picks=200) -> dict:
    """Generate, ingest, measure; report lines through `report`; return the figures."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "snapshot"
        started = time.perf_counter()
        user_ids, group_ids, membership, objects = generate(folder, users, groups, days, per_day)
        report(f"generated {users} users, {groups} groups ({DEPTH} deep), "
               f"{days * per_day} audits in {time.perf_counter() - started:.1f} s")  # fmt: skip
        store = Store.open(Path(tmp) / "bench.duckdb")
        started = time.perf_counter()
        ingest_folder(store, folder)
        report(f"ingested in {time.perf_counter() - started:.1f} s")
        rng = random.Random(11)
        registry = default_registry()
        path_picks = [(u, group_ids[membership[u]][0]) for u in rng.sample(user_ids, picks)]
        assert all(len(membership_paths(store, u, g)[0]) == DEPTH for u, g in path_picks[:5])
        figures = {}
        skill = registry.get("membership_path")
        for name, function in (
            ("membership path (query)", lambda p: membership_paths(store, *p)),
            ("membership path (skill)", lambda p: skill.run(store, {"user": p[0], "group": p[1]})),
        ):
            figures[name] = _percentiles(_time(function, path_picks))
        audit_picks = rng.sample(objects, picks)
        history = registry.get("audit_history")
        for name, function in (
            ("audit history (query)", lambda o: events_about(store, [o], limit=50)),
            ("audit history (skill)", lambda o: history.run(store, {"user": o})
             if o in membership else history.run(store, {"group": o})),
        ):  # fmt: skip
            figures[name] = _percentiles(_time(function, audit_picks))
        for name, (p50, p95) in figures.items():
            target = PATH_TARGET_MS if name.startswith("membership") else AUDIT_TARGET_MS
            verdict = "ok" if p95 < target else "MISSED"
            report(f"{name:28s} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  (target {target:.0f}) "
                   f"{verdict}")  # fmt: skip
        store.close()
        return figures


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--groups", type=int, default=20_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--audits-per-day", type=int, default=1_000)
    parser.add_argument("--picks", type=int, default=200)
    args = parser.parse_args()
    run(users=args.users, groups=args.groups, days=args.days, per_day=args.audits_per_day,
        picks=args.picks)  # fmt: skip


if __name__ == "__main__":
    main()
