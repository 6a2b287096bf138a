"""`kql_write`: the query is validated and run; each row cites its record or its group's latest."""

from __future__ import annotations

import json
from typing import Any

from idpilot.copilot.composer import CitationBook, compose
from idpilot.copilot.grounding import ungrounded_entities
from idpilot.kql.adapter import run_kql
from idpilot.llm.scripted import ScriptedModel
from idpilot.skills import default_registry
from idpilot.skills.builtin.kql_write import RESULT_ROW
from tests.conftest import DemoTenant

SKILL = default_registry().get("kql_write")


def _run(demo: DemoTenant, **question: Any) -> Any:
    return SKILL.run(demo.store, {"question": question})


def test_a_listing_cites_each_row_by_its_own_record(demo_tenant: DemoTenant) -> None:
    result = _run(
        demo_tenant,
        kind="audit",
        table="AuditLogs",
        conditions=[{"field": "operation", "values": ["Reset user password"]}],
    )
    facts = result.facts
    assert facts.query == result.kql and facts.error is None
    assert facts.rows and all(row.record for row in facts.rows)
    ids = {row.values[facts.columns.index("Id")] for row in facts.rows}
    assert {r.id for r in result.evidence if r.kind == "directoryAudit"} == ids


def test_a_summary_row_cites_the_latest_record_of_its_group(demo_tenant: DemoTenant) -> None:
    result = _run(
        demo_tenant,
        kind="signIns",
        table="SigninLogs",
        conditions=[{"field": "result", "values": ["failure"]}],
        group_by=["app"],
        top=3,
    )
    facts = result.facts
    assert facts.grouped_by == ["AppDisplayName"] and facts.measure == "Failures"
    assert len(facts.rows) == 3 and facts.measure_total == sum(row.values[1] for row in facts.rows)
    store = demo_tenant.store
    for row in facts.rows:
        app, record = row.values[0], row.record
        assert record is not None and record.startswith("signIn:")
        latest = run_kql(
            store,
            f'SigninLogs | where AppDisplayName == "{app}" and ResultType != "0" '
            "| top 1 by TimeGenerated | project Id",
        )
        assert latest.rows == [(record.removeprefix("signIn:"),)]


def test_the_answer_shows_the_query_and_is_grounded(demo_tenant: DemoTenant) -> None:
    bob = demo_tenant.answer_key["personas"]["bob"]
    result = _run(
        demo_tenant,
        kind="signIns",
        table="SigninLogs",
        conditions=[{"field": "user", "values": [bob["userPrincipalName"]]}],
        named=[{"kind": "user", "id": bob["id"], "label": bob["displayName"],
                "detail": bob["userPrincipalName"]}],
        top=2,
    )  # fmt: skip
    book = CitationBook(result.evidence)
    text = compose(result, book)
    assert "```kql\nSigninLogs\n| where UserPrincipalName ==" in text
    assert ungrounded_entities(demo_tenant.store, text, result.evidence) == []
    # Each row cites its sign-in; the person the query filters on is cited too.
    assert {kind for kind, _ in book.cited()} == {"signIn", "user"}
    assert ("user", bob["id"]) in book.cited()


def test_a_refusal_and_what_was_not_expressed_are_said(demo_tenant: DemoTenant) -> None:
    refused = _run(demo_tenant, kind="signIns", table="SigninLogs", refusal="joining two tables")
    assert refused.kql is None
    assert "joining two tables" in compose(refused, CitationBook(refused.evidence))
    partial = _run(
        demo_tenant,
        kind="riskyUsers",
        table="AADRiskyUsers",
        unexpressed=["grouping by country (AADRiskyUsers has no such column)"],
        count_only=True,
    )
    text = compose(partial, CitationBook(partial.evidence))
    assert text.startswith("Not expressed in this query: grouping by country")
    assert partial.facts.count == demo_tenant.store.scalar("SELECT count(*) FROM riskyUsers")


def _reply(query: str, unexpressed: list[str] | None = None) -> str:
    return json.dumps({"query": query, "unexpressed": unexpressed or []})


JOIN = "KQL joining risky users to their sign-ins"
MODEL_QUERY = (
    "AADRiskyUsers | join kind=inner (SigninLogs | summarize SignIns = count() "
    "by UserPrincipalName) on UserPrincipalName | project UserPrincipalName, RiskLevel, SignIns"
)


def test_with_a_model_a_refused_question_gets_the_models_checked_query(
    demo_tenant: DemoTenant,
) -> None:
    model = ScriptedModel().enqueue(_reply("AADRiskyUsers | joyn x"), _reply(MODEL_QUERY))
    params = {"question": {"kind": "riskyUsers", "table": "AADRiskyUsers",
                           "refusal": "joining two tables ('join')"}, "prompt": JOIN}  # fmt: skip
    result = SKILL.run_with_model(demo_tenant.store, params, model)
    facts = result.facts
    assert facts.written_by == "model" and facts.repairs == 1 and facts.refusal is None
    assert result.kql == MODEL_QUERY and facts.rows
    assert all(row.record and row.record.startswith(f"{RESULT_ROW}:") for row in facts.rows)
    text = compose(result, CitationBook(result.evidence))
    assert "The KQL the model wrote" in text and "after 1 repair" in text
    assert ungrounded_entities(demo_tenant.store, text, result.evidence) == []


def test_with_a_model_a_listing_cites_records_and_the_unexpressed_is_said(
    demo_tenant: DemoTenant,
) -> None:
    query = 'AuditLogs | where OperationName == "Delete user" | project TimeGenerated, Id'
    model = ScriptedModel().enqueue(_reply(query, ["who approved it"]))
    question = {"kind": "audit", "table": "AuditLogs", "unexpressed": ["the department"]}
    params = {"question": question, "prompt": "deleted users"}
    result = SKILL.run_with_model(demo_tenant.store, params, model)
    assert all(row.record.startswith("directoryAudit:") for row in result.facts.rows)
    text = compose(result, CitationBook(result.evidence))
    assert text.startswith("Not expressed in this query: who approved it")


def test_with_a_model_the_builder_answers_what_it_expresses_in_full(
    demo_tenant: DemoTenant,
) -> None:
    model = ScriptedModel()
    params = {"question": {"kind": "riskyUsers", "table": "AADRiskyUsers", "count_only": True},
              "prompt": "KQL: how many risky users"}  # fmt: skip
    result = SKILL.run_with_model(demo_tenant.store, params, model)
    assert model.requests == [] and result.facts.written_by == "builder"


def test_when_the_model_fails_the_builder_query_is_shown_and_why(demo_tenant: DemoTenant) -> None:
    model = ScriptedModel().enqueue(_reply(".drop table SigninLogs"))
    params = {"question": {"kind": "riskyUsers", "table": "AADRiskyUsers", "count_only": True,
                           "unexpressed": ["the department"]}, "prompt": "risky users"}  # fmt: skip
    result = SKILL.run_with_model(demo_tenant.store, params, model)
    facts = result.facts
    assert facts.written_by == "builder" and facts.count is not None and len(model.requests) == 1
    text = compose(result, CitationBook(result.evidence))
    assert text.startswith("The model's query was not used: the model's query was refused")


def test_the_copilot_with_a_model_answers_with_the_models_query(demo_tenant: DemoTenant) -> None:
    from idpilot.copilot.engine import Copilot
    from idpilot.llm.client import LLMError

    # Planning fails (the request is read offline); the kql_write step is the model's.
    model = ScriptedModel().enqueue(LLMError("planner unavailable"), _reply(MODEL_QUERY))
    copilot = Copilot(demo_tenant.store, model=model, phrase=False, compose=False, max_steps=0)
    answer = copilot.ask("write KQL joining risky users with their sign-ins")
    assert answer.kql == MODEL_QUERY and "The KQL the model wrote" in answer.answer
    assert any(c.kind == RESULT_ROW for c in answer.citations)
    assert model.requests[-1].messages[-1].content.startswith("write KQL joining")


def test_a_person_the_query_filters_on_is_cited_even_with_no_rows(
    demo_tenant: DemoTenant,
) -> None:
    from idpilot.copilot.engine import Copilot

    alice = demo_tenant.answer_key["personas"]["alice_johnson"]
    answer = Copilot(demo_tenant.store).ask(
        f"need a KQL query: every audit log event {alice['displayName']} initiated last week"
    )
    assert "where Actor ==" in answer.answer  # she initiated them: the actor, not the target
    assert alice["id"] in {c.id for c in answer.citations}
