"""When to retry a model request and how long to wait: backoff, Retry-After, retry-after-ms.

Only a 429 (rate limited) or a 5xx (the server failed) is retried. The wait is what the server
asks for (`retry-after-ms`, else `Retry-After` in seconds or as an HTTP date), else an
exponential backoff with jitter. A server asking for more than `max_wait` seconds is not
waited for: the request fails at once and says when to try again.
"""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

FIRST_DELAY_SECONDS = 0.5
"""The first backoff wait; each retry doubles it."""
LONGEST_DELAY_SECONDS = 8.0
"""Backoff never waits longer than this between two attempts."""
LONGEST_SERVER_WAIT_SECONDS = 60.0
"""A Retry-After longer than this is not waited for (an answer should not hang for minutes)."""
JITTER = 0.25
"""Backoff waits are shortened by up to this fraction, so clients do not retry in step."""


def retryable(status: int) -> bool:
    """True for the statuses worth retrying: 429 and every 5xx."""
    return status == 429 or 500 <= status <= 599


def server_wait(headers: Mapping[str, str], now: float | None = None) -> float | None:
    """The wait in seconds the response asks for (`retry-after-ms`, `Retry-After`), or None."""
    lowered = {key.lower(): value for key, value in headers.items()}
    for header, divisor in (("retry-after-ms", 1000.0), ("retry-after", 1.0)):
        value = lowered.get(header)
        if value is None:
            continue
        try:
            seconds = float(value.strip()) / divisor
        except ValueError:
            continue
        return seconds if seconds >= 0 else None
    date = lowered.get("retry-after")
    parsed = email.utils.parsedate_tz(date) if date else None
    if parsed is None:
        return None
    seconds = email.utils.mktime_tz(parsed) - (time.time() if now is None else now)
    return max(seconds, 0.0)


@dataclass
class RetryPolicy:
    """How many times to retry and how to wait (`sleep` is replaceable in tests)."""

    max_retries: int = 2
    first_delay: float = FIRST_DELAY_SECONDS
    longest_delay: float = LONGEST_DELAY_SECONDS
    max_wait: float = LONGEST_SERVER_WAIT_SECONDS
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)
    jitter: Callable[[], float] = field(default=random.random, repr=False)

    def backoff(self, retry: int) -> float:
        """The wait before retry number `retry` (0 for the first) when the server names none."""
        delay = min(self.first_delay * 2.0**retry, self.longest_delay)
        return delay * (1 - JITTER * self.jitter())

    def wait(self, retry: int, headers: Mapping[str, str]) -> float | None:
        """Seconds to wait before retry `retry`, or None when the server asks for too long."""
        asked = server_wait(headers)
        if asked is None:
            return self.backoff(retry)
        return asked if asked <= self.max_wait else None
