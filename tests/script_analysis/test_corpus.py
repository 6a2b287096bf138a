"""The acceptance figures on the corpus: decoded share, indicator recall and precision,
verdict accuracy, on the tuned corpus and on the held-out scripts."""

from __future__ import annotations

import pytest

from tests.script_analysis.corpus import FRESH, Figures, measure, truths

DECODED_FLOOR = 0.95
RECALL_FLOOR = 0.95
PRECISION_FLOOR = 0.90
VERDICT_FLOOR = 0.90


def _report(title: str, figures: Figures) -> str:
    return (
        f"{title}: {figures.samples} samples, decoded {figures.decoded_share:.1%}, "
        f"indicator recall {figures.recall:.1%}, precision {figures.precision:.1%}, "
        f"verdicts {figures.verdict_accuracy:.1%}; first failures: {figures.failures[:8]}"
    )


@pytest.fixture(scope="module")
def corpus_figures() -> Figures:
    return measure()


def test_the_corpus_covers_every_language_and_verdict() -> None:
    scripts = truths()
    assert len(scripts) >= 30
    assert {s.name.rsplit(".", 1)[1] for s in scripts} == {"ps1", "sh", "cmd", "js", "vbs"}
    assert {s.verdict for s in scripts} == {"benign", "suspicious", "malicious"}


def test_obfuscated_samples_are_fully_decoded(corpus_figures: Figures) -> None:
    print(_report("corpus", corpus_figures))
    assert corpus_figures.samples >= 200
    assert corpus_figures.decoded_share >= DECODED_FLOOR, _report("corpus", corpus_figures)


def test_indicators_are_found_with_recall_and_precision(corpus_figures: Figures) -> None:
    assert corpus_figures.recall >= RECALL_FLOOR, _report("corpus", corpus_figures)
    assert corpus_figures.precision >= PRECISION_FLOOR, _report("corpus", corpus_figures)


def test_verdicts_match_the_ground_truth(corpus_figures: Figures) -> None:
    assert corpus_figures.verdict_accuracy >= VERDICT_FLOOR, _report("corpus", corpus_figures)


def test_held_out_scripts_meet_the_same_floors() -> None:
    figures = measure(folder=FRESH)
    print(_report("held-out", figures))
    assert figures.decoded_share >= DECODED_FLOOR, _report("held-out", figures)
    assert figures.recall >= RECALL_FLOOR, _report("held-out", figures)
    assert figures.precision >= PRECISION_FLOOR, _report("held-out", figures)
    assert figures.verdict_accuracy >= VERDICT_FLOOR, _report("held-out", figures)
