"""The REST API under load on loopback: many clients asking, a few streaming, and an ingest.

`idpilot serve` runs in a process of its own over a copy of a store; this process drives it
with httpx (async): `clients` clients each posting varied prompts to `/api/ask` one after the
other, `streamers` clients reading `/api/ask/stream` to the `answer` event, for `duration`
seconds. At a third of the run `idpilot ingest` of the snapshot folder writes a new version of
the served store (in its own process); the run goes on until it has finished. Every request
is timed and classified by whether an ingest was running when it started, so the figures
during the ingest are compared with those of the same run without it.
"""

from __future__ import annotations

import asyncio
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx

import idpilot
from idpilot.copilot.builtin_prompts import BUILTIN_PROMPTS
from idpilot.errors import IdpilotError
from idpilot.evaluation.cases import default_case_files, fill, load_cases
from idpilot.evaluation.runner import load_answer_key
from idpilot.evaluation.sets import CONTOSO_FRESH_FILES, contoso_fresh_cases
from idpilot.state.paths import state_path
from idpilot.state.roles import Role
from idpilot.state.tokens import issue_token
from idpilot.store import Store
from idpilot.store.app_state import open_app_state

CLI = "from idpilot.cli import main; main()"
SRC = Path(idpilot.__file__).parents[1]
START_SECONDS = 90.0
REQUEST_SECONDS = 120.0
QUOTA = 1_000_000_000
"""Units per user for the run: the load is not meant to meet the quota."""
SEED = 11
VALUES_PER_PLACEHOLDER = 8


@dataclass(frozen=True)
class LoadPlan:
    """How hard and how long to push: askers, streamers, seconds, and when the ingest starts
    (a fraction of the duration; None: no ingest)."""

    clients: int = 50
    streamers: int = 5
    duration: float = 60.0
    ingest_at: float | None = 1 / 3


@dataclass
class Sample:
    """One request: when it started (seconds into the run), how long it took, whether an
    ingest was running when it started, and what went wrong, if anything."""

    started: float
    seconds: float
    during_ingest: bool
    error: str | None = None


@dataclass
class Figures:
    """Throughput, latency quantiles and errors of a set of samples over `span` seconds."""

    requests: int
    errors: int
    per_second: float
    p50_ms: float
    p95_ms: float

    @classmethod
    def of(cls, samples: list[Sample], span: float) -> Figures:
        """The figures of `samples` taken over `span` seconds."""
        times = sorted(s.seconds * 1000 for s in samples)
        p50 = statistics.median(times) if times else float("nan")
        p95 = statistics.quantiles(times, n=20)[-1] if len(times) >= 2 else p50
        return cls(
            requests=len(samples),
            errors=sum(1 for s in samples if s.error),
            per_second=len(samples) / span if span > 0 else 0.0,
            p50_ms=p50,
            p95_ms=p95,
        )

    def line(self) -> str:
        """One line: requests, throughput, p50, p95, errors."""
        return (
            f"{self.requests} requests, {self.per_second:.1f}/s, p50 {self.p50_ms:.0f} ms, "
            f"p95 {self.p95_ms:.0f} ms, {self.errors} errors"
        )


@dataclass
class LoadReport:
    """What a load run measured, for askers and streamers, idle and during the ingest."""

    plan: LoadPlan
    elapsed: float
    asks: list[Sample] = field(default_factory=list)
    streams: list[Sample] = field(default_factory=list)
    ingest_window: tuple[float, float] | None = None
    published: bool = False
    """Whether the ingest published a new version of the served store."""

    @property
    def errors(self) -> list[str]:
        """Every error a client saw."""
        return [s.error for s in self.asks + self.streams if s.error]

    def figures(self, samples: list[Sample], during: bool | None = None) -> Figures:
        """The figures of `samples`: all, or only those started during (or outside) the
        ingest, over the time each set spans."""
        chosen = [s for s in samples if during is None or s.during_ingest == during]
        span = self.elapsed
        if during is not None and self.ingest_window is not None:
            start, end = self.ingest_window
            span = end - start if during else self.elapsed - (end - start)
        return Figures.of(chosen, span)

    def lines(self) -> list[str]:
        """The report, line by line."""
        plan = self.plan
        out = [
            f"API load: {plan.clients} clients asking and {plan.streamers} streaming for "
            f"{self.elapsed:.1f} s on loopback",
            f"  ask (all):    {self.figures(self.asks).line()}",
            f"  stream (all): {self.figures(self.streams).line()}",
        ]
        if self.ingest_window is not None:
            start, end = self.ingest_window
            idle, busy = self.figures(self.asks, False), self.figures(self.asks, True)
            out += [
                f"  ingest ran {start:.1f}-{end:.1f} s (new version published: {self.published})",
                f"  ask without ingest: {idle.line()}",
                f"  ask during ingest:  {busy.line()}",
                f"  during/without: x{busy.p50_ms / idle.p50_ms:.2f} p50, "
                f"x{busy.p95_ms / idle.p95_ms:.2f} p95",
                f"  stream during ingest: {self.figures(self.streams, True).line()}",
            ]
        if self.errors:
            out.append(f"  first error: {self.errors[0]}")
        return out


def varied_prompts(store_path: Path, answer_key_folder: Path) -> list[str]:
    """The built-in prompts filled with several of the store's users, groups, roles and error
    codes, and the demo tenant's evaluation questions (placeholders filled), shuffled."""
    prompts: list[str] = []
    with Store.open(store_path, read_only=True) as store:
        values = _placeholder_values(store)
        for builtin in BUILTIN_PROMPTS:
            for n in range(VALUES_PER_PLACEHOLDER if builtin.inputs else 1):
                text = builtin.prompt
                for name in builtin.inputs:
                    text = text.replace(f"<{name}>", values[name][n % len(values[name])])
                prompts.append(text)
        answer_key = load_answer_key(answer_key_folder / "scenarios.json")
        cases = load_cases(default_case_files())
        for name in CONTOSO_FRESH_FILES:
            cases += contoso_fresh_cases(name)
        for case in cases:
            try:
                prompts.append(fill(case.prompt, answer_key, store))
            except (IdpilotError, KeyError, IndexError):
                continue  # a placeholder this store cannot fill
    random.Random(SEED).shuffle(prompts)
    return prompts


def _placeholder_values(store: Store) -> dict[str, list[str]]:
    """A few objects for each placeholder: users who failed to sign in, large groups, roles
    held, frequent error codes."""
    limit = VALUES_PER_PLACEHOLDER
    return {
        "user": [
            str(row["upn"])
            for row in store.query(
                "SELECT userPrincipalName AS upn FROM signIns WHERE errorCode <> 0 "
                "AND userPrincipalName IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT ?",
                [limit],
            )
        ],
        "group": [
            str(row["name"])
            for row in store.query(
                "SELECT displayName AS name FROM groups ORDER BY len(members) DESC, 1 LIMIT ?",
                [limit],
            )
        ],
        "role": ["Global Administrator", "User Administrator", "Security Administrator"],
        "code": [
            str(row["code"])
            for row in store.query(
                "SELECT errorCode AS code FROM signIns WHERE errorCode <> 0 GROUP BY 1 "
                "ORDER BY count(*) DESC, 1 LIMIT ?",
                [limit],
            )
        ],
    }


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _tokens(store_path: Path, count: int) -> list[str]:
    """A reader token per client, issued in the served store's app state."""
    at = datetime.now(UTC)
    with open_app_state(state_path(store_path)) as state:
        return [issue_token(state, f"load-{n}", Role.reader, None, at).secret for n in range(count)]


def _start_server(store_path: Path, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(SRC), "IDPILOT_QUOTA_UNITS_PER_DAY": str(QUOTA)}
    command = [sys.executable, "-c", CLI, "serve", "--store", str(store_path)]
    command += ["--port", str(port), "--offline"]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _wait_until_up(url: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"idpilot serve exited with {server.returncode}")
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit("idpilot serve did not start")


class _Run:
    """The clock, the ingest's state and the samples of one run."""

    def __init__(self, url: str, prompts: list[str], plan: LoadPlan) -> None:
        self.url = url
        self.prompts = prompts
        self.plan = plan
        self.started = time.perf_counter()
        self.ingesting = False
        self.ingest_done = plan.ingest_at is None
        self.asks: list[Sample] = []
        self.streams: list[Sample] = []

    def now(self) -> float:
        return time.perf_counter() - self.started

    def going(self) -> bool:
        return self.now() < self.plan.duration or not self.ingest_done

    async def ask(self, client: httpx.AsyncClient, prompt: str) -> Sample:
        start, during = self.now(), self.ingesting
        error = None
        try:
            response = await client.post("/api/ask", json={"prompt": prompt})
            if response.status_code != 200:
                error = f"{response.status_code} {response.text[:200]}"
            elif "answer_id" not in response.json():
                error = "no Answer in the response"
        except httpx.HTTPError as failure:
            error = f"{type(failure).__name__}: {failure}"
        return Sample(start, self.now() - start, during, error)

    async def stream(self, client: httpx.AsyncClient, prompt: str) -> Sample:
        start, during = self.now(), self.ingesting
        error: str | None = "the stream ended without an answer event"
        try:
            async with client.stream("POST", "/api/ask/stream", json={"prompt": prompt}) as r:
                if r.status_code != 200:
                    error = f"{r.status_code} {(await r.aread())[:200]!r}"
                else:
                    async for line in r.aiter_lines():
                        if line == "event: answer":
                            error = None
                        elif line == "event: error":
                            error = "an error event"
        except httpx.HTTPError as failure:
            error = f"{type(failure).__name__}: {failure}"
        return Sample(start, self.now() - start, during, error)

    async def client(self, n: int, token: str, streaming: bool) -> None:
        headers = {"Authorization": f"Bearer {token}"}
        async with httpx.AsyncClient(
            base_url=self.url, headers=headers, timeout=REQUEST_SECONDS
        ) as client:
            turn = n * 7
            while self.going():
                prompt = self.prompts[turn % len(self.prompts)]
                turn += 1
                if streaming:
                    self.streams.append(await self.stream(client, prompt))
                else:
                    self.asks.append(await self.ask(client, prompt))

    async def ingest(self, store_path: Path, snapshot: Path) -> tuple[float, float, bool]:
        assert self.plan.ingest_at is not None
        await asyncio.sleep(self.plan.duration * self.plan.ingest_at)
        before = os.stat(store_path).st_ino
        env = {**os.environ, "PYTHONPATH": str(SRC)}
        command = [sys.executable, "-c", CLI, "ingest", "-q", str(snapshot)]
        command += ["--store", str(store_path)]
        start = self.now()
        self.ingesting = True
        process = await asyncio.create_subprocess_exec(
            *command, env=env, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE
        )
        _, stderr = await process.communicate()
        self.ingesting = False
        self.ingest_done = True
        end = self.now()
        if process.returncode != 0:
            raise SystemExit(f"the ingest failed: {stderr.decode()[-500:]}")
        return start, end, os.stat(store_path).st_ino != before


async def _drive(
    url: str, prompts: list[str], tokens: list[str], plan: LoadPlan, store: Path, snapshot: Path
) -> LoadReport:
    run = _Run(url, prompts, plan)
    tasks = [
        asyncio.create_task(run.client(n, tokens[n], n >= plan.clients))
        for n in range(plan.clients + plan.streamers)
    ]
    window = None
    published = False
    if plan.ingest_at is not None:
        start, end, published = await run.ingest(store, snapshot)
        window = (start, end)
    await asyncio.gather(*tasks)
    return LoadReport(
        plan=plan,
        elapsed=run.now(),
        asks=run.asks,
        streams=run.streams,
        ingest_window=window,
        published=published,
    )


@dataclass(frozen=True)
class Served:
    """A running `idpilot serve` over a copy of a store: its URL, the copy, the prompts to ask
    and a reader token per client."""

    url: str
    store: Path
    prompts: list[str]
    tokens: list[str]


@contextmanager
def serving(
    source_store: Path, scratch: Path, clients: int, prompts_from: Path, name: str = "api-load"
) -> Iterator[Served]:
    """Serve a fresh copy of `source_store` (an empty answer cache) with `idpilot serve` for
    the block, with `clients` reader tokens and the varied prompts (the evaluation questions
    filled from the answer key in `prompts_from`); stop the server after it."""
    folder = scratch / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    store = folder / "served.duckdb"
    shutil.copyfile(source_store, store)
    prompts = varied_prompts(store, prompts_from)
    tokens = _tokens(store, clients)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    server = _start_server(store, port)
    try:
        _wait_until_up(url, server)
        yield Served(url, store, prompts, tokens)
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def run_load(
    plan: LoadPlan,
    source_store: Path,
    snapshot: Path,
    scratch: Path,
    *,
    prompts_from: Path | None = None,
) -> LoadReport:
    """Serve a copy of `source_store` with `idpilot serve`, push `plan`'s load on it (and the
    ingest of `snapshot` into it), stop the server, and report. The evaluation questions are
    filled from the answer key in `prompts_from` (the snapshot's own by default)."""
    clients = plan.clients + plan.streamers
    with serving(source_store, scratch, clients, prompts_from or snapshot) as served:
        return asyncio.run(
            _drive(served.url, served.prompts, served.tokens, plan, served.store, snapshot)
        )
