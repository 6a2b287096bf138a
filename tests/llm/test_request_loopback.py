"""The model fills the Request over real HTTP (openai SDK, loopback server); idpilot checks it."""

from __future__ import annotations

import json
from typing import Any

import pytest

from idpilot.copilot.engine import Copilot
from idpilot.copilot.request_draft import TOOL_NAME
from idpilot.llm import OpenAICompatibleModel
from idpilot.store import Store
from tests.fixture_tenant import BOB
from tests.llm.openai_server import OpenAIServer, tool_calls_reply

WHY = "why did Bob Stone fail to sign in yesterday?"
COMPOUND = "why did Bob Stone fail to sign in yesterday, and is he risky?"
YESTERDAY = {"start": "2026-03-01T00:00:00Z", "end": "2026-03-02T00:00:00Z", "phrase": "yesterday"}
TROUBLESHOOT = {
    "scope": "tenant",
    "intent": "signin_troubleshoot",
    "names": {"users": ["Bob Stone"]},
    "time_phrase": "yesterday",
}
PARTS = [
    {"question": "why did Bob Stone fail to sign in yesterday", "intent": "signin_troubleshoot"},
    {"question": "is he risky?", "intent": "risky_user_summary"},
]


def _copilot(server: OpenAIServer, tenant: Store) -> Copilot:
    model = OpenAICompatibleModel(base_url=server.url, name="test-model", max_retries=0)
    return Copilot(tenant, model=model, phrase=False, max_steps=0)


@pytest.mark.parametrize(
    ("prompt", "arguments", "skills", "limits"),
    [
        (
            WHY,
            TROUBLESHOOT,
            [("signin_troubleshoot", {"user": BOB, "window": YESTERDAY})],
            None,
        ),
        (
            COMPOUND,
            {**TROUBLESHOOT, "parts": PARTS},
            [
                ("signin_troubleshoot", {"user": BOB, "window": YESTERDAY}),
                ("risky_user_summary", {"user": BOB}),
            ],
            None,
        ),
        (
            WHY,
            {**TROUBLESHOOT, "names": {"users": ["Mallory Smith"]}},
            [("signin_troubleshoot", {"user": BOB, "window": YESTERDAY})],
            "planned offline: the model named a user ('Mallory Smith') the conversation did not",
        ),
        (
            WHY,
            {**TROUBLESHOOT, "time_phrase": "last month"},
            [("signin_troubleshoot", {"user": BOB, "window": YESTERDAY})],
            "planned offline: the model's time phrase 'last month' is not in the prompt",
        ),
        (
            WHY,
            {**TROUBLESHOOT, "intent": "reset_password"},
            [("signin_troubleshoot", {"user": BOB, "window": YESTERDAY})],
            "planned offline: the model read an unknown intent 'reset_password'",
        ),
    ],
    ids=["valid", "compound", "invented-name", "window-not-in-prompt", "unknown-intent"],
)
def test_the_model_fills_the_request_over_http(
    openai_server: OpenAIServer,
    tenant: Store,
    prompt: str,
    arguments: dict[str, Any],
    skills: list[tuple[str, dict[str, Any]]],
    limits: str | None,
) -> None:
    for _ in range(2):  # an invalid request is repaired once: the model sends the same again
        openai_server.reply(tool_calls_reply((TOOL_NAME, json.dumps(arguments))))
    answer = _copilot(openai_server, tenant).ask(prompt)
    assert [(s.name, s.params) for s in answer.skills] == skills
    assert answer.limits == limits
    repaired = limits is not None and "unknown intent" in limits
    assert len(openai_server.requests) == (2 if repaired else 1)
    body = openai_server.requests[0]
    assert [t["function"]["name"] for t in body["tools"]] == [TOOL_NAME]
    assert body["messages"][-1] == {"role": "user", "content": prompt}
    inputs = json.dumps([s.params for s in answer.skills])
    assert prompt not in inputs and all(p["question"] not in inputs for p in PARTS)


def test_a_slow_model_falls_back_offline(openai_server: OpenAIServer, tenant: Store) -> None:
    openai_server.reply(tool_calls_reply((TOOL_NAME, json.dumps(TROUBLESHOOT))), delay=1.0)
    model = OpenAICompatibleModel(
        base_url=openai_server.url, name="test-model", max_retries=0, timeout=0.2
    )
    answer = Copilot(tenant, model=model, phrase=False, max_steps=0).ask(WHY)
    assert [(s.name, s.params) for s in answer.skills] == [
        ("signin_troubleshoot", {"user": BOB, "window": YESTERDAY})
    ]
    assert "planned offline: the model failed" in (answer.limits or "")
    assert "did not answer within 0.2 s" in (answer.limits or "")
