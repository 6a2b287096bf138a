"""A question asked again about the same store version is answered from the kept answer."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from idpilot.api.answer_cache import AnswerCache
from idpilot.copilot.answer import Answer
from idpilot.copilot.engine import Copilot
from idpilot.state.roles import Role
from tests.api.served import served


def test_a_repeated_question_is_not_worked_out_again(
    demo_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []
    real_ask = Copilot.ask

    def counting(self: Copilot, prompt: str, *args: object, **kwargs: object):
        asked.append(prompt)
        return real_ask(self, prompt, *args, **kwargs)

    monkeypatch.setattr(Copilot, "ask", counting)
    state = tmp_path / "state.duckdb"
    with (
        served(demo_store, state, answers=AnswerCache(8)) as api,
        api.client(Role.reader) as client,
    ):
        first, again, spaced = (
            client.post("/api/ask", json={"prompt": p}).json()
            for p in ("who are the global admins?",) * 2 + ("who are  the global admins? ",)
        )
        assert len(asked) == 1  # worked out once
        assert first["answer"] == again["answer"] == spaced["answer"]
        assert len({first["answer_id"], again["answer_id"], spaced["answer_id"]}) == 3
        os.utime(demo_store)  # a new version of the store: its answers are new
        client.post("/api/ask", json={"prompt": "who are the global admins?"})
        assert len(asked) == 2


def test_the_cache_keeps_at_most_its_bound(tmp_path: Path) -> None:
    store = tmp_path / "store.duckdb"
    store.write_bytes(b"x")
    cache = AnswerCache(1)
    first, second = cache.key(store, "a"), cache.key(store, "b")
    cache.put(first, Answer(prompt="a", answer="A", session_id=""))
    cache.put(second, Answer(prompt="b", answer="B", session_id=""))
    assert cache.get(first) is None and cache.get(second).answer == "B"
    assert AnswerCache(0).key(store, "a") is None  # 0 entries: no cache
