"""Skill `docs_answer`: what Microsoft's Entra documentation says, quoted and cited by page."""

from __future__ import annotations

from pydantic import BaseModel

from idpilot.model.records import Record
from idpilot.skills.base import SkillFacts, SkillResult, Slot, define_skill, slot
from idpilot.skills.registry import SkillRegistry
from idpilot.store import Store

NAME = "docs_answer"
DOC_KIND = "doc"
SECTIONS = 3
QUOTES_FIRST = 3  # sentences quoted from the best section, then from each other one
QUOTES_OTHERS = 2


class DocPassage(SkillFacts):
    """Sentences quoted from one documentation section, and where they are published."""

    ref: str
    title: str
    section: str
    url: str
    quotes: list[str]


class DocsAnswerFacts(SkillFacts):
    """The documentation passages that answer the question (none: not in the index)."""

    question: str
    passages: list[DocPassage]
    source: str
    """The index's source repository and licence, for the attribution line."""


class DocsAnswerInput(BaseModel):
    """The question about Microsoft Entra itself."""

    question: str = slot(Slot.question, "The admin's question about Entra, in their words.")


def docs_answer(store: Store, params: DocsAnswerInput) -> SkillResult:
    """Answer a question about Entra itself by quoting Microsoft's documentation, cited by page."""
    from idpilot.knowledge.docs import default_docs_index  # loads the index on first use
    from idpilot.knowledge.docs.quotes import quoted_sentences

    index = default_docs_index()
    result = SkillResult(skill=NAME)
    passages = []
    for rank, hit in enumerate(index.search(params.question, limit=SECTIONS)):
        section = hit.section
        quotes = quoted_sentences(
            section.text,
            hit.terms,
            QUOTES_FIRST if rank == 0 else QUOTES_OTHERS,
            question=params.question,
        )
        result.add_evidence(
            Record(
                kind=DOC_KIND,
                id=section.url,
                label=f"{section.title} › {section.heading}"
                if section.heading != section.title
                else section.title,
                fields={
                    "title": section.title,
                    "section": section.heading,
                    "url": section.url,
                    "commit": section.commit,
                    "quotes": quotes,
                },
            )
        )
        passages.append(
            DocPassage(
                ref=section.url, title=section.title, section=section.heading,
                url=section.url, quotes=quotes,
            )
        )  # fmt: skip
    result.facts = DocsAnswerFacts(
        question=params.question,
        passages=passages,
        source=f"{index.header['source']} ({index.header['licence']})",
    )
    return result


def register(registry: SkillRegistry) -> None:
    """Register `docs_answer`."""
    registry.add(
        define_skill(
            docs_answer,
            name=NAME,
            facts=DocsAnswerFacts,
            keywords={
                "documentation": 2.0,
                "docs": 2.0,
                "difference between": 1.5,
                "how does": 1.0,
                "what is": 0.5,
                "which licence": 2.0,
                "which license": 2.0,
                "how do i set up": 1.5,
            },
        )
    )
