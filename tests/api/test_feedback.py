"""`POST /api/feedback` on an answer the caller was given, `GET /api/feedback` for admins:
each feedback with the prompt, intent, skill, status and citations of its answer."""

from __future__ import annotations

from typing import Any

from idpilot.state.roles import Role
from tests.api.served import Served

PROMPT = "which users are at high risk?"


def _asked(api: Served, role: Role = Role.reader) -> dict[str, Any]:
    with api.client(role) as client:
        response = client.post("/api/ask", json={"prompt": PROMPT})
    assert response.status_code == 200, response.text
    return response.json()


def test_feedback_is_kept_and_listed_with_its_answer(api: Served) -> None:
    answer = _asked(api)
    sent = {
        "answer_id": answer["answer_id"],
        "rating": "down",
        "category": "incomplete",
        "comment": "It did not say when the risk began.",
    }
    with api.client(Role.reader) as client:
        created = client.post("/api/feedback", json=sent)
    assert created.status_code == 201, created.text
    kept = created.json()
    assert {k: kept[k] for k in sent} == sent and kept["user"] == "reader-user"
    with api.client(Role.admin) as client:
        listed = client.get("/api/feedback").json()
    [report] = [r for r in listed if r["answer_id"] == answer["answer_id"]]
    assert report["prompt"] == PROMPT and report["status"] == answer["status"]
    assert report["intent"] == answer["trace"]["intent"] and report["intent"]
    assert report["skill"] == answer["skills"][0]["name"]
    assert report["cited"] == [f"{c['kind']}:{c['id']}" for c in answer["citations"]]
    assert report["cited"], "the answer cited records"


def test_an_answer_of_a_tenant_route_can_be_rated_up(api: Served) -> None:
    with api.client(Role.reader) as client:
        posture = client.get("/api/posture").json()
        response = client.post(
            "/api/feedback", json={"answer_id": posture["answer_id"], "rating": "up"}
        )
    assert response.status_code == 201, response.text
    assert response.json()["category"] is None


def test_a_down_rating_without_a_category_is_refused_precisely(api: Served) -> None:
    answer = _asked(api)
    with api.client(Role.reader) as client:
        response = client.post(
            "/api/feedback",
            json={"answer_id": answer["answer_id"], "rating": "down", "category": None},
        )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_request"
    assert error["message"].startswith("category: a down rating needs a category")
    assert "inaccurate, incomplete, unclear, offensive, other" in error["message"]


def test_unknown_values_and_long_comments_are_refused(api: Served) -> None:
    answer_id = _asked(api)["answer_id"]
    with api.client(Role.reader) as client:
        wrong_category = client.post(
            "/api/feedback", json={"answer_id": answer_id, "rating": "down", "category": "rude"}
        )
        long_comment = client.post(
            "/api/feedback",
            json={"answer_id": answer_id, "rating": "up", "comment": "x" * 2_001},
        )
        extra = client.post(
            "/api/feedback", json={"answer_id": answer_id, "rating": "up", "stars": 5}
        )
    for response in (wrong_category, long_comment, extra):
        assert response.status_code == 422, response.text
    assert "category" in wrong_category.json()["error"]["message"]
    assert "comment" in long_comment.json()["error"]["message"]


def test_an_unknown_or_another_users_answer_is_not_found(api: Served) -> None:
    theirs = _asked(api, Role.operator)["answer_id"]
    with api.client(Role.reader) as client:
        unknown = client.post("/api/feedback", json={"answer_id": "0" * 32, "rating": "up"})
        other = client.post("/api/feedback", json={"answer_id": theirs, "rating": "up"})
    with api.client(Role.admin) as client:
        admin = client.post("/api/feedback", json={"answer_id": theirs, "rating": "up"})
    assert unknown.status_code == other.status_code == 404
    assert unknown.json()["error"]["code"] == "not_found"
    assert admin.status_code == 201
