"""Benchmark: a cold `idpilot ask` process, start to exit (issue #9: at most 400 ms).

Runs the `idpilot` entry point in fresh interpreters against a store and prints the median and
worst wall time and the median CPU time (user + system: steadier than wall time on a busy
machine), with two baselines of the same run: an empty interpreter, and one that only imports
the libraries every answer needs (duckdb, pydantic, typer, rich, jinja2, numpy). Then splits
one cold ask into its phases (CPU time in one fresh interpreter: imports, skill registry,
intent model from the shipped index, the ask itself), beside what the intent model costs
computed from scratch (parsing the exemplar bank and embedding it, what the shipped index
saves), and lists the imports that cost most (`python -X importtime`), which is where a
slower start comes from.

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
PROMPT = "Who are the global admins?"
_ENTRY = "from idpilot.cli import main; main()"
_LIBRARIES = "import duckdb, pydantic, typer, rich.console, rich.markdown, jinja2, numpy"
SHOWN_IMPORTS = 8


_ENVIRONMENT = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _children_cpu_ms() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (usage.ru_utime + usage.ru_stime) * 1000


def _timed(arguments: list[str]) -> tuple[float, float]:
    """Wall and CPU milliseconds of one process."""
    cpu, started = _children_cpu_ms(), time.perf_counter()
    subprocess.run(arguments, capture_output=True, check=True, env=_ENVIRONMENT)
    return (time.perf_counter() - started) * 1000, _children_cpu_ms() - cpu


def _series(arguments: list[str], runs: int) -> tuple[float, float, float]:
    """Median wall, worst wall and median CPU time (ms) over `runs` processes."""
    walls, cpus = zip(*(_timed(arguments) for _ in range(runs)), strict=True)
    return statistics.median(walls), max(walls), statistics.median(cpus)


def heaviest_imports(store: Path, count: int = SHOWN_IMPORTS) -> list[tuple[float, str]]:
    """The top-level imports of a cold ask that took longest (ms, module)."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", _ENTRY, "ask", "--offline", "--store",
         str(store), PROMPT],
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
import duckdb, pydantic, typer, rich.console, rich.markdown, jinja2, numpy
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
    lap("store open")
    Copilot(store).ask(sys.argv[2]); lap("ask")
bank = classifier.parse_bank(classifier.intent_index.bank_bytes().decode("utf-8"))
lap("scratch: parse the bank")
classifier.IntentClassifier(bank, embedder); lap("scratch: embed + index the bank")
print(json.dumps({"laps": laps, "shipped_index": shipped}))
"""


def phases(store: Path) -> tuple[dict[str, float], bool]:
    """CPU milliseconds of each phase of one cold ask in a fresh interpreter, and whether the
    intent model came from the shipped index (False: stale, computed from scratch)."""
    done = subprocess.run(
        [sys.executable, "-c", _PHASES, str(store), PROMPT],
        capture_output=True, text=True, check=True, env=_ENVIRONMENT,
    )  # fmt: skip
    found = json.loads(done.stdout.strip().splitlines()[-1])
    return found["laps"], found["shipped_index"]


def run(store: Path, report=print, runs: int = 7) -> dict[str, float]:
    """Time the cold process and its baselines; report and return the figures (ms)."""
    ask = [sys.executable, "-c", _ENTRY, "ask", "--offline", "--store", str(store), PROMPT]
    _timed(ask)  # the first run also fills the OS file cache and writes .pyc files
    figures = {}
    for name, arguments in (
        ("empty interpreter", [sys.executable, "-c", "pass"]),
        ("libraries only", [sys.executable, "-c", _LIBRARIES]),
        ("idpilot --version", [sys.executable, "-c", _ENTRY, "--version"]),
        ("idpilot ask", ask),
    ):
        median, worst, cpu = _series(arguments, runs)
        figures[name], figures[f"{name} cpu"] = median, cpu
        report(f"cold {name:18s} median {median:6.0f} ms, worst {worst:6.0f} ms, cpu {cpu:6.0f} ms")
    verdict = "ok" if figures["idpilot ask"] <= TARGET_MS else "MISSED"
    report(
        f"cold idpilot ask: {figures['idpilot ask']:.0f} ms wall, {figures['idpilot ask cpu']:.0f}"
        f" ms cpu (target <= {TARGET_MS:.0f}) {verdict};"
        f" x{figures['idpilot ask cpu'] / figures['libraries only cpu']:.1f} the libraries' cpu"
    )
    laps, shipped = zip(*(phases(store) for _ in range(3)), strict=True)
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
