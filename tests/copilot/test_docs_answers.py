"""Documentation questions through the copilot: routed to the docs, quoted, cited by URL."""

from __future__ import annotations

import pytest
from rich.console import Console

from idpilot.cli import _output as output_module
from idpilot.cli import ask as ask_command
from idpilot.copilot.answer import AnswerStatus, citation_markers
from idpilot.copilot.engine import Copilot
from idpilot.copilot.grounding import ungrounded_entities
from idpilot.knowledge.docs.sections import LEARN_BASE


@pytest.mark.parametrize(
    ("prompt", "page"),
    [
        (
            "what's the difference between sign-in risk and user risk?",
            "id-protection/concept-risk-detection-types",
        ),
        ("how do I set up number matching?", "identity/authentication/how-to-mfa-number-match"),
        (
            "which licence do I need for risk-based policies?",
            "id-protection/overview-identity-protection",
        ),
    ],
)
def test_a_question_about_entra_is_answered_from_the_docs(
    copilot: Copilot, prompt: str, page: str
) -> None:
    answer = copilot.ask(prompt)
    assert answer.status is AnswerStatus.ok
    assert [s.name for s in answer.skills] == ["docs_answer"]
    assert {c.kind for c in answer.citations} == {"doc"}
    assert all(c.url and c.url.startswith(LEARN_BASE) for c in answer.citations)
    assert LEARN_BASE + page in {c.url.split("#")[0] for c in answer.citations}
    assert sorted(set(citation_markers(answer.answer))) == [c.n for c in answer.citations]
    assert "CC BY 4.0" in answer.answer


def test_the_grounding_check_accepts_doc_citations(copilot: Copilot) -> None:
    answer = copilot.ask("how long is a temporary access pass valid by default?")
    assert answer.citations and answer.evidence
    assert ungrounded_entities(copilot.store, answer.answer, answer.evidence, answer.prompt) == []


def test_the_grounding_check_rejects_a_name_no_doc_quotes(copilot: Copilot) -> None:
    answer = copilot.ask("how long is a temporary access pass valid by default?")
    invented = answer.answer + "\nSee also 10.1.2.3 and admin@contoso.example."
    assert ungrounded_entities(copilot.store, invented, answer.evidence) == [
        "10.1.2.3",
        "admin@contoso.example",
    ]


def test_a_doc_citation_prints_with_its_url(
    copilot: Copilot, monkeypatch: pytest.MonkeyPatch
) -> None:
    console = Console(record=True, width=400)
    monkeypatch.setattr(ask_command, "console", console)
    monkeypatch.setattr(output_module, "console", console)  # the sources are printed there
    answer = copilot.ask("how do I set up number matching?")
    ask_command.print_answer(answer)
    printed = console.export_text()
    assert f"[1] doc {answer.citations[0].url}" in printed


def test_an_unrelated_question_is_still_out_of_scope(copilot: Copilot) -> None:
    answer = copilot.ask("give me a recipe for lasagne")
    assert answer.status is AnswerStatus.out_of_scope and answer.skills == []
