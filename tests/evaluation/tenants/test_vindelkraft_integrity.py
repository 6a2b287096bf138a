"""Vindelkraft's answer key and relationships: every planted id exists, every link holds."""

from __future__ import annotations

import json
from typing import Any

import pytest

from idpilot.store.queries.evaluation import CITABLE_TABLES
from tests.evaluation.conftest import SecondTenant

EXPECTED_SCENARIOS = {
    "lockout_reset", "password_spray", "disabled_by_admin", "mfa_fatigue", "risky_user",
    "device_not_compliant", "legacy_auth_blocked", "ownerless_group", "guest_privileged_role",
    "role_outside_pim", "app_new_secret", "stale_account", "admin_sms_only",
    "breakglass_not_excluded", "disabled_last_month", "policy_changes", "risky_workload",
}  # fmt: skip


def _ids(tenant: SecondTenant, table: str) -> set[str]:
    return {row[0] for row in tenant.store.con.execute(f'SELECT id FROM "{table}"').fetchall()}


def _records(tenant: SecondTenant, collection: str) -> list[dict[str, Any]]:
    return json.loads((tenant.folder / f"{collection}.json").read_text())["value"]


def test_the_answer_key_plants_every_situation(second_tenant: SecondTenant) -> None:
    scenarios = {s["id"] for s in second_tenant.answer_key["scenarios"]}
    assert scenarios >= EXPECTED_SCENARIOS


@pytest.mark.parametrize("scenario_id", sorted(EXPECTED_SCENARIOS | {"tenant"}))
def test_every_evidence_id_exists_under_its_kind(
    second_tenant: SecondTenant, scenario_id: str
) -> None:
    scenario = next(s for s in second_tenant.answer_key["scenarios"] if s["id"] == scenario_id)
    assert scenario["evidence"]
    for kind, ids in scenario["evidence"].items():
        assert ids, kind
        missing = set(ids) - _ids(second_tenant, CITABLE_TABLES[kind])
        assert not missing, (kind, missing)


def test_personas_are_users_of_the_store(second_tenant: SecondTenant) -> None:
    users = _ids(second_tenant, "users")
    for key, persona in second_tenant.answer_key["personas"].items():
        assert persona["id"] in users, key


def test_relationships_point_at_existing_objects(second_tenant: SecondTenant) -> None:
    users, groups = _ids(second_tenant, "users"), _ids(second_tenant, "groups")
    sps = {r["appId"] for r in _records(second_tenant, "servicePrincipals")}
    policies = _ids(second_tenant, "conditionalAccessPolicies")
    for group in _records(second_tenant, "groups"):
        for member in group["members"] + group["owners"]:
            assert member["id"] in users | groups
    for assignment in _records(second_tenant, "roleAssignments"):
        assert assignment["principalId"] in users | groups
        assert assignment["roleDefinitionId"] in _ids(second_tenant, "roleDefinitions")
    for sign_in in _records(second_tenant, "signIns"):
        assert sign_in["userId"] in users
        assert sign_in["appId"] in sps
        assert {p["id"] for p in sign_in["appliedConditionalAccessPolicies"]} <= policies
    sign_ins = _ids(second_tenant, "signIns")
    for detection in _records(second_tenant, "riskDetections"):
        assert detection["userId"] in users
        assert detection["requestId"] is None or detection["requestId"] in sign_ins
    for audit in _records(second_tenant, "directoryAudits"):
        actor = (audit["initiatedBy"].get("user") or {}).get("id")
        assert actor is None or actor in users
        for target in audit["targetResources"]:
            if target["type"] in ("User", "Group"):
                assert target["id"] in users | groups


def test_states_agree_with_the_audits_that_explain_them(second_tenant: SecondTenant) -> None:
    users = {u["id"]: u for u in _records(second_tenant, "users")}
    disabled = [a for a in _records(second_tenant, "directoryAudits")
                if a["activityDisplayName"] == "Disable account"]  # fmt: skip
    assert len(disabled) == 3
    assert all(users[a["targetResources"][0]["id"]]["accountEnabled"] is False for a in disabled)
    key = {s["id"]: s for s in second_tenant.answer_key["scenarios"]}
    group_id = key["ownerless_group"]["entities"]["group_id"]
    group = next(g for g in _records(second_tenant, "groups") if g["id"] == group_id)
    assert group["owners"] == []


def test_the_dynamic_group_holds_exactly_who_its_rule_selects(
    second_tenant: SecondTenant,
) -> None:
    groups = _records(second_tenant, "groups")
    dynamic = next(g for g in groups if "DynamicMembership" in g["groupTypes"])
    selected = {u["id"] for u in _records(second_tenant, "users")
                if u.get("city") == "München" and u["accountEnabled"]}  # fmt: skip
    assert {m["id"] for m in dynamic["members"]} == selected


def test_the_break_glass_gap_is_in_exactly_one_policy(second_tenant: SecondTenant) -> None:
    personas = second_tenant.answer_key["personas"]
    bg1, bg2 = personas["breakglass01"]["id"], personas["breakglass02"]["id"]
    policies = [
        p
        for p in _records(second_tenant, "conditionalAccessPolicies")
        if p["state"] == "enabled" and "All" in p["conditions"]["users"]["includeUsers"]
    ]
    missing = [p for p in policies if bg2 not in p["conditions"]["users"]["excludeUsers"]]
    assert [p["displayName"] for p in missing] == [
        next(s for s in second_tenant.answer_key["scenarios"]
             if s["id"] == "breakglass_not_excluded")["entities"]["policy"]
    ]  # fmt: skip
    assert all(bg1 in p["conditions"]["users"]["excludeUsers"] for p in policies)
