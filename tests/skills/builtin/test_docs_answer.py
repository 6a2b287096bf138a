"""Skill `docs_answer`: quotes documentation sections verbatim, cites them as `doc` records."""

from __future__ import annotations

from idpilot.knowledge.docs import default_docs_index
from idpilot.skills.builtin.docs_answer import DOC_KIND, DocsAnswerInput, docs_answer
from idpilot.store import Store


def test_quotes_are_sentences_of_the_cited_sections(store: Store) -> None:
    result = docs_answer(store, DocsAnswerInput(question="how do I set up number matching?"))
    texts = {s.url: s.text for s in default_docs_index().sections}
    assert result.facts.passages and result.evidence
    assert {r.kind for r in result.evidence} == {DOC_KIND}
    for record, passage in zip(result.evidence, result.facts.passages, strict=True):
        assert record.id == passage.url == record.fields["url"]
        assert passage.quotes and all(q in texts[passage.url] for q in passage.quotes)
        assert record.fields["quotes"] == passage.quotes
    assert "how-to-mfa-number-match" in result.facts.passages[0].url


def test_a_question_the_docs_do_not_cover_has_no_passage(store: Store) -> None:
    result = docs_answer(store, DocsAnswerInput(question="give me a recipe for lasagne"))
    assert result.facts.passages == [] and result.evidence == []
