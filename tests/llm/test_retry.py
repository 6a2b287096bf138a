"""How long to wait before a retry: the server's word first, else exponential backoff."""

from __future__ import annotations

import email.utils

import pytest

from idpilot.llm.retry import RetryPolicy, retryable, server_wait

NOW = 1_767_225_600.0


@pytest.mark.parametrize(
    ("headers", "seconds"),
    [
        ({"Retry-After": "7"}, 7.0),
        ({"retry-after": "1.5"}, 1.5),
        ({"retry-after-ms": "120"}, 0.12),
        ({"retry-after-ms": "120", "retry-after": "9"}, 0.12),
        ({"retry-after-ms": "soon", "retry-after": "9"}, 9.0),
        ({"retry-after": email.utils.formatdate(NOW + 30, usegmt=True)}, 30.0),
        ({"retry-after": email.utils.formatdate(NOW - 30, usegmt=True)}, 0.0),
        ({"retry-after": "-3"}, None),
        ({"retry-after": "whenever"}, None),
        ({}, None),
    ],
)
def test_the_server_wait_is_read_from_its_headers(
    headers: dict[str, str], seconds: float | None
) -> None:
    assert server_wait(headers, now=NOW) == seconds


def test_backoff_doubles_up_to_a_ceiling_and_jitter_only_shortens() -> None:
    policy = RetryPolicy(jitter=lambda: 0.0)
    assert [policy.backoff(n) for n in range(6)] == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]
    shortest = RetryPolicy(jitter=lambda: 1.0)
    assert [shortest.backoff(n) for n in range(3)] == [0.375, 0.75, 1.5]


def test_the_wait_is_the_servers_unless_too_long() -> None:
    policy = RetryPolicy(jitter=lambda: 0.0, max_wait=60)
    assert policy.wait(0, {"retry-after": "12"}) == 12.0
    assert policy.wait(2, {}) == 2.0
    assert policy.wait(0, {"retry-after": "61"}) is None


@pytest.mark.parametrize(("status", "retry"), [(429, True), (500, True), (503, True),
                                               (599, True), (400, False), (401, False),
                                               (404, False), (408, False)])  # fmt: skip
def test_only_rate_limits_and_server_errors_are_retried(status: int, retry: bool) -> None:
    assert retryable(status) is retry
