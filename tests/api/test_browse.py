"""What the page browses: one stored record with the objects it points at, the Conditional
Access policies in plain language, the posture score by area."""

from __future__ import annotations

import re

from idpilot.state.roles import Role
from idpilot.store import Store
from idpilot.store.queries.objects import id_and_name
from idpilot.store.queries.policies import all_policies
from tests.api.served import Served

GUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)


def _failed_sign_in(api: Served) -> dict:
    with api.client(Role.reader) as client:
        page = client.get("/api/sign-ins", params={"status": "failure", "limit": 1}).json()
    return page["items"][0]


def test_a_sign_in_opens_with_its_user_app_and_policies(api: Served) -> None:
    sign_in = _failed_sign_in(api)
    with api.client(Role.reader) as client:
        response = client.get(f"/api/records/signIn/{sign_in['id']}")
    assert response.status_code == 200
    record = response.json()
    assert record["kind"] == "signIn" and record["id"] == sign_in["id"]
    assert record["fields"]["status"]["errorCode"] == sign_in["fields"]["errorCode"]
    related = {(r["kind"], r["field"]): r for r in record["related"]}
    assert related[("user", "userId")]["id"] == sign_in["fields"]["userId"]
    assert ("servicePrincipal", "appId") in related
    applied = {p["id"] for p in record["fields"].get("appliedConditionalAccessPolicies", [])}
    policies = {r["id"] for r in record["related"] if r["kind"] == "conditionalAccessPolicy"}
    assert policies == applied


def test_a_risky_user_points_at_the_user_with_its_id(api: Served) -> None:
    with api.client(Role.reader) as client:
        answer = client.get("/api/risky-users").json()
        risky = next(e for e in answer["evidence"] if e["kind"] == "riskyUser")
        record = client.get(f"/api/records/riskyUser/{risky['id']}").json()
    assert {"kind": "user", "id": risky["id"]}.items() <= record["related"][0].items()


def test_an_unknown_kind_or_id_is_404_with_a_code(api: Served) -> None:
    with api.client(Role.reader) as client:
        for path in ("/api/records/noSuchKind/x", "/api/records/user/not-an-id"):
            response = client.get(path)
            assert response.status_code == 404, path
            assert response.json()["error"]["code"] == "record_not_found"


def test_every_policy_is_said_in_words_naming_its_groups(api: Served) -> None:
    with api.client(Role.reader) as client:
        summaries = client.get("/api/ca-policies").json()
    with Store.open(api.config.store, read_only=True) as store:
        stored = all_policies(store)
        by_id = {p["id"]: p for p in stored}
        assert {s["id"] for s in summaries} == set(by_id)
        for summary in summaries:
            raw = by_id[summary["id"]]
            text = " ".join(summary["sentences"])
            assert summary["name"] == raw["displayName"]
            users = raw["conditions"]["users"]
            for group_id in users["includeGroups"] + users["excludeGroups"]:
                group = id_and_name(store, "group", group_id)
                if group is not None:
                    assert group["displayName"] in text, summary["name"]
                    assert group_id not in text
    states = {s["state"]: s["sentences"][0] for s in summaries}
    assert "enforces nothing" in states.get("enabledForReportingButNotEnforced", "enforces nothing")


def test_posture_areas_are_scores_lowest_first(api: Served) -> None:
    with api.client(Role.reader) as client:
        areas = client.get("/api/posture/areas").json()
    assert areas, "the demo tenant has checks"
    scores = [a["score"] for a in areas]
    assert scores == sorted(scores) and all(0 <= s <= 100 for s in scores)
    assert len({a["area"] for a in areas}) == len(areas)
