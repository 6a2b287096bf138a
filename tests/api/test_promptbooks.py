"""Promptbooks over the API: listed with their steps, run in a session of the caller's with
each step kept as a turn and charged one unit, refused precisely when asked wrongly."""

from __future__ import annotations

from idpilot.state.roles import Role
from tests.api.served import Served
from tests.conftest import DemoTenant


def test_the_built_ins_are_listed_with_step_ids(api: Served) -> None:
    with api.client(Role.reader) as client:
        listed = client.get("/api/promptbooks").json()
    books = {book["name"]: book for book in listed}
    assert len(books) == 5
    spray = books["respond-to-password-spray"]
    assert [s["id"] for s in spray["steps"]] == ["spray", "source", "victim", "gaps"]
    assert spray["parameters"][0] == {
        "name": "days",
        "description": "how many days back to look",
        "required": False,
        "default": "7",
    }


def test_a_run_is_kept_as_a_session_and_costs_a_unit_a_step(
    api: Served, demo_tenant: DemoTenant
) -> None:
    upn = demo_tenant.store.query(
        "SELECT userPrincipalName AS upn FROM riskyUsers WHERE riskState = 'atRisk' "
        "ORDER BY riskLevel = 'high' DESC, userPrincipalName LIMIT 1"
    )[0]["upn"]
    with api.client(Role.reader) as client:
        session = client.post("/api/sessions", json={"title": "triage"}).json()
        before = client.get("/api/me").json()["units_used_today"]
        response = client.post(
            "/api/promptbooks/investigate-risky-user/run",
            json={"parameters": {"user": upn}, "session_id": session["id"]},
        )
        after = client.get("/api/me").json()["units_used_today"]
        read = client.get(f"/api/sessions/{session['id']}").json()
        follow_up = client.post(
            "/api/ask", json={"prompt": "what groups is this user in?", "session_id": session["id"]}
        ).json()
    assert response.status_code == 200, response.text
    run = response.json()
    assert run["stopped"] is None and run["session_id"] == session["id"]
    assert all(s["answer"]["status"] == "ok" and s["answer"]["citations"] for s in run["steps"])
    assert upn in run["steps"][0]["prompt"]
    assert after - before == len(run["steps"])
    assert [t["answer"]["answer_id"] for t in read["history"]] == [
        s["answer"]["answer_id"] for s in run["steps"]
    ]
    assert follow_up["status"] == "ok"  # the session remembers whom the run was about
    assert upn in follow_up["answer"] or upn in str(follow_up["evidence"])


def test_a_run_without_a_session_begins_one_titled_after_the_promptbook(api: Served) -> None:
    with api.client(Role.operator) as client:
        run = client.post("/api/promptbooks/tenant-posture-review/run", json={}).json()
        mine = client.get("/api/sessions").json()
    assert [s["title"] for s in mine if s["id"] == run["session_id"]] == ["Tenant posture review"]
    assert len(run["steps"]) == 6 and run["stopped"] is None


def test_wrong_runs_are_refused_precisely(api: Served) -> None:
    with api.client(Role.reader) as client:
        unknown = client.post("/api/promptbooks/nope/run", json={})
        missing = client.post("/api/promptbooks/investigate-risky-user/run", json={})
        extra = client.post(
            "/api/promptbooks/tenant-posture-review/run", json={"parameters": {"dayz": "3"}}
        )
        long = client.post(
            "/api/promptbooks/investigate-risky-user/run",
            json={"parameters": {"user": "x" * 201}},
        )
        someone_elses = client.post(
            "/api/promptbooks/tenant-posture-review/run", json={"session_id": "f" * 32}
        )
    assert unknown.status_code == someone_elses.status_code == 404
    assert "tenant-posture-review" in unknown.json()["error"]["message"]
    assert missing.status_code == extra.status_code == long.status_code == 422
    assert "needs the parameter user" in missing.json()["error"]["message"]
    assert "has no parameter 'dayz'" in extra.json()["error"]["message"]
