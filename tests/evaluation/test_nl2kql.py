"""NL to KQL: the hand-written pairs, the execution-accuracy comparison, and the pinned floor."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

import pytest
import yaml

from idpilot.cli._model_eval import comparison, print_comparison
from idpilot.evaluation.nl2kql import (
    DEV,
    TEST,
    KqlEvalReport,
    KqlPair,
    load_pairs,
    pairs_path,
    run_nl2kql,
    same_result,
)
from idpilot.evaluation.sets import NL2KQL_DEV, SetResult
from idpilot.evaluation.split import assign_halves
from idpilot.kql.adapter import LOG_ANALYTICS_TABLES, run_kql
from idpilot.llm.client import ChatMessage
from idpilot.llm.scripted import FunctionModel
from tests.conftest import DemoTenant

TEST_FLOOR = 0.85
"""Execution accuracy of the test half over the kinds the builder covers (measured 67/73)."""
REFUSAL_FLOOR = 0.9
"""Share of the test half's refusal questions refused or said not fully expressed (10/10)."""


def test_at_least_120_pairs_over_all_seven_tables_in_two_halves() -> None:
    pairs = load_pairs()
    assert len(pairs) >= 120 and len({p.id for p in pairs}) == len(pairs)
    tables = {re.match(r"\s*(\w+)", p.reference).group(1) for p in pairs if p.reference}
    assert tables == set(LOG_ANALYTICS_TABLES)
    dev, test = load_pairs(half=DEV), load_pairs(half=TEST)
    assert abs(len(dev) - len(test)) <= len(pairs) // 10
    assert {p.kind for p in dev} == {p.kind for p in test}
    assert sum(p.refuse for p in pairs) >= 10


def test_the_file_obeys_the_one_split() -> None:
    items = yaml.safe_load(pairs_path().read_text())
    halves = assign_halves([{"id": i["id"], "skill": i["kind"]} for i in items])
    assert [i["id"] for i in items if halves[i["id"]] != i["half"]] == []


def test_every_reference_query_runs_on_the_demo_tenant(demo_tenant: DemoTenant) -> None:
    for pair in load_pairs():
        if pair.reference:
            run_kql(demo_tenant.store, pair.reference, limit=1)


def test_results_match_by_record_id_or_by_rows_up_to_column_order() -> None:
    when = datetime(2026, 11, 1, tzinfo=UTC)
    swapped = (["k", "c"], [("b", 1), ("a", 2)])
    assert same_result((["n", "k"], [(2, "a"), (1, "b")]), swapped, False)
    assert not same_result((["n", "k"], [(2, "a")]), (["k", "c"], [("a", 3)]), False)
    assert not same_result((["k"], [("a",), ("b",)]), (["k"], [("b",), ("a",)]), True)
    assert same_result((["Id", "t"], [("x", when)]), (["Id"], [("x",)]), False)
    assert not same_result((["Id"], [("x",), ("y",)]), (["Id"], [("y",), ("x",)]), True)
    assert same_result((["k", "n"], [("", 1)]), (["k", "n"], [(None, 1)]), False)


@pytest.fixture(scope="module")
def test_half(demo_tenant: DemoTenant) -> KqlEvalReport:
    return run_nl2kql(demo_tenant.store, load_pairs(half=TEST))


def test_the_test_half_meets_the_floor(test_half: KqlEvalReport) -> None:
    failed = [(r.pair.id, r.note) for r in test_half.results if not r.correct]
    assert test_half.accuracy >= TEST_FLOOR, failed
    assert test_half.refusal_accuracy >= REFUSAL_FLOOR, failed


def test_every_generated_query_runs(test_half: KqlEvalReport) -> None:
    assert [r.pair.id for r in test_half.results if r.note.startswith("error:")] == []


def _answering_with(pairs: list[KqlPair], refuse: str | None = None) -> FunctionModel:
    """A model that writes each pair's reference query (or `refuse` for every question), and
    says a refusal pair's question is not fully expressed."""
    by_question = {p.question: p for p in pairs}

    def reply(messages: list[ChatMessage], _tools: list[dict[str, Any]]) -> str:
        pair = by_question[messages[-1].content]
        query = refuse or pair.reference or "AADRiskyUsers | take 1"
        unexpressed = ["the comparison asked for"] if pair.refuse else []
        return json.dumps({"query": query, "unexpressed": unexpressed})

    return FunctionModel(reply)


@pytest.fixture(scope="module")
def some_dev_pairs() -> list[KqlPair]:
    dev = load_pairs(half=DEV)
    return [p for p in dev if not p.refuse][:4] + [p for p in dev if p.refuse][:2]


def test_with_a_model_only_what_the_builder_cannot_express_goes_to_it(
    demo_tenant: DemoTenant, some_dev_pairs: list[KqlPair]
) -> None:
    model = _answering_with(some_dev_pairs)
    report = run_nl2kql(demo_tenant.store, some_dev_pairs, model)
    asked = {m.messages[-1].content for m in model.requests}
    assert asked == {p.question for p in some_dev_pairs if p.refuse}
    assert report.refusals == (2, 2) and report.covered == (4, 4)
    assert all("model, 0 repairs" in r.note for r in report.results if r.pair.refuse)
    assert (report.sent_to_model, report.model_written) == (2, 2)
    assert [len(r.call_latencies_ms) for r in report.results] == [0, 0, 0, 0, 1, 1]


def test_with_a_model_always_every_query_is_the_models_and_is_scored(
    demo_tenant: DemoTenant, some_dev_pairs: list[KqlPair]
) -> None:
    report = run_nl2kql(
        demo_tenant.store, some_dev_pairs, _answering_with(some_dev_pairs), always=True
    )
    assert report.covered == (4, 4)
    assert all("(model, 0 repairs)" in r.note for r in report.results)
    wrong = _answering_with(some_dev_pairs, refuse="AADRiskyServicePrincipals | take 1")
    assert run_nl2kql(demo_tenant.store, some_dev_pairs, wrong, always=True).covered == (0, 4)


def test_a_model_that_writes_a_command_falls_back_to_the_builder(
    demo_tenant: DemoTenant, some_dev_pairs: list[KqlPair]
) -> None:
    hostile = _answering_with(some_dev_pairs, refuse=".set-or-replace Copy <| SigninLogs")
    report = run_nl2kql(demo_tenant.store, some_dev_pairs, hostile, always=True)
    assert report.covered == (4, 4) and report.refusals == (2, 2)
    assert len(hostile.requests) == len(some_dev_pairs)  # refused at once, never repaired
    assert all("builder" in r.note or "refused" in r.note for r in report.results)
    assert (report.sent_to_model, report.model_written) == (6, 0)
    assert len(report.call_latencies_ms) == len(some_dev_pairs)


def test_a_query_repaired_once_counts_two_calls_and_both_runs_are_reported(
    demo_tenant: DemoTenant, some_dev_pairs: list[KqlPair], capsys: pytest.CaptureFixture[str]
) -> None:
    by_question = {p.question: p for p in some_dev_pairs}

    def broken_first(messages: list[ChatMessage], _tools: list[dict[str, Any]]) -> str:
        if not any(m.content.startswith("The query failed locally") for m in messages):
            return json.dumps({"query": "SigninLogs | where NoSuchColumn == 1"})
        asked = next(m.content for m in messages if m.content in by_question)
        return json.dumps({"query": by_question[asked].reference or "AADRiskyUsers | take 1",
                           "unexpressed": ["the comparison asked for"]})  # fmt: skip

    pairs = [p for p in some_dev_pairs if p.refuse]
    report = run_nl2kql(demo_tenant.store, pairs, FunctionModel(broken_first))
    assert [r.source for r in report.results] == ["model", "model"]
    assert [len(r.call_latencies_ms) for r in report.results] == [2, 2]
    assert all("(model, 1 repairs)" in r.note for r in report.results)
    offline = run_nl2kql(demo_tenant.store, pairs)
    data = comparison(SetResult(NL2KQL_DEV, kql=offline), SetResult(NL2KQL_DEV, kql=report))
    assert data["offline"]["sent_to_model"] == 0 and data["offline"]["model_calls"] == 0
    assert data["model"]["sent_to_model"] == 2 and data["model"]["model_calls"] == 4
    assert data["model"]["refusals"] == {"correct": 2, "pairs": 2}
    assert data["offline"]["failures"] == data["model"]["failures"] == []
    print_comparison(SetResult(NL2KQL_DEV, kql=offline), SetResult(NL2KQL_DEV, kql=report),
                     "m", 0.0)  # fmt: skip
    printed = " ".join(capsys.readouterr().out.split())
    assert "honest refusals 2/2 (offline 2/2); 2 questions went to the model" in printed
    assert "2 of its queries used, 4 model calls" in printed
