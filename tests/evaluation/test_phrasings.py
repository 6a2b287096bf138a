"""The phrasing corpus loader, placeholder filling and intent scoring."""

from __future__ import annotations

from pathlib import Path

import pytest

from idpilot.evaluation.phrasings import (
    PhrasingCorpusError,
    PhrasingReport,
    PhrasingResult,
    instantiate,
    load_corpus,
)


def test_a_missing_corpus_names_where_to_put_it(tmp_path: Path) -> None:
    with pytest.raises(PhrasingCorpusError, match=r"shared/phrasings/dev\.yaml"):
        load_corpus(tmp_path / "absent.yaml")


def test_a_malformed_corpus_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("prompts: [{intent: user_details}]")
    with pytest.raises(PhrasingCorpusError, match="prompt"):
        load_corpus(path)


def test_placeholders_fill_and_missing_ones_are_named() -> None:
    filled, missing = instantiate("why did {user} fail on {weekday}?", {"user": "Åsa Öberg"})
    assert filled == "why did Åsa Öberg fail on {weekday}?"
    assert missing == ["weekday"]


def test_intent_is_the_first_skill_and_out_of_scope_runs_none() -> None:
    report = PhrasingReport("t", [
        PhrasingResult("a", "user_details", ["user_details", "user_roles"], "ok", 1.0),
        PhrasingResult("b", "user_roles", ["user_details", "user_roles"], "ok", 1.0),
        PhrasingResult("c", "out_of_scope", [], "outOfScope", 1.0),
        PhrasingResult("d", "out_of_scope", ["app_details"], "ok", 1.0),
        PhrasingResult("e", "kql", [], "", 0.0, not_yet=True),
    ])  # fmt: skip
    assert [r.correct for r in report.counted] == [True, False, True, False]
    assert report.accuracy == 0.5
    assert report.not_yet == 1
    assert report.out_of_scope_ran_skill == 1
