"""The repair loop: a scripted model writes KQL, the local translator checks it, errors go back."""

from __future__ import annotations

import json

from idpilot.kql.model_writer import (
    OUTPUT,
    REPAIR_ROUNDS,
    KqlDraft,
    Source,
    needs_model,
    read_draft,
    write_kql,
)
from idpilot.kql.question import KqlQuestion, LogTable, QueryKind
from idpilot.llm.client import Failure, LLMError
from idpilot.llm.scripted import ScriptedModel
from idpilot.store import Store

GOOD = 'SigninLogs | where ResultType != "0" | summarize Failures = count() by AppDisplayName'
BROKEN = "SigninLogs | summarise Failures = count() by AppDisplayName"
UNKNOWN_COLUMN = 'SigninLogs | where ApplicationName == "Teams"'
FALLBACK = 'SigninLogs | where ResultType != "0" | count'
QUESTION = "KQL: failed sign-ins per application"


def _reply(query: str, unexpressed: list[str] | None = None) -> str:
    return json.dumps({"query": query, "unexpressed": unexpressed or []})


def _small(model: ScriptedModel) -> ScriptedModel:
    model.small_context = True  # type: ignore[attr-defined]
    return model


def test_a_query_that_runs_is_used_with_what_it_leaves_out(store: Store) -> None:
    model = ScriptedModel().enqueue(_reply(GOOD, ["the department"]))
    written = write_kql(model, store, QUESTION, fallback=FALLBACK)
    assert written.source is Source.model and written.query == GOOD and written.repairs == 0
    assert written.unexpressed == ["the department"]
    assert written.result is not None and written.result.columns == ["AppDisplayName", "Failures"]
    (request,) = model.requests
    assert request.output == OUTPUT
    system = request.messages[0].content
    assert "SigninLogs (" in system and "ResultType values:" in system
    assert request.messages[-1].content == QUESTION
    assert any(m.role == "assistant" and "query" in m.content for m in request.messages[1:-1])


def test_errors_go_back_to_the_model_for_at_most_two_rounds(store: Store) -> None:
    model = ScriptedModel().enqueue(_reply(BROKEN), _reply(UNKNOWN_COLUMN), _reply(GOOD))
    written = write_kql(model, store, QUESTION, fallback=FALLBACK)
    assert written.source is Source.model and written.query == GOOD
    assert written.repairs == REPAIR_ROUNDS == 2
    assert [a.error is not None for a in written.attempts] == [True, True, False]
    second, third = model.requests[1], model.requests[2]
    assert "KQL syntax error" in second.messages[-1].content
    assert second.messages[-2].content == _reply(BROKEN)
    assert "unknown column 'ApplicationName'" in third.messages[-1].content


def test_after_two_failed_repairs_the_builder_query_is_shown(store: Store) -> None:
    model = ScriptedModel().enqueue(*[_reply(BROKEN)] * (REPAIR_ROUNDS + 1))
    written = write_kql(model, store, QUESTION, fallback=FALLBACK)
    assert len(model.requests) == REPAIR_ROUNDS + 1
    assert written.source is Source.builder and written.query == FALLBACK
    assert written.result is not None and "did not run after 2 repairs" in (written.note or "")


def test_without_a_builder_query_the_answer_refuses(store: Store) -> None:
    model = ScriptedModel().enqueue("I cannot help with that", "no", "still no")
    written = write_kql(model, store, QUESTION)
    assert written.source is Source.none and written.query is None and written.result is None
    assert written.refusal and len(model.requests) == 3
    failing = ScriptedModel().enqueue(LLMError("down", Failure.unreachable))
    assert write_kql(failing, store, QUESTION).refusal == "the model failed: down"


def test_a_write_command_is_refused_by_the_guard_and_never_repaired(store: Store) -> None:
    for command in (".set-or-replace Stolen <| SigninLogs", ".drop table SigninLogs"):
        model = ScriptedModel().enqueue(_reply(command), _reply(GOOD))
        written = write_kql(model, store, QUESTION, fallback=FALLBACK)
        assert len(model.requests) == 1, command
        assert written.source is Source.builder and written.query == FALLBACK
        assert "refused" in (written.note or "") and "management commands" in written.note


def test_external_data_is_never_run_or_shown(store: Store) -> None:
    external = [
        'externaldata (a:string) [@"https://attacker.example/x.csv"]',
        "['/etc/passwd'] | take 1",
        'SigninLogs | evaluate http_request("https://attacker.example")',
    ]
    model = ScriptedModel().enqueue(*[_reply(q) for q in external])
    written = write_kql(model, store, QUESTION)
    assert written.query is None and written.source is Source.none
    assert all(a.error for a in written.attempts) and len(written.attempts) == 3


def test_a_builder_query_that_leaves_parts_out_is_shown_to_the_model_to_extend(
    store: Store,
) -> None:
    model = ScriptedModel().enqueue(_reply(GOOD), _reply(GOOD))
    write_kql(model, store, QUESTION, fallback=FALLBACK, left_out=["the department"])
    asked = model.requests[0].messages[-1].content
    assert asked.startswith(QUESTION) and FALLBACK in asked
    assert "It leaves out: the department." in asked
    # A builder query that expresses everything is not shown: the model writes its own.
    write_kql(model, store, QUESTION, fallback=FALLBACK)
    assert model.requests[1].messages[-1].content == QUESTION


def test_a_small_context_model_gets_fewer_examples_and_a_shorter_schema(store: Store) -> None:
    large, small = ScriptedModel().enqueue(_reply(GOOD)), _small(ScriptedModel())
    small.enqueue(_reply(GOOD))
    write_kql(large, store, QUESTION)
    write_kql(small, store, QUESTION)
    assert len(small.requests[0].messages) < len(large.requests[0].messages)
    assert len(small.requests[0].text) < len(large.requests[0].text)


def test_a_reply_is_read_as_json_or_a_fenced_block() -> None:
    assert read_draft(_reply(GOOD)) == KqlDraft(query=GOOD)
    assert read_draft(f"Here it is:\n```kql\n{GOOD}\n```") == KqlDraft(query=GOOD)
    assert read_draft('{"query": "  "}') is None and read_draft("no query") is None


def test_the_model_is_needed_only_when_the_builder_falls_short() -> None:
    plain = KqlQuestion(kind=QueryKind.sign_ins, table=LogTable.sign_ins)
    assert not needs_model(plain)
    assert needs_model(plain.model_copy(update={"unexpressed": ["the department"]}))
    assert needs_model(plain.model_copy(update={"refusal": "joining two tables"}))
