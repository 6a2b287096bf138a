"""The tenant routes over the demo store: each answer is the Answer object, cited; sign-ins
filter and page; KQL runs in the sandbox; proposals are recorded, never run."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from idpilot.copilot.answer import Answer
from idpilot.state.roles import Role
from idpilot.store import Store
from tests.api.served import Served
from tests.conftest import DemoTenant

ANSWER_KEYS = set(Answer.model_fields)


def _cited_answer(body: dict[str, Any], skill: str) -> None:
    assert set(body) == ANSWER_KEYS
    assert [s["name"] for s in body["skills"]] == [skill]
    assert body["citations"], "an answer cites its records"
    evidence = {(e["kind"], e["id"]) for e in body["evidence"]}
    assert {(c["kind"], c["id"]) for c in body["citations"]} <= evidence


def test_posture_and_risky_users_are_cited_answers(api: Served) -> None:
    with api.client(Role.reader) as client:
        posture = client.get("/api/posture").json()
        risky = client.get("/api/risky-users").json()
        high = client.get("/api/risky-users", params={"level": "high"}).json()
    _cited_answer(posture, "posture_assessment")
    _cited_answer(risky, "risky_users")
    levels = {e["fields"]["riskLevel"] for e in high["evidence"] if e["kind"] == "riskyUser"}
    assert levels == {"high"}
    everyone = {e["fields"]["riskLevel"] for e in risky["evidence"] if e["kind"] == "riskyUser"}
    assert len(everyone) > 1


def test_a_risk_summary_names_the_user_it_was_asked_for(api: Served) -> None:
    with api.client(Role.reader) as client:
        risky = client.get("/api/risky-users").json()
        user = next(e for e in risky["evidence"] if e["kind"] == "riskyUser")
        summary = client.get(f"/api/risky-users/{user['id']}/summary").json()
        unknown = client.get("/api/risky-users/nobody-at-all/summary").json()
    _cited_answer(summary, "risky_user_summary")
    assert user["fields"]["userPrincipalName"] in summary["answer"]
    assert unknown["status"] == "notFound"


def test_whatif_answers_for_a_user_and_refuses_two_principals(api: Served) -> None:
    with api.client(Role.reader) as client:
        risky = client.get("/api/risky-users").json()
        upn = next(e for e in risky["evidence"] if e["kind"] == "riskyUser")["fields"][
            "userPrincipalName"
        ]
        answer = client.post("/api/whatif", json={"user": upn, "platform": "iOS"}).json()
        both = client.post("/api/whatif", json={"user": upn, "role": "Global Administrator"})
        unknown = client.post("/api/whatif", json={"user": upn, "platfrom": "iOS"})
    _cited_answer(answer, "ca_whatif")
    assert answer["skills"][0]["params"]["platform"] == "iOS"
    assert both.status_code == 422 and "exactly one" in both.json()["error"]["message"]
    assert unknown.status_code == 422


def test_kql_returns_rows_as_objects(api: Served, demo_tenant: DemoTenant) -> None:
    query = "SigninLogs | summarize n = count() by ResultType | sort by n desc | take 3"
    with api.client(Role.reader) as client:
        body = client.post("/api/kql", json={"query": query, "limit": 2}).json()
    assert body["columns"] == ["ResultType", "n"]
    assert body["row_count"] == 2 and body["truncated"] is True
    assert all(set(row) == {"ResultType", "n"} for row in body["rows"])


def _count(store: Store, where: str, params: list[Any]) -> int:
    return int(store.scalar(f"SELECT count(*) FROM signIns WHERE {where}", params))


def test_sign_ins_filter_and_page(api: Served, demo_tenant: DemoTenant) -> None:
    store = demo_tenant.store
    upn, app_name = store.con.execute(
        "SELECT userPrincipalName, appDisplayName FROM signIns WHERE errorCode <> 0 "
        "GROUP BY ALL ORDER BY count(*) DESC, 1, 2 LIMIT 1"
    ).fetchone()
    failures = _count(
        store, "errorCode <> 0 AND userPrincipalName = ? AND appDisplayName = ?", [upn, app_name]
    )
    params = {"user": upn.upper(), "app": app_name, "status": "failure", "limit": 2}
    with api.client(Role.reader) as client:
        first = client.get("/api/sign-ins", params=params).json()
        pages = [first]
        while pages[-1]["next_offset"] is not None:
            offset = pages[-1]["next_offset"]
            pages.append(client.get("/api/sign-ins", params={**params, "offset": offset}).json())
    assert first["total"] == failures and failures > 0
    items = [item for page in pages for item in page["items"]]
    assert len(items) == failures and len({i["id"] for i in items}) == failures
    assert all(i["kind"] == "signIn" and i["fields"]["errorCode"] != 0 for i in items)
    assert all(i["fields"]["userPrincipalName"] == upn for i in items)
    times = [i["fields"]["createdDateTime"] for i in items]
    assert times == sorted(times, reverse=True)


@pytest.mark.parametrize(
    "params", [{"status": "maybe"}, {"limit": 0}, {"last": "forever"}, {"error_code": -1}]
)
def test_sign_in_filters_are_checked(api: Served, params: dict[str, Any]) -> None:
    with api.client(Role.reader) as client:
        response = client.get("/api/sign-ins", params=params)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_request"


def test_sign_ins_in_the_last_day_with_an_error_code(api: Served, demo_tenant: DemoTenant) -> None:
    store = demo_tenant.store
    code = store.scalar(
        "SELECT errorCode FROM signIns WHERE errorCode <> 0 "
        "AND createdDateTime >= (SELECT max(createdDateTime) FROM signIns) - INTERVAL 1 DAY "
        "GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1"
    )
    start = store.captured_at() - timedelta(days=1)
    expected = _count(store, "errorCode = ? AND createdDateTime >= ?", [code, start])
    with api.client(Role.reader) as client:
        body = client.get("/api/sign-ins", params={"error_code": code, "last": "1d"}).json()
    assert body["total"] == expected
    assert {i["fields"]["errorCode"] for i in body["items"]} == {code}


def test_operators_prepare_proposals_that_are_recorded_and_audited(api: Served) -> None:
    with api.client(Role.reader) as client:
        risky = client.get("/api/risky-users").json()
    user = next(e for e in risky["evidence"] if e["kind"] == "riskyUser")
    with api.client(Role.operator) as client:
        created = client.post(
            "/api/proposals",
            json={"kind": "revokeSessions", "user": user["id"], "reason": "leaked password"},
        )
        wrong_kind = client.post(
            "/api/proposals", json={"kind": "removeApplicationPassword", "user": user["id"]}
        )
        listed = client.get("/api/proposals").json()
    assert created.status_code == 201
    record = created.json()
    request = record["proposal"]["request"]
    assert request["url"].endswith(f"/users/{user['id']}/revokeSignInSessions")
    assert record["user"] == "operator-user"
    assert record["proposal"]["affected"][0]["id"] == user["id"]
    assert wrong_kind.status_code == 422
    assert record["id"] in [p["id"] for p in listed]
    with api.client(Role.admin) as admin:
        trail = admin.get("/api/audit", params={"limit": 1000}).json()
    audited = [e for e in trail if e["proposal_id"] == record["id"]]
    assert [(e["user"], e["action"]) for e in audited] == [("operator-user", "proposal")]


def test_skills_and_prompts(api: Served) -> None:
    with api.client(Role.reader) as client:
        skills = client.get("/api/skills").json()
        prompts = client.get("/api/prompts").json()
    names = {s["name"] for s in skills}
    assert {"signin_troubleshoot", "posture_assessment", "ca_whatif"} <= names
    assert all(s["description"] and s["inputs"]["type"] == "object" for s in skills)
    assert {p["skill"] for p in prompts} <= names
    assert next(p for p in prompts if "<user>" in p["prompt"])["inputs"] == ["user"]
