"""A stand-in Entra tenant on loopback for each test that needs one."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.api.entra.issuer import FakeTenant, fake_tenant


@pytest.fixture
def tenant() -> Iterator[FakeTenant]:
    """A tenant with one signing key, its metadata and keys served on 127.0.0.1."""
    with fake_tenant() as running:
        yield running
