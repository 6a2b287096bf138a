"""One query request to a remote KQL service: bearer token, retries, and errors a person can act on.

Retried: 429 and 503 (and 502), waiting what `Retry-After` asks (a wait longer than `max_wait`
is not waited for: the error says when to try again), else backing off; a 401 once, with a
fresh token. Not retried: a timeout (the query was too heavy; retrying would cost the same), a
400 (the query is wrong), a 403 (a role is missing), a 404 (no such workspace or database).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import orjson

from idpilot import __version__
from idpilot.errors import IdpilotError
from idpilot.kql.remote.errors import RemoteErrorKind, RemoteQueryError
from idpilot.kql.remote.service_errors import ServiceError
from idpilot.llm.retry import server_wait
from idpilot.sync.auth import TokenSource

RETRIED_STATUSES = frozenset({429, 502, 503})
FIRST_BACKOFF_SECONDS = 1.0
LONGEST_BACKOFF_SECONDS = 30.0
CONNECT_SECONDS = 10.0
"""A service that does not accept the connection by then is unreachable (the query may run
far longer once connected)."""
_MAX_MESSAGE_CHARS = 600


@dataclass(frozen=True)
class Endpoint:
    """Where a query goes, and the words the errors use about it."""

    url: str
    name: str
    """What the messages call the target, e.g. `Log Analytics workspace 0a1b...`."""
    reader_role: str
    """The role a 403 says to grant, and where."""
    url_setting: str
    """The setting that points at the service (for an unreachable one)."""
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class RequestPolicy:
    """How long to wait for an answer and how often to try again."""

    timeout_seconds: float = 190.0
    max_attempts: int = 4
    max_wait: float = 60.0
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)


@dataclass
class Exchange:
    """What the transport sent and met, for the caller's report and the tests."""

    attempts: int = 0
    waits: list[float] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)


def post_query(
    endpoint: Endpoint,
    body: dict[str, Any],
    token: TokenSource,
    policy: RequestPolicy | None = None,
    exchange: Exchange | None = None,
) -> httpx.Response:
    """POST `body` as JSON to the endpoint and return the successful (2xx) response."""
    policy = policy or RequestPolicy()
    exchange = exchange if exchange is not None else Exchange()
    bearer: str | None = None
    refreshed = False
    content = orjson.dumps(body)
    timeout = httpx.Timeout(
        policy.timeout_seconds, connect=min(CONNECT_SECONDS, policy.timeout_seconds)
    )
    with httpx.Client(timeout=timeout, follow_redirects=False) as client:
        while True:
            exchange.attempts += 1
            if bearer is None:
                bearer = _bearer(endpoint, token)
            response = _send(client, endpoint, content, bearer, policy)
            status = response.status_code
            exchange.statuses.append(status)
            if status < 300:
                return response
            if status == 401 and not refreshed:
                bearer, refreshed = None, True  # a token expired on the way: one more try
                continue
            if status in RETRIED_STATUSES:
                wait = _retry_wait(endpoint, response, exchange.attempts, policy)
                exchange.waits.append(wait)
                policy.sleep(wait)
                continue
            raise _refusal(endpoint, response)


def _bearer(endpoint: Endpoint, token: TokenSource) -> str:
    """A fresh token; a failed sign-in is this query's error, naming the service."""
    try:
        return token()
    except RemoteQueryError:
        raise
    except IdpilotError as error:
        raise RemoteQueryError(
            f"{endpoint.name}: {error}", kind=RemoteErrorKind.unauthorized
        ) from None


def _send(
    client: httpx.Client, endpoint: Endpoint, content: bytes, bearer: str, policy: RequestPolicy
) -> httpx.Response:
    headers = {
        "Authorization": f"Bearer {bearer}",
        "Accept": "application/json",
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": f"idpilot/{__version__}",
        "x-ms-client-request-id": f"idpilot;{uuid.uuid4()}",
        **endpoint.headers,
    }
    try:
        return client.post(endpoint.url, content=content, headers=headers)
    except httpx.ConnectTimeout as error:
        raise _unreachable(endpoint, error) from None
    except httpx.TimeoutException:
        raise RemoteQueryError(
            f"{endpoint.name} did not answer within {policy.timeout_seconds:g} s: narrow the query "
            "(a shorter time range, fewer rows) or raise IDPILOT_REMOTE_TIMEOUT_SECONDS",
            kind=RemoteErrorKind.timeout,
        ) from None
    except httpx.TransportError as error:
        raise _unreachable(endpoint, error) from None


def _unreachable(endpoint: Endpoint, error: Exception) -> RemoteQueryError:
    host = httpx.URL(endpoint.url).host
    return RemoteQueryError(
        f"cannot reach {endpoint.name} at {host} ({type(error).__name__}: {error}): check the "
        f"network and {endpoint.url_setting}",
        kind=RemoteErrorKind.unreachable,
    )


def _retry_wait(
    endpoint: Endpoint, response: httpx.Response, attempt: int, policy: RequestPolicy
) -> float:
    """How long to wait before the next attempt, or the error when there is none."""
    asked = server_wait(dict(response.headers))
    status = response.status_code
    what = "throttled the query (429)" if status == 429 else f"was unavailable ({status})"
    if asked is not None and asked > policy.max_wait:
        raise RemoteQueryError(
            f"{endpoint.name} {what} and asks to wait {asked:.0f} s: try again after that",
            kind=RemoteErrorKind.throttled,
            status=status,
        )
    if attempt >= policy.max_attempts:
        raise RemoteQueryError(
            f"{endpoint.name} {what} {attempt} times in a row: try again in a few minutes",
            kind=RemoteErrorKind.throttled,
            status=status,
        )
    if asked is not None:
        return asked
    return min(FIRST_BACKOFF_SECONDS * 2 ** (attempt - 1), LONGEST_BACKOFF_SECONDS)


def _refusal(endpoint: Endpoint, response: httpx.Response) -> RemoteQueryError:
    """The error for a response the service refused (4xx or 5xx, not retried)."""
    status = response.status_code
    said = _clip(ServiceError.of_body(response.content).describe()) or response.reason_phrase
    if status == 400:
        return RemoteQueryError(
            f"{endpoint.name} refused the query (400): {said}",
            kind=RemoteErrorKind.bad_query,
            status=status,
        )
    if status == 401:
        return RemoteQueryError(
            f"{endpoint.name} did not accept the sign-in (401: {said}): check --tenant, --auth "
            "and the app's credentials (IDPILOT_GRAPH_CLIENT_ID and its secret or certificate)",
            kind=RemoteErrorKind.unauthorized,
            status=status,
        )
    if status == 403:
        return RemoteQueryError(
            f"{endpoint.name} refused access (403: {said}): the identity idpilot signs in as "
            f"needs the {endpoint.reader_role}",
            kind=RemoteErrorKind.forbidden,
            status=status,
        )
    if status == 404:
        return RemoteQueryError(
            f"{endpoint.name} was not found (404: {said}): check its id and {endpoint.url_setting}",
            kind=RemoteErrorKind.not_found,
            status=status,
        )
    if status == 504:
        return RemoteQueryError(
            f"{endpoint.name} stopped the query at its time limit (504: {said}): narrow it (a "
            "shorter time range, fewer rows) or raise IDPILOT_REMOTE_TIMEOUT_SECONDS",
            kind=RemoteErrorKind.timeout,
            status=status,
        )
    return RemoteQueryError(
        f"{endpoint.name} failed the query (HTTP {status}: {said})",
        kind=RemoteErrorKind.failed,
        status=status,
    )


def _clip(text: str) -> str:
    """A service's message, cut to a readable length."""
    return text if len(text) <= _MAX_MESSAGE_CHARS else text[: _MAX_MESSAGE_CHARS - 1] + "…"
