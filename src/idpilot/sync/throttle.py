"""How fast a sync may ask Graph: a request budget per 10 seconds, and waits after throttling.

Graph throttles per app and tenant: a 429 (or 503) says how long to wait in `Retry-After`,
and every request of the sync waits that long, not only the one refused. Without the header,
waits back off exponentially with jitter.
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field

from idpilot.llm.retry import server_wait

Sleep = Callable[[float], Awaitable[None]]
Clock = Callable[[], float]

BUDGET_WINDOW_SECONDS = 10.0
"""Graph's identity limits are counted per 10 seconds; so is the sync's own budget."""
FIRST_BACKOFF_SECONDS = 1.0
LONGEST_BACKOFF_SECONDS = 60.0
JITTER = 0.25


@dataclass
class RequestBudget:
    """At most `requests` requests in any `window` seconds, and a shared pause after a 429."""

    requests: int
    clock: Clock
    sleep: Sleep
    window: float = BUDGET_WINDOW_SECONDS
    _sent: deque[float] = field(default_factory=deque, repr=False)
    _paused_until: float = 0.0
    paused: float = 0.0
    """Seconds Graph asked the whole sync to wait, overlapping pauses counted once."""

    async def acquire(self) -> None:
        """Wait until a request may be sent, then count it."""
        while True:
            now = self.clock()
            if now < self._paused_until:
                await self._wait(self._paused_until - now)
                continue
            while self._sent and now - self._sent[0] >= self.window:
                self._sent.popleft()
            if len(self._sent) < self.requests:
                self._sent.append(now)
                return
            await self._wait(self.window - (now - self._sent[0]))

    def pause(self, seconds: float) -> None:
        """Hold every request for `seconds` (Graph asked the whole app to wait)."""
        now = self.clock()
        until = now + seconds
        if until > self._paused_until:
            self.paused += until - max(self._paused_until, now)
            self._paused_until = until

    async def _wait(self, seconds: float) -> None:
        await self.sleep(max(seconds, 0.0))


def retry_wait(headers: Mapping[str, str], attempt: int) -> float:
    """How long to wait before retry `attempt` (1-based): Retry-After, else backoff."""
    asked = server_wait(headers)
    if asked is not None:
        return asked
    delay = min(FIRST_BACKOFF_SECONDS * 2 ** (attempt - 1), LONGEST_BACKOFF_SECONDS)
    return delay * (1 - random.uniform(0, JITTER))
