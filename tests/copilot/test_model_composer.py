"""The composer with a model: a grounded direct answer and summary are kept, invented facts not."""

from __future__ import annotations

import json

import pytest

from idpilot.copilot.answer import Answer, AnswerStatus
from idpilot.copilot.engine import Copilot
from idpilot.copilot.model_composer import OUTPUT, Evidence, written_problems
from idpilot.copilot.request_draft import TOOL_NAME
from idpilot.llm import LLMError, ModelTurn, ScriptedModel
from idpilot.llm.data import CLOSE_TAG, OPEN_TAG, unquote_data
from idpilot.store import Store
from tests.fixture_tenant import HOSTILE, HOSTILE_NAME

PROMPT = "Who is Bob Stone?"
DIRECT = "Bob Stone is an enabled IT administrator [1] who holds Global Administrator [5]."
SUMMARY = "He last signed in on 2026-03-01 08:00 UTC from 203.0.113.7 [3] and is at high risk [6]."


def _written(direct: str = DIRECT, summary: str = SUMMARY) -> str:
    return json.dumps({"direct_answer": direct, "summary": summary})


def _about_user(name: str) -> ModelTurn:
    """The planning model's turn: a question about the user `name`."""
    request = {"scope": "tenant", "intent": "user_details", "names": {"users": [name]}}
    return ModelTurn.calling(TOOL_NAME, request)


def _ask(tenant: Store, *replies: str | LLMError, prompt: str = PROMPT) -> tuple[Answer, int]:
    model = ScriptedModel().enqueue(_about_user("Bob Stone"), *replies)
    answer = Copilot(tenant, model=model, compose=True, max_steps=0).ask(prompt)
    return answer, len(model.requests)


def _template(tenant: Store, prompt: str = PROMPT) -> str:
    return Copilot(tenant).ask(prompt).answer


def test_a_grounded_direct_answer_and_summary_go_above_the_template(tenant: Store) -> None:
    answer, requests = _ask(tenant, _written())
    assert requests == 2 and answer.limits is None
    assert answer.answer == f"{DIRECT}\n\n{SUMMARY}\n\n{_template(tenant)}"
    assert answer.trace.grounding.rejected == []
    assert [c.purpose for c in answer.trace.model_calls] == ["plan", "compose"]


@pytest.mark.parametrize(
    ("invented", "problem"),
    [
        (SUMMARY + " His manager is eve.intruder@fabrikam.test.", "absent from the evidence"),
        (SUMMARY + " Alice Brook approved it.", "absent from the evidence"),
        (SUMMARY + " He has 12 open incidents.", "a number absent from the evidence: 12"),
        (SUMMARY.replace("2026-03-01", "2026-02-14"), "a date or time absent"),
        (SUMMARY.replace("08:00", "09:45"), "a date or time absent"),
        (SUMMARY + " See [9].", "it cited [9], which the answer has not"),
        (SUMMARY + " More at https://evil.example", "web address"),
        (SUMMARY.replace("He", "[He](https://evil.example)", 1), "link or image"),
    ],
    ids=["upn", "name", "number", "date", "time", "marker", "address", "link"],
)
def test_an_invented_fact_is_rejected_twice_and_the_template_stands(
    tenant: Store, invented: str, problem: str
) -> None:
    answer, requests = _ask(tenant, _written(summary=invented), _written(summary=invented))
    assert requests == 3
    assert answer.answer == _template(tenant)
    assert answer.limits is not None
    assert answer.limits.startswith("kept the template answer: the model's answer was rejected")
    assert problem in answer.limits
    assert len(answer.trace.grounding.rejected) == 2


def test_the_retry_is_told_why_and_a_grounded_retry_is_kept(tenant: Store) -> None:
    model = ScriptedModel().enqueue(
        _about_user("Bob Stone"), _written(summary="He has 12 open incidents."), _written()
    )
    answer = Copilot(tenant, model=model, compose=True, max_steps=0).ask(PROMPT)
    assert answer.answer.startswith(DIRECT) and answer.limits is None
    retry = model.requests[2].messages
    assert retry[-1].role == "user" and "number absent from the evidence: 12" in retry[-1].content
    assert answer.trace.grounding.rejected == [
        "the model's answer: it stated a number absent from the evidence: 12"
    ]


def test_a_reply_that_is_not_the_json_asked_for_is_retried(tenant: Store) -> None:
    answer, requests = _ask(tenant, "Bob Stone is an admin.", "still prose")
    assert requests == 3 and answer.answer == _template(tenant)
    assert "not the JSON object asked for" in (answer.limits or "")


def test_a_model_error_keeps_the_template(tenant: Store) -> None:
    answer, _ = _ask(tenant, LLMError("model 'm' at http://127.0.0.1:1/v1 did not answer"))
    assert answer.answer == _template(tenant)
    assert answer.limits == (
        "kept the template answer: the model failed: model 'm' at http://127.0.0.1:1/v1 "
        "did not answer"
    )


def test_answers_without_facts_are_not_composed(tenant: Store) -> None:
    model = ScriptedModel().enqueue(_about_user("Zed Zedson"))
    answer = Copilot(tenant, model=model, compose=True, max_steps=0).ask("Who is Zed Zedson?")
    assert answer.status is AnswerStatus.not_found and len(model.requests) == 1


def test_the_evidence_reaches_the_model_only_as_quoted_data(tenant: Store) -> None:
    model = ScriptedModel().enqueue(_about_user("Bob Stone"), _written(), _written())
    Copilot(tenant, model=model, compose=True, max_steps=0).ask(PROMPT)
    _, user = model.requests[1].messages
    before, _, after = user.content.partition(OPEN_TAG)
    assert "Bob Stone" not in before and after.rstrip().endswith(CLOSE_TAG)
    data = unquote_data(user.content)
    assert data["question"] == PROMPT
    assert any("Bob Stone" in str(item["fields"]) for item in data["evidence"])


def test_tenant_text_that_reads_as_instructions_never_reaches_the_composer(
    tenant: Store,
) -> None:
    model = ScriptedModel().enqueue(_about_user(HOSTILE), _written(), _written())
    answer = Copilot(tenant, model=model, compose=True, max_steps=0).ask(f"tell me about {HOSTILE}")
    assert len(model.requests) == 1  # the plan only: no model writes over such evidence
    assert all(HOSTILE_NAME not in r.messages[0].content for r in model.requests)
    assert answer.limits is not None


def test_the_model_is_asked_for_the_json_by_its_schema(tenant: Store) -> None:
    model = ScriptedModel().enqueue(_about_user("Bob Stone"), _written())
    Copilot(tenant, model=model, compose=True, max_steps=0).ask(PROMPT)
    assert model.requests[1].output == OUTPUT
    assert set(OUTPUT.schema["properties"]) == {"direct_answer", "summary"}


def test_numbers_and_times_of_the_evidence_pass(tenant: Store) -> None:
    answer = Copilot(tenant).ask(PROMPT)
    evidence = Evidence(answer)
    assert written_problems(tenant, "Signed in 2026-03-01 08:00 UTC [3].", evidence) == []
    assert written_problems(tenant, "Signed in at 07:59 [3].", evidence) == [
        "it stated a date or time absent from the evidence: 07:59",
        "it stated a number absent from the evidence: 59",
    ]
