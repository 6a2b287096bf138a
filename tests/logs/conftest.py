"""A demo store without its logs, and a loopback workspace holding them, for the remote path."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import idpilot.sync.auth as auth
from idpilot.store import Store
from tests.api.served import private_store
from tests.conftest import DemoTenant
from tests.kql.remote.kusto_server import WORKSPACE_ID, FakeCredential
from tests.logs.workspace_over_store import WorkspaceOverStore

LOG_TABLES = (
    "signIns", "sign_in_places", "directoryAudits", "audit_objects", "riskDetections",
    "riskyUsers",
)  # fmt: skip
"""Every table of the store that holds log rows (or an index of them)."""


@pytest.fixture(scope="session")
def directory_only(
    demo_tenant: DemoTenant, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Store]:
    """The demo tenant's store with every log row deleted: users, groups and policies only."""
    path = private_store(tmp_path_factory.mktemp("directory-only"), demo_tenant.store)
    store = Store.open(path)
    for table in LOG_TABLES:
        store.con.execute(f'DELETE FROM "{table}"')
    yield store
    store.close()


@pytest.fixture(scope="session")
def workspace(demo_tenant: DemoTenant) -> Iterator[WorkspaceOverStore]:
    """A loopback Log Analytics workspace holding the demo tenant's logs."""
    with WorkspaceOverStore(demo_tenant.store) as server:
        yield server


@pytest.fixture
def logs_in_workspace(
    workspace: WorkspaceOverStore, monkeypatch: pytest.MonkeyPatch
) -> WorkspaceOverStore:
    """Settings that say the logs live in the loopback workspace (signed in with a fake app)."""
    fake = FakeCredential()
    monkeypatch.setattr(auth, "_credential", lambda *args: fake)
    monkeypatch.setenv("IDPILOT_LOGS_REMOTE", "la")
    monkeypatch.setenv("IDPILOT_LOG_ANALYTICS_URL", workspace.base_url)
    monkeypatch.setenv("IDPILOT_LOG_ANALYTICS_WORKSPACE", WORKSPACE_ID)
    monkeypatch.setenv("IDPILOT_GRAPH_CLIENT_ID", "11111111-2222-3333-4444-555555555555")
    monkeypatch.setenv("IDPILOT_GRAPH_CLIENT_SECRET", "not-a-real-secret")
    monkeypatch.setenv("IDPILOT_AZURE_TENANT", "contoso.onmicrosoft.com")
    workspace.queries.clear()
    return workspace
