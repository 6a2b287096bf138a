"""Detections and the posture assessment over a large store (target: full run under 10 s).

Run as `python -m bench.bench_posture STORE` or through `make bench` (store_path given).
"""

from __future__ import annotations

import sys
import time
from datetime import timedelta
from pathlib import Path

from idpilot.model.windows import TimeWindow
from idpilot.posture import assess
from idpilot.security.detections import run_detections
from idpilot.security.workload import workload_identity_findings
from idpilot.store import Store

TARGET_SECONDS = 10.0  # issue #4: full assessment (detections + posture) under 10 s
LOOKBACK = timedelta(days=30)


def main(store_path: Path | str | None = None) -> int:
    """Time every detection, the posture load and checks, and the workload findings."""
    path = Path(store_path or sys.argv[1])
    with Store.open(path, read_only=True) as store:
        signins = store.scalar("SELECT count(*) FROM signIns")
        users = store.scalar("SELECT count(*) FROM users")
        print(f"bench_posture: {users} users, {signins} sign-ins in {path.name}")
        started = time.perf_counter()
        end = store.captured_at() + timedelta(seconds=1)
        run = run_detections(store, TimeWindow(start=end - LOOKBACK, end=end))
        for name, seconds in run.timings.items():
            print(f"  detection {name:<40} {seconds:6.2f} s")
        detections = time.perf_counter() - started
        print(f"  detections total ({len(run.findings)} findings){'':<19} {detections:6.2f} s")
        report = assess(store)
        for name, seconds in report.timings.items():
            print(f"  posture {name:<42} {seconds:6.2f} s")
        workload_started = time.perf_counter()
        workload = workload_identity_findings(store)
        workload_seconds = time.perf_counter() - workload_started
        print(f"  workload identities ({len(workload['findings'])} findings){'':<17} "
              f"{workload_seconds:6.2f} s")  # fmt: skip
        total = time.perf_counter() - started
        verdict = "ok" if total < TARGET_SECONDS else "SLOW"
        print(f"  total{'':<45} {total:6.2f} s (target < {TARGET_SECONDS:.0f} s: {verdict})")
        print(f"  posture score {report.score} ({report.grade}), {report.counts}")
    return 0 if total < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
