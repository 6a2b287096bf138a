"""An open-loop load on the REST API: a team of admins whose questions arrive at a set rate.

Closed-loop clients (`api_load`) ask again as soon as they are answered, so they measure the
server saturated: latency is clients / throughput. A team of admins does not wait for each
other: their questions arrive at random moments whether or not the server is busy. Here
questions arrive as a Poisson process at `rate` asks per second, each from one of `admins`
admins (a reader token each), each its own request started on time (never held back by a
slow answer); a share of them read `/api/ask/stream` as the page does. Every prompt is the
next of the shuffled varied prompts, so within a run none repeats and the answer cache does
not flatter the figures. Optionally `idpilot ingest` publishes a new version of the served
store during the run, as in the closed-loop run.
"""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bench.api_load import REQUEST_SECONDS, Figures, Sample, _Run, serving

SEED = 11
KEEPALIVE_SECONDS = 2.0
"""How long an admin's idle connection is reused: shorter than uvicorn's keep-alive (5 s), or
the server may close it just as a request is sent on it (httpx's default is also 5 s: a
ReadError that says nothing of the server)."""


@dataclass(frozen=True)
class OpenLoopPlan:
    """Asks per second (Poisson arrivals), for how long, from how many admins, the share
    streamed, and when an ingest starts (a fraction of the duration; None: none)."""

    rate: float
    duration: float = 45.0
    admins: int = 30
    stream_share: float = 0.1
    ingest_at: float | None = None


@dataclass
class OpenLoopReport:
    """What an open-loop run measured: every request, by kind and by ingest."""

    plan: OpenLoopPlan
    elapsed: float
    asks: list[Sample] = field(default_factory=list)
    streams: list[Sample] = field(default_factory=list)
    ingest_window: tuple[float, float] | None = None
    published: bool = False
    slowest: list[tuple[float, str]] = field(default_factory=list)
    """The slowest requests: (seconds, prompt), slowest first."""
    arrivals_span: float = 0.0
    """Seconds during which questions arrived (the duration, or until the ingest ended)."""

    @property
    def errors(self) -> list[str]:
        """Every error a client saw."""
        return [s.error for s in self.asks + self.streams if s.error]

    def figures(self, during: bool | None = None) -> Figures:
        """Figures of every request (asks and streams to their answer), all or only those
        started during (or outside) the ingest; throughput over the arrivals' span."""
        chosen = [
            s for s in self.asks + self.streams if during is None or s.during_ingest == during
        ]
        return Figures.of(chosen, self.arrivals_span)

    def lines(self) -> list[str]:
        """The report, line by line."""
        plan = self.plan
        out = [
            f"API open loop: {plan.rate:g} asks/s (Poisson) from {plan.admins} admins, "
            f"{plan.stream_share:.0%} streamed, arrivals for {self.arrivals_span:.1f} s "
            f"(all answered at {self.elapsed:.1f} s)",
            f"  all:     {self.figures().line()}",
            f"  ask:     {Figures.of(self.asks, self.arrivals_span).line()}",
            f"  stream:  {Figures.of(self.streams, self.arrivals_span).line()}",
        ]
        if self.ingest_window is not None:
            start, end = self.ingest_window
            out += [
                f"  ingest ran {start:.1f}-{end:.1f} s (new version published: {self.published})",
                f"  without ingest: {self.figures(False).line()}",
                f"  during ingest:  {self.figures(True).line()}",
            ]
        out += [
            f"  slow: {seconds * 1000:.0f} ms {prompt[:70]!r}" for seconds, prompt in self.slowest
        ]
        if self.errors:
            out.append(f"  first error: {self.errors[0]}")
        return out


class _OpenRun(_Run):
    """Arrivals on a clock instead of clients waiting for their answers."""

    def __init__(self, url: str, prompts: list[str], plan: OpenLoopPlan) -> None:
        super().__init__(url, prompts, plan)  # type: ignore[arg-type]
        self.timed: list[tuple[float, str]] = []
        self.arrivals_span = 0.0

    async def arrivals(self, clients: list[httpx.AsyncClient]) -> None:
        """Start one request per arrival until the duration has passed (and any ingest has
        ended), then wait for every request to be answered."""
        plan: OpenLoopPlan = self.plan  # type: ignore[assignment]
        chance = random.Random(SEED)
        started: list[asyncio.Task[None]] = []
        due = 0.0
        turn = 0
        while self.going():
            due += chance.expovariate(plan.rate)
            if (wait := due - self.now()) > 0:
                await asyncio.sleep(wait)
            prompt = self.prompts[turn % len(self.prompts)]
            client = clients[chance.randrange(len(clients))]
            streamed = chance.random() < plan.stream_share
            started.append(asyncio.create_task(self._one(client, prompt, streamed)))
            turn += 1
        self.arrivals_span = self.now()
        await asyncio.gather(*started)

    async def _one(self, client: httpx.AsyncClient, prompt: str, streamed: bool) -> None:
        if streamed:
            sample = await self.stream(client, prompt)
            self.streams.append(sample)
        else:
            sample = await self.ask(client, prompt)
            self.asks.append(sample)
        self.timed.append((sample.seconds, prompt))


async def _drive(
    served_url: str, prompts: list[str], tokens: list[str], plan: OpenLoopPlan, store: Path,
    snapshot: Path,
) -> OpenLoopReport:  # fmt: skip
    run = _OpenRun(served_url, prompts, plan)
    limits = httpx.Limits(
        max_connections=None, max_keepalive_connections=None, keepalive_expiry=KEEPALIVE_SECONDS
    )
    clients = [
        httpx.AsyncClient(
            base_url=served_url,
            headers={"Authorization": f"Bearer {token}"},
            timeout=REQUEST_SECONDS,
            limits=limits,
        )
        for token in tokens
    ]
    try:
        arriving = asyncio.create_task(run.arrivals(clients))
        window, published = None, False
        if plan.ingest_at is not None:
            start, end, published = await run.ingest(store, snapshot)
            window = (start, end)
        await arriving
    finally:
        for client in clients:
            await client.aclose()
    return OpenLoopReport(
        plan=plan,
        elapsed=run.now(),
        asks=run.asks,
        streams=run.streams,
        ingest_window=window,
        published=published,
        slowest=sorted(run.timed, reverse=True)[:5],
        arrivals_span=run.arrivals_span,
    )


def run_open_loop(
    plan: OpenLoopPlan,
    source_store: Path,
    snapshot: Path,
    scratch: Path,
    *,
    prompts_from: Path | None = None,
) -> OpenLoopReport:
    """Serve a fresh copy of `source_store`, let `plan`'s questions arrive (and the ingest of
    `snapshot` run, if planned), stop the server, and report."""
    with serving(source_store, scratch, plan.admins, prompts_from or snapshot) as served:
        return asyncio.run(
            _drive(served.url, served.prompts, served.tokens, plan, served.store, snapshot)
        )
