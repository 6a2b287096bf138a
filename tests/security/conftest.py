"""Fixtures for the security tests: a fresh tenant builder per test."""

from __future__ import annotations

import pytest

from .builder import TenantBuilder


@pytest.fixture
def tenant() -> TenantBuilder:
    """An empty tenant to add objects to."""
    return TenantBuilder()
