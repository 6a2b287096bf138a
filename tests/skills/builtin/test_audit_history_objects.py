"""audit_history finds each kind of object by the id the planner passes."""

from __future__ import annotations

import pytest

from idpilot.skills import default_registry
from tests.conftest import DemoTenant


@pytest.mark.parametrize(
    ("field", "table"),
    [("role", "roleDefinitions"), ("policy", "conditionalAccessPolicies")],
)
def test_history_of_a_role_or_policy_by_its_id(
    demo_tenant: DemoTenant, field: str, table: str
) -> None:
    object_id, name = demo_tenant.store.con.execute(
        f"SELECT id, displayName FROM {table} ORDER BY displayName LIMIT 1"
    ).fetchone()
    result = default_registry().get("audit_history").run(demo_tenant.store, {field: object_id})
    assert result.status.value == "ok"
    assert result.facts.subject is not None
    assert (result.facts.subject.id, result.facts.subject.name) == (object_id, name)
