"""Chat sessions over the API: begun, listed, read back; follow-ups asked in a session point
back at its earlier turns across requests; a user sees only their own sessions."""

from __future__ import annotations

from typing import Any

import httpx

from idpilot.state.roles import Role
from tests.api.served import Served
from tests.conftest import DemoTenant


def _bob(demo_tenant: DemoTenant) -> dict[str, Any]:
    bob: dict[str, Any] = demo_tenant.answer_key["personas"]["bob"]
    return bob


def _ask(client: httpx.Client, prompt: str, session_id: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"prompt": prompt}
    if session_id is not None:
        body["session_id"] = session_id
    response = client.post("/api/ask", json=body)
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def test_a_follow_up_in_a_session_points_back_across_requests(
    api: Served, demo_tenant: DemoTenant
) -> None:
    bob = _bob(demo_tenant)
    with api.client(Role.reader) as client:
        created = client.post("/api/sessions", json={"title": "Bob"})
        assert created.status_code == 201, created.text
        session = created.json()
        first = _ask(client, f"Who is {bob['displayName']}?", session["id"])
        follow_up = _ask(client, "what groups is he in?", session["id"])
        alone = _ask(client, "what groups is he in?")
        read = client.get(f"/api/sessions/{session['id']}").json()
        mine = client.get("/api/sessions").json()
    assert follow_up["status"] == "ok" and follow_up["session_id"] == session["id"]
    assert bob["id"] in {c["id"] for c in follow_up["citations"]}
    assert alone["status"] != "ok"  # without the session, "he" names nobody
    assert [t["prompt"] for t in read["history"]] == [first["prompt"], follow_up["prompt"]]
    assert [t["turn"] for t in read["history"]] == [1, 2]
    turn = read["history"][1]
    assert turn["answer"]["answer_id"] == follow_up["answer_id"]
    assert turn["answer"]["trace"]["steps"], "the plan and its steps are kept"
    assert turn["cited"] == [f"{c['kind']}:{c['id']}" for c in follow_up["citations"]]
    assert turn["evidence_ids"] and turn["latency_ms"] > 0 and turn["intent"]
    assert (read["title"], read["turns"], read["user"]) == ("Bob", 2, "reader-user")
    assert session["id"] in [s["id"] for s in mine]


def test_a_session_followed_up_in_a_stream(api: Served, demo_tenant: DemoTenant) -> None:
    bob = _bob(demo_tenant)
    with api.client(Role.reader) as client:
        session = client.post("/api/sessions").json()
        _ask(client, f"Who is {bob['displayName']}?", session["id"])
        streamed = client.post(
            "/api/ask/stream", json={"prompt": "what groups is he in?", "session_id": session["id"]}
        )
        read = client.get(f"/api/sessions/{session['id']}").json()
    assert streamed.status_code == 200 and "event: answer" in streamed.text
    assert read["turns"] == 2 and read["history"][1]["status"] == "ok"


def test_users_see_only_their_own_sessions_and_admins_all(api: Served) -> None:
    with api.client(Role.operator) as client:
        theirs = client.post("/api/sessions").json()
    with api.client(Role.reader) as client:
        read = client.get(f"/api/sessions/{theirs['id']}")
        asked = client.post(
            "/api/ask", json={"prompt": "who is risky?", "session_id": theirs["id"]}
        )
        listed = client.get("/api/sessions").json()
        everyone = client.get("/api/sessions", params={"all": "true"})
    with api.client(Role.admin) as client:
        admin_read = client.get(f"/api/sessions/{theirs['id']}")
        admin_all = client.get("/api/sessions", params={"all": "true"}).json()
        admin_own = client.get("/api/sessions").json()
    assert read.status_code == asked.status_code == 404
    assert read.json()["error"]["code"] == "not_found"
    assert theirs["id"] not in [s["id"] for s in listed]
    assert all(s["user"] == "reader-user" for s in listed)
    assert everyone.status_code == 403
    assert admin_read.status_code == 200 and admin_read.json()["user"] == "operator-user"
    assert theirs["id"] in [s["id"] for s in admin_all]
    assert theirs["id"] not in [s["id"] for s in admin_own]


def test_a_session_title_has_a_length_limit(api: Served) -> None:
    with api.client(Role.reader) as client:
        response = client.post("/api/sessions", json={"title": "t" * 201})
    assert response.status_code == 422
    assert response.json()["error"]["message"].startswith("title:")
