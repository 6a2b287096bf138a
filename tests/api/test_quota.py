"""Per-user quotas: units per UTC day; over them 429 with Retry-After and when capacity
returns; usage per user and day for admins."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from idpilot.state.costs import PROMPT_UNITS, skill_units
from idpilot.state.roles import Role
from tests.api.served import Served, served

UNITS = 3


@pytest.fixture
def tight(demo_store: Path, tmp_path: Path) -> Iterator[Served]:
    """A server whose users have 3 units a day."""
    with served(demo_store, tmp_path / "state.duckdb", quota_units_per_day=UNITS) as running:
        yield running


def _spend(client: object, times: int) -> list[int]:
    return [
        client.post("/api/kql", json={"query": "SigninLogs | count"}).status_code  # type: ignore[attr-defined]
        for _ in range(times)
    ]


def test_over_the_quota_is_429_with_retry_after_until_the_next_utc_day(tight: Served) -> None:
    with tight.client(Role.reader) as client:
        assert _spend(client, UNITS) == [200] * UNITS
        refused = client.get("/api/posture")
        assert client.get("/api/me").json()["units_used_today"] == UNITS
    assert refused.status_code == 429
    error = refused.json()["error"]
    assert error["code"] == "quota_exceeded"
    midnight = tight.clock().replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(1)
    wait = int(refused.headers["retry-after"])
    assert wait == int((midnight - tight.clock()).total_seconds())
    assert f"{UNITS} of your {UNITS} units" in error["message"]
    assert midnight.strftime("%Y-%m-%dT00:00:00Z") in error["message"]


def test_quotas_are_per_user_and_return_the_next_day(tight: Served) -> None:
    with tight.client(Role.reader) as reader, tight.client(Role.operator) as operator:
        assert _spend(reader, UNITS + 1)[-1] == 429
        assert _spend(operator, 1) == [200]  # another user's units are their own
        tight.clock.advance(timedelta(days=1))
        assert _spend(reader, 1) == [200]
    with tight.client(Role.admin) as admin:
        usage = admin.get("/api/usage").json()
    by_user_day = {(row["user"], row["day"]): row["units"] for row in usage}
    today = tight.clock().date()
    yesterday = today - timedelta(days=1)
    assert by_user_day[("reader-user", yesterday.isoformat())] == UNITS
    assert by_user_day[("reader-user", today.isoformat())] == 1
    assert by_user_day[("operator-user", yesterday.isoformat())] == 1


def test_reading_the_catalog_costs_nothing(tight: Served) -> None:
    with tight.client(Role.reader) as client:
        for _ in range(UNITS + 2):
            assert client.get("/api/skills").status_code == 200
            assert client.get("/api/prompts").status_code == 200
        assert client.get("/api/me").json()["units_used_today"] == 0


def test_a_question_costs_one_unit(tight: Served) -> None:
    with tight.client(Role.reader) as client:
        assert client.post("/api/ask", json={"prompt": "what can you do?"}).status_code == 200
        with client.stream("POST", "/api/ask/stream", json={"prompt": "what can you do?"}) as s:
            s.read()
        assert client.get("/api/me").json()["units_used_today"] == 2


def test_an_answer_is_charged_its_skills_and_a_refusal_nothing(tight: Served) -> None:
    prompt = {"prompt": "Which users are risky?"}
    cost = PROMPT_UNITS + skill_units("risky_users")
    with tight.client(Role.reader) as client:
        assert client.post("/api/ask", json=prompt).status_code == 200
        assert client.get("/api/me").json()["units_used_today"] == cost
        assert client.post("/api/ask", json=prompt).status_code == 200  # admitted: 2 of 3 used
        assert client.get("/api/me").json()["units_used_today"] == 2 * cost  # the work counts
        refused = client.post("/api/ask", json=prompt)
        assert client.get("/api/me").json()["units_used_today"] == 2 * cost
    assert refused.status_code == 429
    assert "Capacity returns at" in refused.json()["error"]["message"]
