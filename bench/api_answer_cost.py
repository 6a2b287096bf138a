"""What one answer costs the server, in process: the API app (no uvicorn, no network) over a copy
of the demo store, one client posting the load bench's varied prompts to `/api/ask` one after
the other with the answer cache off; CPU and wall time per answer, and the server path's share
(everything but `Copilot.ask`).

Run it against two checkouts for a same-run A/B (`PYTHONPATH=<checkout>/src`, interleaved):
`python -m bench.api_answer_cost --prompts 60 [--profile]`.
"""

from __future__ import annotations

import argparse
import cProfile
import importlib
import json
import os
import pstats
import shutil
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from bench.api_load import varied_prompts
from bench.bench_api_load import DEMO, DEMO_STORE
from idpilot.api.app import create_app
from idpilot.api.config import ServerConfig
from idpilot.copilot.engine import Copilot
from idpilot.state.roles import Role
from idpilot.state.tokens import issue_token
from idpilot.store.app_state import open_app_state


def measure(prompts: int, profile: bool, demo: Path = DEMO) -> dict[str, float]:
    """Ask `prompts` of the varied prompts through the app once each; the cost per answer."""
    os.environ["IDPILOT_ANSWER_CACHE_ENTRIES"] = "0"
    os.environ["IDPILOT_QUOTA_UNITS_PER_DAY"] = "1000000000"
    folder = Path(tempfile.mkdtemp(prefix="idpilot-answer-cost-"))
    try:
        store = Path(shutil.copyfile(demo / DEMO_STORE, folder / "served.duckdb"))
        chosen = varied_prompts(store, demo)[:prompts]
        config = ServerConfig.from_settings(store, use_model=False)
        with open_app_state(config.state) as state:
            secret = issue_token(state, "cost", Role.reader, None, datetime.now(UTC)).secret
        engine = _timed_engine()
        phases = _timed_phases()
        client = TestClient(create_app(config), headers={"Authorization": f"Bearer {secret}"})
        client.post("/api/ask", json={"prompt": chosen[0]})  # first ask: models, imports
        engine.clear()
        for spent in phases.values():
            spent.clear()
        profiler = cProfile.Profile() if profile else None
        walls, cpus = [], []
        for prompt in chosen:
            wall, cpu = time.perf_counter(), time.process_time()
            if profiler is not None:
                profiler.enable()
            response = client.post("/api/ask", json={"prompt": prompt})
            if profiler is not None:
                profiler.disable()
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
            assert response.status_code == 200, response.text[:300]
        if profiler is not None:
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
        if (tenant := getattr(config, "tenant", None)) is not None:
            tenant.close()  # the checkout keeps versions open (a checkout before it does not)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    count = len(walls)
    return {
        "answers": count,
        "cpu_ms_mean": 1000 * sum(cpus) / count,
        "wall_ms_mean": 1000 * sum(walls) / count,
        "wall_ms_p50": 1000 * statistics.median(walls),
        "wall_ms_p95": 1000 * statistics.quantiles(walls, n=20)[-1],
        "engine_ms_mean": 1000 * sum(engine) / count,
        "server_path_ms_mean": 1000 * (sum(walls) - sum(engine)) / count,
        "load_average": os.getloadavg()[0],
    } | {f"{name}_ms_mean": 1000 * sum(spent) / count for name, spent in phases.items()}


PHASES = (
    ("idpilot.api.auth", "token_caller"),
    ("idpilot.api.auth", "charge"),
    ("idpilot.api.routes.ask", "conversation"),
    ("idpilot.api.routes.ask", "settle_answer"),  # before perf-load; then in keep_answer
    ("idpilot.api.routes.ask", "keep_answer"),
)
"""Functions of the server path timed on their own (module, name)."""


def _timed(owner: Any, name: str) -> list[float]:
    """Time every call of `owner.name` (wall) into the returned list."""
    spent: list[float] = []
    function = getattr(owner, name)

    def timed(*args: object, **kwargs: object) -> object:
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            spent.append(time.perf_counter() - start)

    setattr(owner, name, timed)
    return spent


def _timed_engine() -> list[float]:
    """Time every `Copilot.ask` (wall) into the returned list."""
    return _timed(Copilot, "ask")


def _timed_phases() -> dict[str, list[float]]:
    """Time the server path's own steps (`PHASES`) and the tenant store's opening."""
    phases = {
        name: _timed(importlib.import_module(module), name)
        for module, name in PHASES
        if hasattr(importlib.import_module(module), name)  # a checkout may not have it
    }
    ask = importlib.import_module("idpilot.api.routes.ask")
    opened: list[float] = []
    original = ask.tenant_store

    @contextmanager
    def timed_store(config: ServerConfig) -> Iterator[object]:
        start = time.perf_counter()
        with original(config) as store:
            opened.append(time.perf_counter() - start)
            yield store
            start = time.perf_counter()
        opened.append(time.perf_counter() - start)

    ask.tenant_store = timed_store
    phases["tenant_store open+close"] = opened
    return phases


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--prompts", type=int, default=60)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--demo", type=Path, default=DEMO, help="`make demo`'s folder")
    options = parser.parse_args()
    print(json.dumps(measure(options.prompts, options.profile, options.demo)))
