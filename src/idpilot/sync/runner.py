"""`idpilot sync`: read every collection of the snapshot contract from Graph into a folder.

Collections are read concurrently (the client bounds the requests in flight and per 10 s);
the settings and short lists ask for their first page together in `$batch` requests. A list
read under each record of another collection (a service principal's assignments, a workflow's
versions, runs and task reports, a run's user results, their task results) waits for that
collection, then asks 20 parents' lists to a `$batch` and follows each list's nextLink. Each
page is appended to the collection's part file and then the checkpoint saved, so a killed sync
resumes at the page it had not committed. An expired skip or delta token restarts only that
collection: a log from the oldest event it committed, a delta round or a list from its start.
A refused collection (403, 404) is recorded with its reason and the rest goes on.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from idpilot.model.collections import Collection
from idpilot.sync.checkpoint import (
    Checkpoint,
    CollectionState,
    Phase,
    load_checkpoint,
    save_checkpoint,
)
from idpilot.sync.endpoints import BATCH_LIMIT, Endpoint, ReadMode, log_filter
from idpilot.sync.graph_client import (
    ExpiredPaging,
    GraphClient,
    RequestLog,
    SyncError,
    Unreadable,
)
from idpilot.sync.graph_errors import GraphErrorBody
from idpilot.sync.manifest import write_manifest
from idpilot.sync.options import SyncOptions
from idpilot.sync.output import PartFile, finish_collection, read_lines, remove_part, snapshot_path
from idpilot.sync.permissions import Unavailable, explain_refusal
from idpilot.sync.throttle import retry_wait
from idpilot.sync.windows import graph_time, parse_graph_time, window_start

MAX_RESTARTS = 5
"""A collection whose paging expires more often than this in one run fails the sync."""


@dataclass(frozen=True)
class PageRead:
    """Progress: a collection committed a page (or finished, or was refused)."""

    collection: Collection
    records: int
    phase: Phase


@dataclass
class SyncReport:
    """What a sync wrote, what it could not read, and what it asked of Graph."""

    counts: dict[str, int] = field(default_factory=dict)
    unavailable: dict[str, Unavailable] = field(default_factory=dict)
    restarts: dict[str, int] = field(default_factory=dict)
    requests: RequestLog = field(default_factory=RequestLog)
    paused_seconds: float = 0.0


PageHook = Callable[[Collection, int], None]
"""Called after a page is on disk and before the checkpoint records it (tests kill here)."""


class Sync:
    """One sync run over a snapshot folder, resuming its checkpoint."""

    def __init__(
        self,
        options: SyncOptions,
        client: GraphClient,
        *,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        on_progress: Callable[[PageRead], None] | None = None,
        before_checkpoint: PageHook | None = None,
    ) -> None:
        self.options = options
        self.client = client
        self._now = now
        self._on_progress = on_progress
        self._before_checkpoint = before_checkpoint
        self._prefetched: dict[Collection, dict[str, Any]] = {}
        self._finished: dict[Collection, asyncio.Event] = {}
        self.checkpoint: Checkpoint = Checkpoint(tenant=options.tenant)

    async def run(self) -> SyncReport:
        """Read every collection (resuming an interrupted run), write the manifest."""
        out = self.options.out
        out.mkdir(parents=True, exist_ok=True)
        self.checkpoint = load_checkpoint(out, self.options.tenant)
        self._start_or_resume()
        endpoints = self.options.endpoints()
        self._finished = {e.collection: asyncio.Event() for e in endpoints}
        await self._prefetch_small(endpoints)
        try:
            async with asyncio.TaskGroup() as group:
                for endpoint in endpoints:
                    group.create_task(self._collect(endpoint))
        except BaseExceptionGroup as failed:
            raise _first(failed) from None
        write_manifest(out, self.checkpoint, self.options.tenant)
        return self._report()

    def _start_or_resume(self) -> None:
        """A new run after a complete one (delta links and log ends kept), else resume."""
        checkpoint = self.checkpoint
        names = [e.collection.value for e in self.options.endpoints()]
        if checkpoint.run_started is None or checkpoint.complete:
            started = self._now()
            checkpoint.run_started = checkpoint.run_until = graph_time(started)
            for name in names:
                old = checkpoint.collections.get(name) or CollectionState()
                checkpoint.collections[name] = CollectionState(
                    delta_link=old.delta_link, high_water=old.high_water
                )
        for name in names:
            checkpoint.collections.setdefault(name, CollectionState())
        self._save()

    def _state(self, endpoint: Endpoint) -> CollectionState:
        return self.checkpoint.collections[endpoint.collection.value]

    def _save(self) -> None:
        save_checkpoint(self.options.out, self.checkpoint)

    async def _prefetch_small(self, endpoints: list[Endpoint]) -> None:
        """The first page of each setting and short list, 20 to a `$batch`."""
        small = [e for e in endpoints if e.small and self._state(e).phase is Phase.pending]
        for start in range(0, len(small), BATCH_LIMIT):
            chunk = small[start : start + BATCH_LIMIT]
            replies = await self.client.batch([e.relative() for e in chunk])
            for endpoint, reply in zip(chunk, replies, strict=True):
                if reply.status == 200 and isinstance(reply.body, dict):
                    self._prefetched[endpoint.collection] = reply.body
                elif reply.status in (403, 404):
                    error = GraphErrorBody.of_json(reply.status, reply.body)
                    self._refused(endpoint, Unreadable(endpoint.relative(), error))
                elif reply.status == 429:
                    self.client.budget.pause(retry_wait(reply.headers, 1))
                # anything else: the collection asks for its first page alone, with retries

    async def _collect(self, endpoint: Endpoint) -> None:
        state = self._state(endpoint)
        try:
            if state.phase is Phase.pending:
                self._begin(endpoint, state)
            if state.phase is Phase.paging:
                if endpoint.mode is ReadMode.per_parent:
                    await self._fan_out(endpoint, state)
                else:
                    await self._page(endpoint, state)
            if state.phase is Phase.fetched:
                self._finish(endpoint, state)
        except Unreadable as refusal:
            self._refused(endpoint, refusal)
        finally:
            self._finished[endpoint.collection].set()

    def _begin(self, endpoint: Endpoint, state: CollectionState) -> None:
        state.phase = Phase.paging
        state.part_bytes = state.part_records = state.pages = state.done_principals = 0
        if endpoint.mode is ReadMode.delta:
            state.full_round = state.delta_link is None
            state.next_url = state.delta_link or endpoint.url(self.options.base_url)
        elif endpoint.mode is ReadMode.log:
            until = parse_graph_time(self.checkpoint.run_until or graph_time(self._now()))
            state.window_start = window_start(
                state.high_water, until, self.options.since, self.options.overlap
            )
            state.window_end = graph_time(until)
            state.oldest_seen = None
            state.next_url = self._log_url(endpoint, state.window_start, state.window_end)
        else:
            state.next_url = endpoint.url(self.options.base_url)
        self._save()

    def _log_url(self, endpoint: Endpoint, start: str, end: str) -> str:
        window = quote(log_filter(endpoint, start, end), safe="")
        return f"{endpoint.url(self.options.base_url)}?$filter={window}"

    async def _page(self, endpoint: Endpoint, state: CollectionState) -> None:
        part = PartFile(self.options.out, endpoint.collection, state.part_bytes)
        try:
            while state.phase is Phase.paging and state.next_url:
                body = self._prefetched.pop(endpoint.collection, None) if not state.pages else None
                if body is None:
                    try:
                        body = await self.client.get(state.next_url)
                    except ExpiredPaging as expired:
                        self._restart(endpoint, state, part, expired)
                        continue
                self._commit_page(endpoint, state, part, body)
        finally:
            part.close()

    def _commit_page(
        self, endpoint: Endpoint, state: CollectionState, part: PartFile, body: dict[str, Any]
    ) -> None:
        """Append a page, make it durable, then record it in the checkpoint (no await between:
        another collection's save never records half of it)."""
        records = [body] if endpoint.mode is ReadMode.singleton else list(body.get("value", []))
        count = part.append(records)
        committed = part.commit()
        if self._before_checkpoint:
            self._before_checkpoint(endpoint.collection, state.pages + 1)
        state.part_bytes = committed
        state.part_records += count
        state.pages += 1
        if endpoint.mode is ReadMode.log and records:
            state.oldest_seen = _oldest(endpoint, records, state.oldest_seen)
        if "@odata.deltaLink" in body:
            state.pending_delta_link = body["@odata.deltaLink"]
        state.next_url = body.get("@odata.nextLink")
        if not state.next_url:
            state.phase = Phase.fetched
        self._save()
        self._progress(endpoint, state)

    def _restart(
        self, endpoint: Endpoint, state: CollectionState, part: PartFile, expired: ExpiredPaging
    ) -> None:
        """Graph no longer takes the token: restart this collection from what is committed."""
        state.restarts += 1
        if state.restarts > MAX_RESTARTS:
            raise SyncError(
                f"{endpoint.collection.value}: Graph refused its paging {state.restarts} times "
                f"({expired.error.code or expired.error.status}: {expired.error.message})"
            )
        if endpoint.mode is ReadMode.log:
            # Keep what is committed; ask again for the window up to the oldest event read
            # (inclusive: the events at that second are read twice and kept once).
            end = state.oldest_seen or state.window_end or ""
            state.next_url = self._log_url(endpoint, state.window_start or "", end)
        else:
            part.reset()
            state.part_bytes = state.part_records = state.pages = 0
            replay_delta = endpoint.mode is ReadMode.delta and not state.full_round
            if replay_delta and expired.url == state.delta_link:
                state.full_round, state.delta_link = True, None  # the deltaLink itself expired
                replay_delta = False
            base = endpoint.url(self.options.base_url)
            state.next_url = state.delta_link if replay_delta else base
        self._save()

    async def _fan_out(self, endpoint: Endpoint, state: CollectionState) -> None:
        """One list per parent record, 20 parents to a `$batch`, committed chunk by chunk."""
        parents = await self._parents(endpoint)
        part = PartFile(self.options.out, endpoint.collection, state.part_bytes)
        try:
            while state.done_principals < len(parents):
                chunk = parents[state.done_principals : state.done_principals + BATCH_LIMIT]
                records = await self._lists_under(endpoint, chunk)
                count = part.append(records)
                committed = part.commit()
                if self._before_checkpoint:
                    self._before_checkpoint(endpoint.collection, state.pages + 1)
                state.part_bytes, state.pages = committed, state.pages + 1
                state.part_records += count
                state.done_principals += len(chunk)
                self._save()
                self._progress(endpoint, state)
        finally:
            part.close()
        state.phase = Phase.fetched
        self._save()

    async def _parents(self, endpoint: Endpoint) -> list[dict[str, Any]]:
        """The parent records, in a stable order (a resumed sync counts the same ones): read
        once the parent collection is written, by this run or, when it is not read this run,
        by an earlier one. A refused parent refuses the child for the same reason."""
        parent = endpoint.parent
        assert parent is not None
        if parent in self._finished:
            await self._finished[parent].wait()
        state = self._state_of(parent)
        refused = state.unavailable
        if state.phase is Phase.unavailable and refused is not None:
            error = GraphErrorBody(refused.status, refused.code, refused.message)
            raise Unreadable(endpoint.path, error)
        listed_file = snapshot_path(self.options.out, parent)
        if state.phase is not Phase.done and not (
            parent not in self._finished and listed_file.exists()
        ):
            # The parent stopped (the sync is failing) or was never read: finishing with no
            # parents would record an empty list as complete.
            raise SyncError(
                f"{endpoint.collection.value} is read under {parent.value}, which was not read: "
                f"sync {parent.value} too"
            )
        listed = read_lines(listed_file)
        keyed = [(endpoint.parent_path(record), record) for record in listed]
        return [record for path, record in sorted(keyed, key=lambda pair: pair[0] or "") if path]

    async def _lists_under(
        self, endpoint: Endpoint, parents: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        """Every record listed under these parents, each stamped with its parents' ids."""
        paths = [endpoint.parent_path(parent) or "" for parent in parents]
        replies = await self.client.batch([f"/{path}" for path in paths])
        records: list[dict[str, Any]] = []
        for parent, path, reply in zip(parents, paths, replies, strict=True):
            url = f"{self.options.base_url.rstrip('/')}/{endpoint.version}/{path}"
            if reply.status == 403:
                raise Unreadable(url, GraphErrorBody.of_json(reply.status, reply.body))
            if reply.status == 404:
                continue  # deleted since the parents were read
            if reply.status == 200 and isinstance(reply.body, dict):
                body = reply.body
            else:
                if reply.status == 429:
                    self.client.budget.pause(retry_wait(reply.headers, 1))
                body = await self.client.get(url)
            stamp = endpoint.stamp(parent)
            listed = list(body.get("value", []))
            while next_url := body.get("@odata.nextLink"):
                body = await self.client.get(next_url)
                listed.extend(body.get("value", []))
            records.extend({**record, **stamp} for record in listed if isinstance(record, dict))
        return records

    def _state_of(self, collection: Collection) -> CollectionState:
        return self.checkpoint.collections.get(collection.value) or CollectionState()

    def _finish(self, endpoint: Endpoint, state: CollectionState) -> None:
        replace = endpoint.mode is not ReadMode.delta or state.full_round
        state.records = finish_collection(
            self.options.out, endpoint.collection, endpoint.mode, replace=replace
        )
        if endpoint.mode is ReadMode.delta:
            state.delta_link = state.pending_delta_link or state.delta_link
        if endpoint.mode is ReadMode.log:
            state.high_water = state.window_end
        state.phase = Phase.done
        self._save()
        remove_part(self.options.out, endpoint.collection)
        self._progress(endpoint, state)

    def _refused(self, endpoint: Endpoint, refusal: Unreadable) -> None:
        state = self._state(endpoint)
        state.phase = Phase.unavailable
        state.unavailable = explain_refusal(endpoint, refusal.error)
        state.next_url = None
        self._save()
        remove_part(self.options.out, endpoint.collection)
        snapshot_path(self.options.out, endpoint.collection).unlink(missing_ok=True)
        self._progress(endpoint, state)

    def _progress(self, endpoint: Endpoint, state: CollectionState) -> None:
        if self._on_progress:
            records = state.records if state.phase is Phase.done else state.part_records
            self._on_progress(PageRead(endpoint.collection, records, state.phase))

    def _report(self) -> SyncReport:
        report = SyncReport(requests=self.client.log, paused_seconds=self.client.budget.paused)
        for name, state in self.checkpoint.collections.items():
            if state.phase is Phase.done:
                report.counts[name] = state.records
            elif state.unavailable is not None:
                report.unavailable[name] = state.unavailable
            if state.restarts:
                report.restarts[name] = state.restarts
        return report


def _oldest(endpoint: Endpoint, records: list[dict[str, Any]], known: str | None) -> str | None:
    """The earliest event time among `records` and `known` (compared as times, not text)."""
    field_name = endpoint.collection.event_time_field or ""
    times = [str(r[field_name]) for r in records if r.get(field_name)]
    if known:
        times.append(known)
    return min(times, key=parse_graph_time) if times else None


def _first(group: BaseExceptionGroup) -> BaseException:
    """The first error of a task group, unwrapped (the others were cancelled by it)."""
    error: BaseException = group
    while isinstance(error, BaseExceptionGroup):
        error = error.exceptions[0]
    return error
