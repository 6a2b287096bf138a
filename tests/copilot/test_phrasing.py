"""Optional LLM phrasing: a rewording replaces the template only when it says the same things."""

from __future__ import annotations

import pytest

from idpilot.copilot.answer import Answer, AnswerStatus
from idpilot.copilot.engine import Copilot
from idpilot.copilot.phrasing import phrase_with_model, phrasing_problems
from idpilot.copilot.request_draft import TOOL_NAME
from idpilot.llm import LLMError, ModelTurn, ScriptedModel
from idpilot.llm.data import CLOSE_TAG, OPEN_TAG, unquote_data
from idpilot.store import Store
from tests.fixture_tenant import HOSTILE, HOSTILE_NAME

GOOD = (
    "Bob Stone (bob.stone@fabrikam.test) is an enabled IT administrator [1] who registered "
    "Authenticator push [2]. He last signed in on 2026-03-01 08:00 UTC from 203.0.113.7 in "
    "Oslo [3]. He belongs to Finance Approvers [4], holds Global Administrator [5], and is "
    "at high risk [6]."
)


def _about_user(name: str) -> ModelTurn:
    """The planning model's turn: a question about the user `name`."""
    request = {"scope": "tenant", "intent": "user_details", "names": {"users": [name]}}
    return ModelTurn.calling(TOOL_NAME, request)


def _ask(tenant: Store, rewording: str | LLMError, prompt: str = "Who is Bob Stone?") -> Answer:
    model = ScriptedModel().enqueue(_about_user("Bob Stone"), rewording)
    answer = Copilot(tenant, model=model, phrase=True, max_steps=0).ask(f"{prompt}")
    assert len(model.requests) == 2
    return answer


def _template(tenant: Store, prompt: str = "Who is Bob Stone?") -> str:
    return Copilot(tenant).ask(prompt).answer


def test_a_faithful_rewording_replaces_the_template(tenant: Store) -> None:
    answer = _ask(tenant, GOOD)
    assert answer.status is AnswerStatus.ok and answer.limits is None
    assert answer.answer == GOOD + "\n"
    assert [c.n for c in answer.citations] == [1, 2, 3, 4, 5, 6]


@pytest.mark.parametrize(
    ("rewording", "problem"),
    [
        (GOOD.replace(" [2]", ""), "it dropped [2]"),
        (GOOD + " See also [7].", "it added [7]"),
        (GOOD + " His manager is eve.intruder@fabrikam.test.", "absent from the evidence"),
        (GOOD + " Alice Brook approved it.", "absent from the evidence"),
        (GOOD + " He has 12 open incidents.", "numbers the answer did not"),
        (GOOD.replace("Bob Stone", "[Bob Stone](https://evil.example)", 1), "link or image"),
        (GOOD + " ![x](https://evil.example/p.png)", "link or image"),
        (GOOD + "\n\n[1]: https://evil.example", "link or image"),
        (GOOD.replace("Bob Stone", "<b>Bob Stone</b>", 1), "HTML"),
        (GOOD + " Details at www.evil.example", "web address"),
        ("   ", "it was empty"),
    ],
    ids=[
        "dropped-marker",
        "added-marker",
        "invented-upn",
        "uncited-name",
        "invented-number",
        "link",
        "image",
        "link-definition",
        "html",
        "web-address",
        "empty",
    ],
)
def test_an_unfaithful_rewording_keeps_the_template(
    tenant: Store, rewording: str, problem: str
) -> None:
    answer = _ask(tenant, rewording)
    assert answer.answer == _template(tenant)
    assert answer.limits is not None
    assert answer.limits.startswith("kept the template wording: the model's rewording")
    assert problem in answer.limits


def test_a_failing_endpoint_keeps_the_template(tenant: Store) -> None:
    answer = _ask(tenant, LLMError("model 'm' at http://127.0.0.1:1/v1 did not answer"))
    assert answer.answer == _template(tenant)
    assert answer.limits == (
        "kept the template wording: model 'm' at http://127.0.0.1:1/v1 did not answer"
    )


def test_phrasing_is_off_unless_enabled(tenant: Store) -> None:
    model = ScriptedModel().enqueue(_about_user("Bob Stone"))
    answer = Copilot(tenant, model=model, phrase=False, max_steps=0).ask("Who is Bob Stone?")
    assert answer.answer == _template(tenant) and len(model.requests) == 1


def test_only_answers_with_facts_are_reworded(tenant: Store) -> None:
    model = ScriptedModel().enqueue(_about_user("Zed Zedson"))
    answer = Copilot(tenant, model=model, phrase=True, max_steps=0).ask("Who is Zed Zedson?")
    assert answer.status is AnswerStatus.not_found and len(model.requests) == 1


def test_the_answer_and_evidence_reach_the_model_only_as_quoted_data(tenant: Store) -> None:
    prompt = f"tell me about {HOSTILE}"
    model = ScriptedModel().enqueue(_about_user(HOSTILE), "[click me](http://evil.example)")
    answer = Copilot(tenant, model=model, phrase=True, max_steps=0).ask(prompt)
    # The name reads as instructions: no model rewords an answer over it.
    assert len(model.requests) == 1 and answer.answer == _template(tenant, prompt)
    assert "ignored text in tenant data" in (answer.limits or "")
    # Were it reworded, the answer and its evidence would be one quoted block.
    rewording = ScriptedModel().enqueue("[click me](http://evil.example)")
    phrase_with_model(rewording, answer.answer, answer.evidence)
    system, user = rewording.requests[0].messages
    assert "click me" not in system.content
    before, _, after = user.content.partition(OPEN_TAG)
    assert "click me" not in before and after.rstrip().endswith(CLOSE_TAG)
    data = unquote_data(user.content)
    assert data["answer_markdown"] == answer.answer
    assert any(HOSTILE_NAME in str(item["fields"]) for item in data["evidence"])


def test_checks_compare_citation_markers_not_escaped_brackets(tenant: Store) -> None:
    original = r"Group \[1\] has one member [1]."
    assert phrasing_problems(tenant, original, "One member [1].", []) == []
    assert phrasing_problems(tenant, original, r"Group \[1\] has one member.", []) == [
        "it dropped [1]"
    ]
