"""`POST /api/ask/stream`: the answer as server-sent events, parsed one by one, ending with
the Answer whose citations all point at its evidence."""

from __future__ import annotations

import json
from typing import Any

import httpx

from idpilot.state.roles import Role
from tests.api.served import Served


def events(response: httpx.Response) -> list[tuple[str, Any]]:
    """The stream's events as (name, parsed data), read line by line as a client would."""
    found: list[tuple[str, Any]] = []
    name, data = "message", []
    for line in response.iter_lines():
        if line == "":
            if data:
                found.append((name, json.loads("\n".join(data))))
            name, data = "message", []
        elif line.startswith("event:"):
            name = line.removeprefix("event:").strip()
        elif line.startswith("data:"):
            data.append(line.removeprefix("data:").lstrip(" "))
    if data:
        found.append((name, json.loads("\n".join(data))))
    return found


def _risky_user(api: Served) -> str:
    """The UPN of the most urgent risky user, as the API lists them."""
    with api.client(Role.reader) as client:
        answer = client.get("/api/risky-users").json()
    first = next(e for e in answer["evidence"] if e["kind"] == "riskyUser")
    return str(first["fields"]["userPrincipalName"])


def test_the_stream_ends_with_a_cited_answer(api: Served) -> None:
    upn = _risky_user(api)
    prompt = f"Summarize the risk for {upn}"
    with (
        api.client(Role.reader) as client,
        client.stream("POST", "/api/ask/stream", json={"prompt": prompt}) as response,
    ):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        got = events(response)
    names = [name for name, _ in got]
    assert names[0] == "plan" and names[-1] == "answer"
    assert names.index("skill") < names.index("evidence") < names.index("text")
    assert set(names) == {"plan", "skill", "evidence", "text", "answer"}
    plan = got[0][1]
    assert [s["name"] for s in plan["skills"]] == ["risky_user_summary"]
    answer = got[-1][1]
    assert answer["prompt"] == prompt and answer["status"] == "ok" and answer["answer_id"]
    assert "".join(data["text"] for name, data in got if name == "text") == answer["answer"]
    evidence = dict(got)["evidence"]
    assert evidence["evidence"] == answer["evidence"]
    assert answer["citations"], "the answer cites its records"
    cited = {(c["kind"], c["id"]) for c in answer["citations"]}
    assert cited <= {(e["kind"], e["id"]) for e in answer["evidence"]}
    assert upn in answer["answer"]


def test_a_question_back_streams_without_skills(api: Served) -> None:
    with (
        api.client(Role.reader) as client,
        client.stream("POST", "/api/ask/stream", json={"prompt": "what can you do?"}) as s,
    ):
        got = events(s)
    assert got[0] == ("plan", {"step": "plan", "skills": [], "window": None})
    assert got[-1][0] == "answer" and "skill" not in [name for name, _ in got]


def test_the_stream_and_the_json_answer_agree(api: Served) -> None:
    prompt = "Which users are risky?"
    with api.client(Role.reader) as client:
        plain = client.post("/api/ask", json={"prompt": prompt}).json()
        with client.stream("POST", "/api/ask/stream", json={"prompt": prompt}) as s:
            streamed = events(s)[-1][1]
    for key in ("answer", "citations", "evidence", "skills", "status"):
        assert plain[key] == streamed[key], key
    assert plain["answer_id"] != streamed["answer_id"]


def test_prompts_and_answers_are_audited_with_the_caller(api: Served) -> None:
    prompt = "Which users are risky? (audit check)"
    with api.client(Role.reader) as client:
        answer_id = client.post("/api/ask", json={"prompt": prompt}).json()["answer_id"]
    with api.client(Role.admin) as admin:
        trail = admin.get("/api/audit", params={"limit": 1000}).json()
    mine = [e for e in trail if e["answer_id"] == answer_id]
    assert len(mine) == 1
    assert mine[0]["prompt"] == prompt and mine[0]["user"] == "reader-user"
    assert mine[0]["action"] == "ask" and mine[0]["role"] == "reader"
