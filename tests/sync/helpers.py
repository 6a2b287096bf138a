"""Running a sync against the loopback Graph: a fake clock, the client, the runner."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson

from idpilot.model.collections import Collection
from idpilot.sync.graph_client import ClientOptions, GraphClient
from idpilot.sync.options import SyncOptions
from idpilot.sync.runner import PageHook, Sync, SyncReport
from tests.sync.graph_server import TENANT_ID

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


class Killed(Exception):
    """Stands for the process being killed in the middle of a sync."""


@dataclass
class FakeTime:
    """A clock that sleeping advances: waits are recorded, never slept."""

    now: float = 1_000.0
    slept: list[float] = field(default_factory=list)

    def clock(self) -> float:
        """The current time."""
        return self.now

    async def sleep(self, seconds: float) -> None:
        """Advance the clock instead of waiting."""
        self.slept.append(seconds)
        self.now += seconds
        await asyncio.sleep(0)


def kill_after(pages: int) -> PageHook:
    """A hook that kills the sync after `pages` pages are on disk, before their checkpoint."""
    seen = {"pages": 0}

    def hook(collection: Collection, page: int) -> None:
        seen["pages"] += 1
        if seen["pages"] >= pages:
            raise Killed(f"killed at {collection.value} page {page}")

    return hook


def run_sync(
    base_url: str,
    out: Path,
    *,
    time: FakeTime | None = None,
    hook: PageHook | None = None,
    options: ClientOptions | None = None,
    now: datetime = NOW,
    since: timedelta = timedelta(days=7),
    collections: tuple[Collection, ...] = (),
    on_progress: Callable[[Any], None] | None = None,
) -> SyncReport:
    """One sync run of `out` against the loopback Graph at `base_url`."""
    time = time or FakeTime()

    async def go() -> SyncReport:
        client = GraphClient(
            base_url,
            lambda: "loopback-token",
            options or ClientOptions(timeout_seconds=5),
            sleep=time.sleep,
            clock=time.clock,
        )
        try:
            sync = Sync(
                SyncOptions(out, TENANT_ID, base_url, since=since, collections=collections),
                client,
                now=lambda: now,
                on_progress=on_progress,
                before_checkpoint=hook,
            )
            return await sync.run()
        finally:
            await client.close()

    return asyncio.run(go())


def lines(path: Path) -> list[dict[str, Any]]:
    """The records of a JSON Lines snapshot file."""
    return [orjson.loads(line) for line in path.read_bytes().splitlines() if line.strip()]


def ids(path: Path) -> list[str]:
    """The ids of a JSON Lines snapshot file, in file order (duplicates kept)."""
    return [record["id"] for record in lines(path)]
