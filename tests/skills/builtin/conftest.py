"""Fixtures: the linked-evidence tenant, ingested once per module."""

from __future__ import annotations

import pytest

from .linked_tenant import Linked, build_linked


@pytest.fixture(scope="module")
def linked(tmp_path_factory: pytest.TempPathFactory) -> Linked:
    """The tenant of linked facts (read only)."""
    built = build_linked(tmp_path_factory.mktemp("linked") / "snap")
    yield built
    built.store.close()
