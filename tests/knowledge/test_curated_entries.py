"""idpilot's curated entries: coverage, completeness and our own wording."""

from __future__ import annotations

import re

import pytest

from idpilot.knowledge import ErrorCatalog, ErrorCategory, WhoFixes

# fmt: off
REQUIRED = (
    50053, 50055, 50056, 50057, 50058, 50059, 50064, 50072, 50074, 50076, 50079, 50097, 50105,
    50125, 50126, 50128, 50129, 50131, 50132, 50133, 50140, 50143, 50144, 50155, 50158, 50173,
    50199, 51004, 52004, 53000, 53001, 53002, 53003, 53004, 530032, 530034, 530035, 54005, 65001,
    65004, 70000, 70001, 70008, 70011, 70043, 70044, 7000215, 7000222, 700016, 700024, 700082,
    7000112, 90072, 90094, 90095, 500011, 500014, 500133, 50034, 50011, 50012, 50020, 81010,
    81012, 80014, 16000, 50107, 50177, 530002, 530003,
)
# fmt: on
# 399284 is left out on purpose: not in the published table and its meaning is not certain.
INTERRUPTS = (50072, 50074, 50076, 50097, 50125, 50140, 50058, 65001, 70043, 70044, 50199)
NOT_INTERRUPTS = (50053, 50126, 50057, 53003, 53000, 50105, 7000222, 90094, 50173)
MIN_COPIED_CHARS = 40
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def test_at_least_seventy_codes_are_curated(catalog: ErrorCatalog) -> None:
    assert len(catalog.curated) >= 70


@pytest.mark.parametrize("code", REQUIRED)
def test_required_code_is_curated_with_every_field(catalog: ErrorCatalog, code: str) -> None:
    entry = catalog.get(code)
    assert entry is not None and entry.curated is not None, code
    curated = entry.curated
    assert curated.title.strip() and curated.cause.strip()
    assert isinstance(curated.category, ErrorCategory)
    assert curated.who_fixes and all(isinstance(w, WhoFixes) for w in curated.who_fixes)
    assert curated.fix and all(step.strip() for step in curated.fix)
    assert isinstance(curated.is_interrupt, bool)
    assert curated.severity_hint is not None


def test_causes_are_one_to_three_sentences(catalog: ErrorCatalog) -> None:
    for entry in catalog.curated:
        sentences = [s for s in _SENTENCE.split(entry.curated.cause.strip()) if s]
        assert 1 <= len(sentences) <= 3, entry.code


def test_related_codes_exist_and_differ(catalog: ErrorCatalog) -> None:
    for entry in catalog.curated:
        for other in entry.curated.related:
            assert other in catalog, (entry.code, other)
            assert other != entry.code


@pytest.mark.parametrize("code", INTERRUPTS)
def test_interrupt_codes_are_flagged(catalog: ErrorCatalog, code: int) -> None:
    assert catalog.get(code).curated.is_interrupt


@pytest.mark.parametrize("code", NOT_INTERRUPTS)
def test_failure_codes_are_not_interrupts(catalog: ErrorCatalog, code: int) -> None:
    assert not catalog.get(code).curated.is_interrupt


def _normalise(text: str) -> str:
    return " ".join(text.lower().split())


def test_curated_text_does_not_copy_microsofts_message(
    catalog: ErrorCatalog, csv_rows: list[dict[str, str]]
) -> None:
    messages = {int(row["code"]): _normalise(row["message_plain"]) for row in csv_rows}
    sentences = {
        sentence
        for message in messages.values()
        for sentence in _SENTENCE.split(message)
        if len(sentence) > MIN_COPIED_CHARS
    }
    for entry in catalog.curated:
        curated = entry.curated
        cause = _normalise(curated.cause)
        message = messages.get(entry.code, "")
        if len(message) > MIN_COPIED_CHARS:
            assert cause != message and message not in cause, entry.code
        texts = [cause, _normalise(curated.title), *(_normalise(step) for step in curated.fix)]
        for text in texts:
            copied = [s for s in sentences if s in text]
            assert not copied, (entry.code, copied)


COPIED_RUN_WORDS = 6


def test_curated_text_shares_no_long_word_run_with_its_published_message(
    catalog: ErrorCatalog, csv_rows: list[dict[str, str]]
) -> None:
    def words(text: str) -> list[str]:
        return re.findall(r"[a-z0-9']+", text.lower())

    def runs(text: str) -> set[tuple[str, ...]]:
        w = words(text)
        return {tuple(w[i : i + COPIED_RUN_WORDS]) for i in range(len(w) - COPIED_RUN_WORDS + 1)}

    messages = {int(row["code"]): row["message_plain"] for row in csv_rows}
    for entry in catalog.curated:
        published = runs(messages.get(entry.code, ""))
        for text in (entry.curated.cause, *entry.curated.fix):
            assert not runs(text) & published, (entry.code, text)
