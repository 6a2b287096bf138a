"""Vindelkraft's snapshot: every file ingests, every record is a Graph v1.0 shape idpilot reads."""

from __future__ import annotations

import json

from idpilot.evaluation.tenants.vindelkraft import build
from idpilot.model.collections import Collection
from idpilot.model.registry import parse_record
from tests.evaluation.conftest import SecondTenant

SIGN_IN_RESULTS = {"success", "failure", "notApplied", "notEnabled"}
REPORT_ONLY_RESULTS = {
    "reportOnlySuccess",
    "reportOnlyFailure",
    "reportOnlyNotApplied",
    "reportOnlyInterrupted",
}
PRIMARY_FAILURES = {50126, 50053, 50057, 50055}


def _records(tenant: SecondTenant, collection: str) -> list[dict[str, object]]:
    return json.loads((tenant.folder / f"{collection}.json").read_text())["value"]


def test_every_collection_file_ingests(second_tenant: SecondTenant) -> None:
    files = [p for p in second_tenant.folder.glob("*.json")
             if p.name not in ("manifest.json", "scenarios.json")]  # fmt: skip
    assert {p.stem for p in files} <= {c.value for c in Collection}
    assert second_tenant.report.files == len(files) >= 20
    assert not second_tenant.report.skipped_files and not second_tenant.report.warnings
    for path in files:
        assert second_tenant.report.records[path.stem] == len(_records(second_tenant, path.stem))


def test_records_validate_and_round_trip_without_unknown_properties(
    second_tenant: SecondTenant,
) -> None:
    for collection in Collection:
        path = second_tenant.folder / f"{collection.value}.json"
        if not path.exists():
            continue
        for record in _records(second_tenant, collection.value):
            model = parse_record(collection, record)
            assert not model.model_extra, (collection, sorted(model.model_extra or {}))
            assert model.model_dump(by_alias=True, exclude_unset=True) == record


def test_names_carry_their_diacritics_and_upns_are_ascii(second_tenant: SecondTenant) -> None:
    users = _records(second_tenant, "users")
    assert sum(1 for u in users if not str(u["displayName"]).isascii()) > len(users) / 3
    assert all(str(u["userPrincipalName"]).isascii() for u in users)
    cities = {u.get("city") for u in users}
    assert {"Malmö", "München", "Kraków", "São Paulo"} <= cities


def test_failures_before_conditional_access_record_no_policy_as_applied(
    second_tenant: SecondTenant,
) -> None:
    sign_ins = _records(second_tenant, "signIns")
    before_ca = [s for s in sign_ins if s["status"]["errorCode"] in PRIMARY_FAILURES]  # type: ignore[index]
    assert len(before_ca) > 30
    for sign_in in before_ca:
        assert sign_in["conditionalAccessStatus"] == "notApplied"
        results = {p["result"] for p in sign_in["appliedConditionalAccessPolicies"]}  # type: ignore[union-attr,index]
        assert results <= {"notApplied", "reportOnlyNotApplied", "notEnabled"}


def test_policy_results_follow_each_policy_state(second_tenant: SecondTenant) -> None:
    states = {p["id"]: p["state"] for p in _records(second_tenant, "conditionalAccessPolicies")}
    assert set(states.values()) == {"enabled", "disabled", "enabledForReportingButNotEnforced"}
    for sign_in in _records(second_tenant, "signIns"):
        applied = sign_in["appliedConditionalAccessPolicies"]
        assert {p["id"] for p in applied} == set(states)  # type: ignore[union-attr,index]
        for entry in applied:  # type: ignore[union-attr]
            state = states[entry["id"]]
            if state == "disabled":
                assert entry["result"] == "notEnabled"
            elif state == "enabled":
                assert entry["result"] in SIGN_IN_RESULTS - {"notEnabled"}
            else:
                assert entry["result"] in REPORT_ONLY_RESULTS
        blocked = any(e["result"] == "failure" for e in applied)  # type: ignore[union-attr,index]
        if sign_in["status"]["errorCode"] not in PRIMARY_FAILURES:  # type: ignore[index]
            assert (sign_in["conditionalAccessStatus"] == "failure") == blocked


def test_the_generator_is_deterministic_for_a_seed() -> None:
    first, again, other = build(7), build(7), build(8)
    assert first.collections["users"] == again.collections["users"]
    assert first.scenarios == again.scenarios
    assert first.collections["users"][0]["id"] != other.collections["users"][0]["id"]
