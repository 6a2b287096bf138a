"""The HTTP side of a sync: Graph GETs and `$batch` with retries, a budget and bounded concurrency.

Plain httpx with a bearer token from `azure-identity` (see `auth`), so the bytes on the wire are
Graph's own and the base URL is a setting (a national cloud, or a loopback server in tests).
Retried: 429, 5xx, timeouts and dropped connections, waiting what `Retry-After` asks. Not
retried: a 403 or 404 (`Unreadable`: the sync records what it could not see and goes on) and an
expired skip or delta token (`ExpiredPaging`: the collection restarts from its checkpoint).
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import orjson

from idpilot.errors import IdpilotError
from idpilot.sync.auth import TokenSource
from idpilot.sync.endpoints import BATCH_LIMIT
from idpilot.sync.graph_errors import GraphErrorBody
from idpilot.sync.throttle import RequestBudget, Sleep, retry_wait

RETRIED_STATUSES = frozenset({429, 500, 502, 503, 504})
UNREADABLE_STATUSES = frozenset({403, 404})
_EXPIRED_CODES = frozenset({"syncstatenotfound", "resyncrequired", "invalidskiptoken"})
_EXPIRED_MESSAGE = re.compile(r"skip ?token|delta ?token|sync state", re.IGNORECASE)


class SyncError(IdpilotError):
    """The sync cannot go on (authentication refused, Graph failing past every retry)."""


class Unreadable(Exception):
    """Graph refused to give a collection (403: permission or licence; 404: not in this tenant)."""

    def __init__(self, url: str, error: GraphErrorBody) -> None:
        super().__init__(f"{error.status} {error.code}: {error.message} ({url})")
        self.url = url
        self.error = error


class ExpiredPaging(Exception):
    """Graph no longer accepts a skip token or delta token (400/410): restart the paging."""

    def __init__(self, url: str, error: GraphErrorBody) -> None:
        super().__init__(f"{error.status} {error.code}: {error.message}")
        self.url = url
        self.error = error


def _expired(error: GraphErrorBody) -> bool:
    if error.status not in (400, 410):
        return False
    return error.code.lower() in _EXPIRED_CODES or bool(_EXPIRED_MESSAGE.search(error.message))


@dataclass
class ClientOptions:
    """How hard a sync may push Graph."""

    concurrency: int = 4
    requests_per_10s: int = 200
    max_attempts: int = 8
    timeout_seconds: float = 60.0


@dataclass
class BatchReply:
    """One response inside a `$batch` response."""

    status: int
    headers: dict[str, str]
    body: Any


@dataclass
class RequestLog:
    """What the client sent and met, for the end-of-sync report and the tests."""

    requests: int = 0
    retries: int = 0
    throttled: int = 0
    timeouts: int = 0
    statuses: dict[int, int] = field(default_factory=dict)


class GraphClient:
    """GETs and batches against one Graph base URL, sharing one budget and one token."""

    def __init__(
        self,
        base_url: str,
        token: TokenSource,
        options: ClientOptions | None = None,
        *,
        sleep: Sleep = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.options = options or ClientOptions()
        self.log = RequestLog()
        self._token_source = token
        self._token: str | None = None
        self._sleep = sleep
        self._slots = asyncio.Semaphore(self.options.concurrency)
        self.budget = RequestBudget(self.options.requests_per_10s, clock, sleep)
        self._http = httpx.AsyncClient(
            timeout=httpx.Timeout(self.options.timeout_seconds),
            limits=httpx.Limits(max_connections=self.options.concurrency),
            follow_redirects=False,
        )

    async def close(self) -> None:
        """Close the connections."""
        await self._http.aclose()

    async def get(self, url: str) -> dict[str, Any]:
        """The JSON body of `GET url`, retried through throttling, timeouts and 5xx."""
        response = await self._send("GET", url)
        return orjson.loads(response.content)

    async def batch(self, relative_urls: list[str], version: str = "v1.0") -> list[BatchReply]:
        """GET each URL (relative to `version`) in one `$batch`; replies in the same order."""
        if len(relative_urls) > BATCH_LIMIT:
            raise ValueError(f"a $batch takes at most {BATCH_LIMIT} requests")
        requests = [
            {"id": str(n), "method": "GET", "url": url} for n, url in enumerate(relative_urls)
        ]
        url = f"{self.base_url}/{version}/$batch"
        response = await self._send("POST", url, {"requests": requests})
        replies: dict[str, BatchReply] = {}
        for item in orjson.loads(response.content).get("responses", []):
            headers = {str(k): str(v) for k, v in (item.get("headers") or {}).items()}
            replies[str(item.get("id"))] = BatchReply(
                int(item.get("status", 0)), headers, item.get("body")
            )
        missing = BatchReply(0, {}, None)  # not answered: the caller asks for it alone
        return [replies.get(str(n), missing) for n in range(len(relative_urls))]

    async def _send(self, method: str, url: str, body: Any = None) -> httpx.Response:
        if not url.startswith(self.base_url + "/"):
            # A link elsewhere would carry the bearer token off Graph's host.
            raise SyncError(f"Graph returned a link outside {self.base_url}: {url[:200]}")
        attempt = 0
        refreshed = False
        while True:
            attempt += 1
            async with self._slots:
                await self.budget.acquire()
                token = await self._bearer()
                self.log.requests += 1
                try:
                    response = await self._http.request(
                        method,
                        url,
                        headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
                        content=orjson.dumps(body) if body is not None else None,
                    )
                except (httpx.TimeoutException, httpx.TransportError) as error:
                    self.log.timeouts += 1
                    self._give_up_after(attempt, url, f"no answer ({type(error).__name__})")
                    await self._retry_wait({}, attempt)
                    continue
            status = response.status_code
            self.log.statuses[status] = self.log.statuses.get(status, 0) + 1
            if status < 300:
                return response
            if status in RETRIED_STATUSES:
                if status == 429:
                    self.log.throttled += 1
                self._give_up_after(attempt, url, f"HTTP {status}")
                await self._retry_wait(response.headers, attempt, throttled=True)
                continue
            if status == 401 and not refreshed:
                self._token, refreshed = None, True
                continue
            error = GraphErrorBody.of(status, response.content)
            if status in UNREADABLE_STATUSES:
                raise Unreadable(url, error)
            if _expired(error):
                raise ExpiredPaging(url, error)
            raise SyncError(
                f"Graph refused {method} {url}: HTTP {status} {error.code} {error.message}".strip()
            )

    def _give_up_after(self, attempt: int, url: str, what: str) -> None:
        if attempt >= self.options.max_attempts:
            raise SyncError(
                f"Graph gave {what} {attempt} times for {url}; run the sync again later "
                "(it resumes from its checkpoint)"
            )

    async def _retry_wait(self, headers: Any, attempt: int, *, throttled: bool = False) -> None:
        self.log.retries += 1
        wait = retry_wait(dict(headers), attempt)
        if throttled:
            self.budget.pause(wait)  # Graph throttles the app: every request waits
        else:
            await self._sleep(wait)

    async def _bearer(self) -> str:
        if self._token is None:
            self._token = await asyncio.to_thread(self._token_source)
        return self._token
