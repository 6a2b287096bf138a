"""The two-version store of the history tests, built once per session."""

from __future__ import annotations

import pytest

from tests.conftest import DemoTenant
from tests.history.planted import TwoVersions, build_two_versions


@pytest.fixture(scope="session")
def two_versions(demo_tenant: DemoTenant, tmp_path_factory: pytest.TempPathFactory) -> TwoVersions:
    """The demo directory ingested twice, a week apart, with planted changes (read only)."""
    return build_two_versions(demo_tenant.folder, tmp_path_factory.mktemp("history"))
