"""The few-shot library: every example runs, none is an evaluation pair, nearest ones chosen."""

from __future__ import annotations

from idpilot.evaluation.nl2kql import load_pairs
from idpilot.kql.adapter import LOG_ANALYTICS_TABLES, run_kql
from idpilot.kql.few_shot import FewShotExample, choose_examples, library, similarity
from idpilot.store import Store


def test_every_example_runs_locally(store: Store) -> None:
    for example in library():
        run_kql(store, example.kql, limit=1)


def test_the_library_covers_every_table_and_copies_no_evaluation_pair() -> None:
    examples = library()
    assert {e.table for e in examples} >= set(LOG_ANALYTICS_TABLES)
    pairs = load_pairs()
    questions = {p.question.lower().strip() for p in pairs}
    references = {" ".join((p.reference or "").split()) for p in pairs}
    assert not [e.question for e in examples if e.question.lower().strip() in questions]
    assert not [e.kql for e in examples if " ".join(e.kql.split()) in references]


def test_the_nearest_examples_are_chosen_first() -> None:
    audit = choose_examples("show me the users an admin deleted and who did it", 2)
    assert audit[0].table == "AuditLogs" and "Delete user" in audit[0].kql
    risk = choose_examples("KQL for the identity protection detections by risk type", 3)
    assert risk[0].table == "AADUserRiskEvents"
    assert len(choose_examples("anything", 4)) == 4 and choose_examples("anything", 0) == []


def test_similarity_ranks_a_paraphrase_above_an_unrelated_text() -> None:
    pool = (
        FewShotExample("service principals flagged as risky", "AADRiskyServicePrincipals"),
        FewShotExample("daily count of failed sign-ins", "SigninLogs"),
    )
    scores = similarity("failed sign-ins per day", [e.question for e in pool])
    assert scores[1] > scores[0]
    assert choose_examples("failed sign-ins per day", 1, pool) == [pool[1]]
