"""The shipped intent index: current with the bank and the model, and scoring exactly as the
classifier computed from scratch does."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

from idpilot.copilot.understanding import classifier, intent_index
from idpilot.copilot.understanding.build_index import is_current, main
from idpilot.copilot.understanding.classifier import (
    Exemplar,
    IntentClassifier,
    classifier_for,
    fill_placeholders,
    load_bank,
    parse_bank,
)
from idpilot.copilot.understanding.embedding import default_embedder

REBUILD = "python -m idpilot.copilot.understanding.build_index"
PROMPTS = [
    "who are the global admins?",
    "why did someone fail to sign in to the app this morning",
    "is anyone spraying passwords at us?",
    "",
    "zzqx ünïcode 日本語",
]
PLUGIN = (
    Exemplar(text="printer queue stuck", intent="print_queue"),
    Exemplar(text="jobs in the print queue for {user}", intent="print_queue"),
)


@pytest.fixture(scope="module")
def from_scratch() -> IntentClassifier:
    bank = parse_bank(intent_index.bank_bytes().decode("utf-8"))
    return IntentClassifier(bank, default_embedder())


def _prompts() -> list[str]:
    return PROMPTS + [fill_placeholders(e.text) for e in load_bank()[::5]]


def test_the_shipped_index_is_current_with_the_bank_rules_and_model() -> None:
    assert is_current(intent_index.index_path()), f"the intent index is stale: run `{REBUILD}`"
    assert classifier._shipped_index() is not None


def test_the_shipped_index_scores_exactly_as_the_classifier_from_scratch(
    from_scratch: IntentClassifier,
) -> None:
    shipped = classifier_for()
    vectors, _, linear = shipped.precomputed()
    scratch_vectors, _, scratch_linear = from_scratch.precomputed()
    assert np.array_equal(vectors, scratch_vectors)
    assert linear is not None and scratch_linear is not None
    assert np.allclose(linear.weights, scratch_linear.weights, atol=1e-5)
    for prompt in _prompts():
        _same_scores(shipped.scores(prompt), from_scratch.scores(prompt), prompt)


def _same_scores(one: list, other: list, prompt: str) -> None:
    """The same intents in the same order with the same facets, probabilities equal to within
    float rounding (the linear reading is trained by matrix products, whose last bits may
    differ between machines)."""
    assert [(s.intent, s.facet) for s in one] == [(s.intent, s.facet) for s in other], prompt
    assert np.allclose([s.probability for s in one], [s.probability for s in other]), prompt


def test_plugin_exemplars_on_the_shipped_index_score_as_from_scratch() -> None:
    shipped = classifier_for(PLUGIN)
    bank = parse_bank(intent_index.bank_bytes().decode("utf-8")) + list(PLUGIN)
    scratch = IntentClassifier(bank, default_embedder())
    for prompt in [*_prompts()[:40], "why is the print queue stuck"]:
        _same_scores(shipped.scores(prompt), scratch.scores(prompt), prompt)
    assert shipped.scores("why is the print queue stuck")[0].intent == "print_queue"


def test_the_shipped_bank_is_the_bank_file_and_the_c_parser_reads_it_as_the_python_one() -> None:
    text = intent_index.bank_bytes().decode("utf-8")
    assert load_bank() == parse_bank(text)
    assert yaml.load(text, Loader=yaml.CSafeLoader) == yaml.safe_load(text)


def test_an_edited_bank_makes_the_index_stale_and_unused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    edited = intent_index.bank_bytes() + b"\n# one more line\n"
    monkeypatch.setattr(intent_index, "bank_bytes", lambda: edited)
    classifier._shipped_index.cache_clear()
    try:
        assert not is_current(intent_index.index_path())
        assert classifier._shipped_index() is None
    finally:
        monkeypatch.undo()
        classifier._shipped_index.cache_clear()
    assert classifier._shipped_index() is not None


def test_changed_placeholder_words_make_the_index_stale(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(classifier.PLACEHOLDER_WORDS, "user", "somebody")
    assert not is_current(intent_index.index_path())


def test_a_missing_or_damaged_index_reads_as_none(tmp_path: Path) -> None:
    assert intent_index.read_index(tmp_path / "none.safetensors") is None
    damaged = tmp_path / "damaged.safetensors"
    damaged.write_bytes(b"\x08\x00\x00\x00\x00\x00\x00\x00not json")
    assert intent_index.read_index(damaged) is None


def test_the_build_writes_the_same_bytes_as_the_shipped_file(tmp_path: Path) -> None:
    out, tables = tmp_path / "index.safetensors", ["--tables-out", str(tmp_path / "tables")]
    assert main(["--out", str(out), *tables]) == 0
    built, shipped = (
        intent_index.read_index(out),
        intent_index.read_index(intent_index.index_path()),
    )
    assert built is not None and shipped is not None
    for name in ("bank", "terms", "fingerprint", "linear_intents"):
        assert getattr(built, name) == getattr(shipped, name), name
    for name in ("vectors", "idf", "starts", "rows", "weights"):
        assert np.array_equal(getattr(built, name), getattr(shipped, name)), name
    # Trained by matrix products: equal to within float rounding on another machine.
    assert np.allclose(built.linear_weights, shipped.linear_weights, atol=1e-5)
    assert np.allclose(built.linear_bias, shipped.linear_bias, atol=1e-5)
    assert main(["--check", "--out", str(out), *tables]) == 0
    assert main(["--check", "--out", str(tmp_path / "missing.safetensors"), *tables]) == 1
