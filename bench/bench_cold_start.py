"""Benchmark: a cold `idpilot ask` process, start to exit (issue #9: at most 400 ms).

Runs the `idpilot` entry point in fresh interpreters against a store, for a few prompts (a
named user's failed sign-in, the risky users, the holders of a role), and prints for each the
median wall and CPU time (user + system: steadier than wall time on a busy machine) over N
runs, as milliseconds and as ratios to baselines measured in the same run, interleaved with the
asks: an empty interpreter (`python -c pass`), `idpilot --version`, and an interpreter that only
imports the libraries every answer needs (duckdb, pydantic, typer, rich, jinja2, numpy,
tokenizers). Then splits one cold ask into its phases (CPU time in one fresh interpreter set up
as the entry point sets it up) beside what the intent model would cost computed from scratch,
and lists the imports that cost most (`python -X importtime`).

Bytecode is allowed (PYTHONDONTWRITEBYTECODE is removed for the runs), as in an installed
package: compiling every module from source on each start is not what a user's process does.

    python bench/bench_cold_start.py [--store PATH] [--runs N]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_MS = 400.0
ROLE_PROMPT = "Who are the global admins?"
RISK_PROMPT = "Which users are risky?"
_ENTRY = "from idpilot.cli import main; main()"
_LIBRARIES = (
    "import duckdb, pydantic, typer, rich.console, rich.markdown, jinja2, numpy, tokenizers"
)
SHOWN_IMPORTS = 8
BASELINES = ("empty interpreter", "idpilot --version", "libraries only")

_ENVIRONMENT = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _children_cpu_ms() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (usage.ru_utime + usage.ru_stime) * 1000


def _timed(arguments: list[str]) -> tuple[float, float]:
    """Wall and CPU milliseconds of one process."""
    cpu, started = _children_cpu_ms(), time.perf_counter()
    subprocess.run(arguments, capture_output=True, check=True, env=_ENVIRONMENT)
    return (time.perf_counter() - started) * 1000, _children_cpu_ms() - cpu


def failing_user_prompt(store: Path) -> str:
    """A sign-in failure question about a user whose display name is the tenant's only one
    (a name several users share is answered by asking which was meant)."""
    from idpilot.store import Store

    with Store.open(store, read_only=True) as opened:
        name = opened.scalar(
            "SELECT u.displayName FROM users u JOIN signIns s ON s.userId = u.id "
            "WHERE s.errorCode <> 0 AND u.displayName IN (SELECT displayName FROM users "
            "GROUP BY displayName HAVING count(*) = 1) GROUP BY u.displayName "
            "ORDER BY count(*) DESC, u.displayName LIMIT 1"
        )
    return f"Why did {name} fail to sign in?" if name else "Why did Bob fail to sign in?"


def _ask(store: Path, prompt: str) -> list[str]:
    return [sys.executable, "-c", _ENTRY, "ask", "--offline", "--store", str(store), prompt]


def heaviest_imports(store: Path, count: int = SHOWN_IMPORTS) -> list[tuple[float, str]]:
    """The top-level imports of a cold ask that took longest (ms, module)."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", *_ask(store, ROLE_PROMPT)[1:]],
        capture_output=True, text=True, check=True, env=_ENVIRONMENT,
    )  # fmt: skip
    costs = []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        _, cumulative, name = line.split("|")
        if not name.startswith("  ") and cumulative.strip().isdigit():
            costs.append((int(cumulative) / 1000, name.strip()))
    return sorted(costs, reverse=True)[:count]


_PHASES = """
import json, sys, time
laps, last = {}, time.process_time()
def lap(name):
    global last
    now = time.process_time(); laps[name] = (now - last) * 1000; last = now
from idpilot.cli._startup import pause_collector_while_loading, single_blas_thread
single_blas_thread(); pause_collector_while_loading()
lap("command line (typer, rich console)")
import duckdb, pydantic, jinja2, numpy
lap("libraries")
import idpilot.cli.ask, idpilot.copilot.engine
lap("idpilot imports")
from idpilot.skills import default_registry
default_registry(); lap("skill registry")
from idpilot.copilot.understanding import classifier
shipped = classifier._shipped_index() is not None
lap("intent index read")
from idpilot.copilot.understanding.embedding import default_embedder
embedder = default_embedder(); lap("tokenizer + token table")
classifier.classifier_for().scores("who are the global admins?"); lap("intent model ready")
from idpilot.copilot.engine import Copilot
from idpilot.store import Store
with Store.open(sys.argv[1], read_only=True) as store:
    store.require_records(); lap("store open")
    answer = Copilot(store).ask(sys.argv[2]); lap("ask")
from idpilot.cli.ask import print_answer
from rich.console import Console
import io
idpilot.cli.ask.console = Console(file=io.StringIO(), width=80)
print_answer(answer); lap("render (rich markdown)")
bank = classifier.parse_bank(classifier.intent_index.bank_bytes().decode("utf-8"))
lap("scratch: parse the bank")
classifier.IntentClassifier(bank, embedder); lap("scratch: embed + index the bank")
print(json.dumps({"laps": laps, "shipped_index": shipped}))
"""


def phases(store: Path, prompt: str) -> tuple[dict[str, float], bool]:
    """CPU milliseconds of each phase of one cold ask in a fresh interpreter, and whether the
    intent model came from the shipped index (False: stale, computed from scratch)."""
    done = subprocess.run(
        [sys.executable, "-c", _PHASES, str(store), prompt],
        capture_output=True, text=True, check=True, env=_ENVIRONMENT,
    )  # fmt: skip
    found = json.loads(done.stdout.strip().splitlines()[-1])
    return found["laps"], found["shipped_index"]


def run(store: Path, report=print, runs: int = 7) -> dict[str, float]:
    """Time the cold asks and their baselines; report and return the figures (ms)."""
    series = {
        "empty interpreter": [sys.executable, "-c", "pass"],
        "idpilot --version": [sys.executable, "-c", _ENTRY, "--version"],
        "libraries only": [sys.executable, "-c", _LIBRARIES],
    }
    for prompt in (failing_user_prompt(store), RISK_PROMPT, ROLE_PROMPT):
        series[f"ask {prompt!r}"] = _ask(store, prompt)
    for arguments in series.values():  # fill the OS file cache and write .pyc files
        _timed(arguments)
    walls: dict[str, list[float]] = {name: [] for name in series}
    cpus: dict[str, list[float]] = {name: [] for name in series}
    for _ in range(runs):  # interleaved: a load change hits every series alike
        for name, arguments in series.items():
            wall, cpu = _timed(arguments)
            walls[name].append(wall)
            cpus[name].append(cpu)
    figures = {}
    for name in series:
        figures[name], figures[f"{name} cpu"] = (
            statistics.median(walls[name]),
            statistics.median(cpus[name]),
        )
        report(
            f"cold {name:50s} median {figures[name]:6.0f} ms wall (worst"
            f" {max(walls[name]):6.0f}), {figures[f'{name} cpu']:6.0f} ms cpu"
        )
    for name in series:
        if name in BASELINES:
            continue
        ratios = ", ".join(
            f"x{figures[f'{name} cpu'] / max(figures[f'{base} cpu'], 1.0):.1f} {base}"
            for base in BASELINES
        )
        verdict = "ok" if figures[name] <= TARGET_MS else "MISSED"
        report(
            f"{name}: {figures[name]:.0f} ms wall, {figures[f'{name} cpu']:.0f} ms cpu (target"
            f" <= {TARGET_MS:.0f} ms) {verdict}; cpu {ratios}"
        )
    laps, shipped = zip(*(phases(store, ROLE_PROMPT) for _ in range(3)), strict=True)
    if not all(shipped):
        report("  the shipped intent index is stale: the intent model was computed from scratch")
    for name in laps[0]:
        figures[f"phase {name}"] = statistics.median(lap[name] for lap in laps)
        report(f"  phase {name:32s} {figures[f'phase {name}']:6.0f} ms cpu")
    for cost, module in heaviest_imports(store):
        report(f"  import {module:40s} {cost:6.0f} ms")
    return figures


def _demo_store(folder: Path) -> Path:
    from idpilot.sources.demo import generate_demo_tenant
    from idpilot.sources.ingest import ingest_folder
    from idpilot.store import Store

    generate_demo_tenant(folder / "snapshot", seed=42, users=300, days=3)
    path = folder / "demo.duckdb"
    with Store.open(path) as store:
        ingest_folder(store, folder / "snapshot")
    return path


def main(store_path: Path | None = None) -> None:
    """Command-line entry point; `make bench` passes its large tenant's store."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, default=store_path)
    parser.add_argument("--runs", type=int, default=7)
    args, _ = parser.parse_known_args()
    if args.store is not None:
        run(args.store, runs=args.runs)
        return
    with tempfile.TemporaryDirectory() as tmp:
        run(_demo_store(Path(tmp)), runs=args.runs)


if __name__ == "__main__":
    main()
