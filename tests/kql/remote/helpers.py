"""Pointing the remote clients at the loopback server, with a policy whose waits are recorded."""

from __future__ import annotations

from dataclasses import dataclass, field

from idpilot.kql.remote.transport import RequestPolicy
from tests.kql.remote.kusto_server import FakeCredential


@dataclass
class RecordedSleep:
    """A sleep that records what it was asked to wait, and does not wait."""

    waits: list[float] = field(default_factory=list)

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def policy(sleep: RecordedSleep | None = None, timeout: float = 5.0) -> RequestPolicy:
    """A request policy for tests: short timeout, recorded sleeps."""
    return RequestPolicy(timeout_seconds=timeout, sleep=sleep or RecordedSleep())


def token_from(credential: FakeCredential, scope: str):
    """A token source over the fake credential, as `idpilot.sync.auth.token_source` makes one."""
    return lambda: credential.get_token(scope).token
