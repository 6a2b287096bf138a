"""The KQL the skills hand to the admin runs in the sandbox, over the demo tenant's views.

The demo store is held open for writing by this process, so the sandbox reads a copy of the
views rather than the file: the fallback path, with real data.
"""

from __future__ import annotations

import pytest

from idpilot.kql.adapter import run_kql
from idpilot.skills import default_registry
from tests.conftest import DemoTenant


@pytest.mark.parametrize(
    ("skill", "params"),
    [
        ("explain_error", {"code": 50126}),
        ("signin_summary", {}),
        ("kql_tables", {"question": "write a KQL query for failed sign-ins"}),
        (
            "kql_write",
            {
                "question": {
                    "kind": "signIns",
                    "table": "SigninLogs",
                    "conditions": [{"field": "result", "values": ["failure"]}],
                    "group_by": ["user"],
                }
            },
        ),
    ],
)
def test_the_kql_a_skill_emits_runs(demo_tenant: DemoTenant, skill: str, params: dict) -> None:
    result = default_registry().get(skill).run(demo_tenant.store, params)
    assert result.kql
    answer = run_kql(demo_tenant.store, result.kql)
    assert answer.rows
    assert demo_tenant.store.scalar("SELECT count(*) FROM signIns") > 0
