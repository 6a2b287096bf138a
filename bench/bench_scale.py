"""Scale run (issue #12): a 100,000-user tenant with 50 million sign-ins on one machine.

Generates the tenant (`scale_tenant`: the demo generator's directory, its sign-ins multiplied
by DuckDB into `.jsonl.gz` files), ingests it with `idpilot ingest` in its own process, then
measures, each phase in its own process so that its peak memory is its own: offline `ask`
p50/p95 per skill family, the detections, the Conditional Access replay and the posture
assessment. Prints the figures, the cost per million sign-ins (ingest seconds, store and gzip
bytes) and writes them to `OUT/figures-<sign-ins>.json`.

    python -m bench.bench_scale --users 100000 --signins 50000000 --out /work/scale-data --keep

It takes hours at 50 million, so `make bench` runs it only when asked:
`make bench BENCH_SCALE=1` (50 million) or `BENCH_SCALE=<sign-ins>`.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from bench.scale_tenant import generate_scale_tenant

USERS = 100_000
SIGN_INS = 50_000_000
OUT = Path(__file__).parent / "out" / "scale"
PEAK_TARGET_BYTES = 16 << 30  # issue #12: peak memory under 16 GiB
PROMPTS_PER_FAMILY = 10
FIGURES_MARK = "SCALE-FIGURES "
GNU_TIME = "/usr/bin/time"  # GNU time (Debian package `time`)
REPO = Path(__file__).resolve().parent.parent
PHASES = ("ask", "detections", "replay", "posture")
LOOKBACK = timedelta(days=30)
# Each skill family's prompts: `{upn}` and `{name}` are filled with people (for troubleshooting,
# people with failed sign-ins), `{role}` with role names; the others are asked as they are.
FAMILIES: dict[str, list[str]] = {
    "signin_troubleshoot": ["Why can't {upn} sign in?", "{name} can't log in, what's wrong?"],
    "user_details": ["Tell me about {upn}"],
    "role_holders": ["Who holds the {role} role?"],
    "risky_users": [
        "Which users are at risk?",
        "Show me the high risk users",
        "Who is at risk right now?",
        "Give me the risky users report",
    ],
    "audit_history": [
        "Show the audit history of {upn}",
        "What changed for {name} in the last 30 days?",
    ],
    "ca_coverage": [
        "Where are the gaps in our Conditional Access policies?",
        "Which report-only policies would block sign-ins?",
        "Which users are not covered by any MFA policy?",
    ],
    "signin_summary": [
        "how many sign-ins failed yesterday?",
        "what are the top errors in the last 7 days?",
        "what's our sign-in failure rate this week?",
    ],
}


def run_measured(argv: list[str]) -> tuple[float, float, int, str]:
    """Run `argv` at lower priority; its wall and CPU seconds, peak RSS in bytes and output.

    GNU time measures it: a child's peak RSS counts the memory of the process it was forked
    from (Linux keeps the high-water mark across exec), and this process may hold gigabytes
    from generating the tenant, while `time` holds next to nothing.
    """
    paths = [str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
    with tempfile.NamedTemporaryFile("r", suffix=".time") as measured:
        timed = [GNU_TIME, "-f", "%e %U %S %M", "-o", measured.name, "nice", "-n", "10"]
        process = subprocess.run([*timed, *argv], stdout=subprocess.PIPE, text=True, env=env)
        if process.returncode:
            sys.stdout.write(process.stdout)
            raise RuntimeError(f"{argv[:6]} exited with {process.returncode}")
        wall, user, system, peak_kb = measured.read().split()[-4:]
    return float(wall), float(user) + float(system), int(peak_kb) * 1024, process.stdout


def ingest(folder: Path, store: Path) -> dict[str, float]:
    """`idpilot ingest` of the folder into a new store, in its own process."""
    store.unlink(missing_ok=True)
    command = "from idpilot.cli import main; main()"
    argv = [sys.executable, "-c", command, "ingest", str(folder), "--store", str(store), "-q"]
    seconds, cpu, peak, output = run_measured(argv)
    print(output)
    size = store.stat().st_size
    return {
        "ingest_s": seconds,
        "ingest_cpu_s": cpu,
        "ingest_peak_bytes": peak,
        "store_bytes": size,
    }


def phase(name: str, store: Path) -> dict[str, Any]:
    """Run one measuring phase in its own process; its figures and peak memory."""
    argv = [sys.executable, "-m", "bench.bench_scale", "--phase", name, "--store", str(store)]
    seconds, cpu, peak, output = run_measured(argv)
    lines = [line for line in output.splitlines() if not line.startswith(FIGURES_MARK)]
    print("\n".join(lines))
    marked = [line for line in output.splitlines() if line.startswith(FIGURES_MARK)]
    figures = json.loads(marked[-1].removeprefix(FIGURES_MARK))
    return {
        **figures,
        f"{name}_process_s": seconds,
        f"{name}_process_cpu_s": cpu,
        f"{name}_peak_bytes": peak,
    }


def _p95(timings: list[float]) -> float:
    return statistics.quantiles(timings, n=20)[-1] if len(timings) > 1 else timings[0]


def measure_ask(store_path: Path) -> dict[str, Any]:
    """Offline `Copilot.ask` in process, per skill family: the first ask apart, then p50/p95."""
    from idpilot.copilot.engine import Copilot
    from idpilot.store import Store

    rng = random.Random(1)
    figures: dict[str, Any] = {}
    with Store.open(store_path, read_only=True) as store:
        people = store.con.execute(
            "SELECT userPrincipalName, displayName FROM users USING SAMPLE 200 ROWS (reservoir, 1)"
        ).fetchall()
        failing = store.con.execute(
            "SELECT userPrincipalName, any_value(userDisplayName) FROM "
            "(SELECT userPrincipalName, userDisplayName FROM signIns WHERE errorCode <> 0 "
            "LIMIT 20000) GROUP BY userPrincipalName ORDER BY hash(userPrincipalName) LIMIT 200"
        ).fetchall()
        roles = [
            r[0] for r in store.con.execute("SELECT displayName FROM roleDefinitions").fetchall()
        ]
        copilot = Copilot(store)
        started = time.perf_counter()
        copilot.ask(f"Tell me about {people[0][0]}")  # loads the intent model
        figures["first_ask_ms"] = (time.perf_counter() - started) * 1000
        everything: list[float] = []
        all_cpu: list[float] = []
        for family, templates in FAMILIES.items():
            pool = failing if family == "signin_troubleshoot" else people
            timings, cpu, off = [], [], 0
            for number in range(PROMPTS_PER_FAMILY + 1):
                upn, name = rng.choice(pool)
                prompt = templates[number % len(templates)].format(
                    upn=upn, name=name, role=rng.choice(roles)
                )
                cpu_started = time.process_time()
                answer = copilot.ask(prompt)
                cpu_ms = (time.process_time() - cpu_started) * 1000
                off += family not in [call.name for call in answer.skills]
                if number == 0:
                    figures[f"{family}_first_ms"] = answer.elapsed_ms
                else:
                    timings.append(answer.elapsed_ms)
                    cpu.append(cpu_ms)
            figures[f"{family}_p50_ms"] = statistics.median(timings)
            figures[f"{family}_p95_ms"] = _p95(timings)
            figures[f"{family}_cpu_p50_ms"] = statistics.median(cpu)
            figures[f"{family}_cpu_p95_ms"] = _p95(cpu)
            figures[f"{family}_other_skill"] = off
            everything += timings
            all_cpu += cpu
            print(
                f"ask {family:20} first {figures[f'{family}_first_ms']:6.0f} ms, "
                f"p50 {figures[f'{family}_p50_ms']:6.0f} ms, p95 {figures[f'{family}_p95_ms']:6.0f}"
                f" ms (cpu p50 {figures[f'{family}_cpu_p50_ms']:.0f}, p95 "
                f"{figures[f'{family}_cpu_p95_ms']:.0f}; {off} of {PROMPTS_PER_FAMILY + 1} "
                "answered by another skill)"
            )
        figures["ask_p95_ms"] = _p95(everything)
        figures["ask_cpu_p95_ms"] = _p95(all_cpu)
    return figures


def measure_detections(store_path: Path) -> dict[str, Any]:
    """Every detection over the last 30 days."""
    from idpilot.model.windows import TimeWindow
    from idpilot.security.detections import run_detections
    from idpilot.store import Store

    with Store.open(store_path, read_only=True) as store:
        started = time.perf_counter()
        end = store.captured_at() + timedelta(seconds=1)
        run = run_detections(store, TimeWindow(start=end - LOOKBACK, end=end))
        seconds = time.perf_counter() - started
    for name, took in run.timings.items():
        print(f"  detection {name:<40} {took:7.2f} s")
    print(f"  detections total ({len(run.findings)} findings) {seconds:.2f} s")
    return {"detections_s": seconds, "detection_findings": len(run.findings)}


def measure_replay(store_path: Path) -> dict[str, Any]:
    """The whole Conditional Access replay (bench_replay's measurement)."""
    from bench.bench_replay import main as bench_replay

    numbers = bench_replay(store_path)
    return {f"replay_{key}": value for key, value in numbers.items()}


def measure_posture(store_path: Path) -> dict[str, Any]:
    """The posture assessment and the workload identity findings."""
    from idpilot.posture import assess
    from idpilot.security.workload import workload_identity_findings
    from idpilot.store import Store

    with Store.open(store_path, read_only=True) as store:
        started = time.perf_counter()
        report = assess(store)
        posture = time.perf_counter() - started
        workload_identity_findings(store)
        workload = time.perf_counter() - started - posture
    print(f"  posture {posture:.2f} s (score {report.score}), workload {workload:.2f} s")
    return {"posture_s": posture, "workload_s": workload}


MEASURES = {
    "ask": measure_ask,
    "detections": measure_detections,
    "replay": measure_replay,
    "posture": measure_posture,
}


def run(
    users: int, sign_ins: int, out: Path, *, keep: bool = False, resume: bool = False
) -> dict[str, Any]:
    """Generate, ingest and measure; print and save the figures (after each step: with
    `resume`, a store already ingested by an interrupted run is measured, not rebuilt)."""
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    tenant = generate_scale_tenant(out, users, sign_ins)
    print(
        f"scale tenant: {users:,} users, {sign_ins:,} sign-ins from {tenant.templates:,} "
        f"templates; directory {tenant.directory_seconds:.0f} s, sign-ins "
        f"{tenant.sign_in_seconds:.0f} s, {tenant.gzip_bytes / 1e9:.2f} GB gzip "
        f"(generated in {time.perf_counter() - started:.0f} s this run)"
    )
    store = out / f"scale-{sign_ins}.duckdb"
    figures: dict[str, Any] = {
        "users": users,
        "sign_ins": sign_ins,
        "templates": tenant.templates,
        "generate_sign_ins_s": tenant.sign_in_seconds,
        "gzip_bytes": tenant.gzip_bytes,
        "load_average": os.getloadavg(),
        "started": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }
    saved = out / f"figures-{sign_ins}.json"
    done = json.loads(saved.read_text()) if resume and saved.exists() and store.exists() else {}
    if "ingest_s" in done:
        figures |= {k: v for k, v in done.items() if k.startswith(("ingest_", "store_"))}
    else:
        figures |= ingest(tenant.folder, store)
        saved.write_text(json.dumps(figures, indent=2))
    for name in PHASES:
        figures |= phase(name, store)
        saved.write_text(json.dumps(figures, indent=2))
    millions = sign_ins / 1e6
    figures["ingest_s_per_million"] = figures["ingest_s"] / millions
    figures["ingest_cpu_s_per_million"] = figures["ingest_cpu_s"] / millions
    figures["store_bytes_per_million"] = figures["store_bytes"] / millions
    figures["gzip_bytes_per_million"] = figures["gzip_bytes"] / millions
    peaks = {k: v for k, v in figures.items() if k.endswith("_peak_bytes")}
    figures["peak_bytes"] = max(peaks.values())
    saved.write_text(json.dumps(figures, indent=2))
    _print_summary(figures, peaks)
    if not keep:
        shutil.rmtree(tenant.folder.parent / "templates", ignore_errors=True)
        shutil.rmtree(tenant.folder, ignore_errors=True)
        store.unlink(missing_ok=True)
    return figures


def _print_summary(figures: dict[str, Any], peaks: dict[str, int]) -> None:
    millions = figures["sign_ins"] / 1e6
    print(
        f"scale: {figures['users']:,} users, {figures['sign_ins']:,} sign-ins: ingest "
        f"{figures['ingest_s']:.0f} s, cpu {figures['ingest_cpu_s']:.0f} s "
        f"({figures['ingest_s_per_million']:.1f} s per million), "
        f"store {figures['store_bytes'] / 1e9:.2f} GB "
        f"({figures['store_bytes_per_million'] / 1e6:.0f} MB per million), gzip "
        f"{figures['gzip_bytes'] / 1e9 / millions:.2f} GB per million"
    )
    for name, peak in peaks.items():
        print(f"  peak memory {name.removesuffix('_peak_bytes'):12} {peak / 2**30:6.2f} GiB")
    verdict = "ok" if figures["peak_bytes"] < PEAK_TARGET_BYTES else "MISSED"
    print(f"  highest peak {figures['peak_bytes'] / 2**30:.2f} GiB (target < 16 GiB): {verdict}")


def main() -> dict[str, Any] | None:
    """`make bench`: the scale run only when BENCH_SCALE is set (1: 50 million sign-ins, or a
    number of sign-ins), since it takes hours."""
    asked = os.environ.get("BENCH_SCALE", "")
    if not asked:
        print("bench_scale: skipped (make bench BENCH_SCALE=1 runs it, for hours)")
        return None
    sign_ins = SIGN_INS if asked == "1" else int(asked)
    return run(USERS, sign_ins, OUT)


def _cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=USERS)
    parser.add_argument("--signins", type=int, default=SIGN_INS)
    parser.add_argument("--out", type=Path, default=OUT, help="where data and figures go")
    parser.add_argument("--keep", action="store_true", help="keep the generated data and store")
    parser.add_argument(
        "--resume", action="store_true", help="measure the store an interrupted run ingested"
    )
    parser.add_argument("--phase", choices=PHASES, help=argparse.SUPPRESS)
    parser.add_argument("--store", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.phase:  # a measuring phase's own process (see `phase`)
        figures = MEASURES[args.phase](args.store)
        print(FIGURES_MARK + json.dumps(figures))
        return 0
    run(args.users, args.signins, args.out, keep=args.keep, resume=args.resume)
    return 0


if __name__ == "__main__":
    sys.exit(_cli(sys.argv[1:]))
