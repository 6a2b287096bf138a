"""Skill `kql_write`: write the KQL a question asks for, check it, run it, and cite each row.

The question comes typed (`KqlQuestion`, read from the prompt by the copilot); the query
builder writes the KQL, the local translator validates it, and it runs read-only on the
snapshot's Log Analytics views. Rows that are records cite them by their `Id`; a row of a
summarizing query cites the latest record of its group (found by the builder's companion
query). Parts of the question no query here expresses are listed, never dropped.

With a model configured, a question the builder cannot express in full (it refuses it or
leaves parts out) is written by the model instead (`idpilot.kql.model_writer`: schema, chosen
examples, at most two repairs from the local translator's errors), falling back to the
builder's query or an honest refusal. A model query's rows cite their record by `Id` when
they have one; other rows cite themselves as a row of the query run locally.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field

from idpilot.kql.question import KqlQuestion, LogTable
from idpilot.model.records import Record
from idpilot.model.windows import TimeWindow
from idpilot.skills.base import SkillFacts, SkillResult, Slot, define_skill, slot
from idpilot.skills.registry import SkillRegistry
from idpilot.store import Store

if TYPE_CHECKING:
    from idpilot.kql.adapter import KqlResult, KqlSession
    from idpilot.kql.model_writer import WrittenKql
    from idpilot.llm.client import ChatModel

NAME = "kql_write"
ROWS_SHOWN = 20
"""Rows an answer lists; the reading counts them all (up to `ROWS_READ`)."""
ROWS_READ = 5000
RECORD_KINDS = {
    LogTable.sign_ins: "signIn",
    LogTable.non_interactive: "signIn",
    LogTable.service_principal_sign_ins: "signIn",
    LogTable.audit: "directoryAudit",
    LogTable.risky_users: "riskyUser",
    LogTable.risk_events: "riskDetection",
    LogTable.risky_service_principals: "riskyServicePrincipal",
}
"""The Graph kind of a table's records (its `Id` column is the record's id)."""
RESULT_ROW = "kqlResultRow"
"""The evidence kind of a row of a model's query that holds no record `Id` (a group, a count)."""
_NAMED_FIELD = {"user": "userPrincipalName", "servicePrincipal": "appId"}


class KqlWriteInput(BaseModel):
    """The typed question to write a query for."""

    question: KqlQuestion = slot(
        Slot.stated, "The question, typed: table, conditions, window, grouping, threshold."
    )
    prompt: str = slot(
        Slot.question, "The question as asked (what a model writes its query from).", default=""
    )


class KqlRow(SkillFacts):
    """One row of the result, and the record it cites (`kind:id`, None when none maps)."""

    values: list[Any]
    record: str | None = None


class KqlWriteFacts(SkillFacts):
    """The query written, what it could not express, its rows and what they add up to."""

    query: str | None
    refusal: str | None
    unexpressed: list[str]
    named: list[dict[str, str]] = Field(default_factory=list)
    """The objects the query filters on ({"label", "ref"}), each cited."""
    error: str | None
    table: str
    kind: str
    window: TimeWindow | None
    columns: list[str]
    rows: list[KqlRow]
    row_count: int
    truncated: bool
    grouped_by: list[str]
    measure: str | None
    measure_total: int | None
    count: int | None
    threshold: str | None
    written_by: str = "builder"
    """Who wrote the query shown: the offline `builder` or the `model`."""
    repairs: int = 0
    """Rounds in which the local translator's error went back to the model."""
    model_note: str | None = None
    """Why the model's query is not the one shown (it did not run, or was refused)."""


def kql_write(store: Store, params: KqlWriteInput) -> SkillResult:
    """Write a KQL query for a question, run it locally, and show the query and its rows."""
    from idpilot.kql.adapter import KqlSession  # the translator loads when used
    from idpilot.kql.builder import build_kql
    from idpilot.kql.errors import KqlQueryError

    question = params.question
    result = SkillResult(skill=NAME)
    facts = _empty_facts(question)
    result.facts = facts
    if question.refusal is not None:
        return result
    query = build_kql(question)
    facts.query = query
    result.kql = query
    for named in question.named:
        record = result.add_evidence(_named_record(named))
        facts.named.append({"label": named.label, "ref": f"{record.kind}:{record.id}"})
    with KqlSession(store) as session:  # the query and its companion share one sandbox
        try:
            session.translate(query)  # validated before it is shown or run
            ran = session.run(query, limit=ROWS_READ)
        except KqlQueryError as error:
            facts.error = str(error)
            return result
        return _ran(result, facts, question, ran, session)


def _ran(
    result: SkillResult,
    facts: KqlWriteFacts,
    question: KqlQuestion,
    ran: KqlResult,
    session: KqlSession,
) -> SkillResult:
    """The facts of a query that ran: its rows, each cited, or its count."""
    from idpilot.kql.builder import build_citation_kql, column_of, measure_name

    facts.columns = ran.columns
    facts.row_count = ran.row_count
    facts.truncated = ran.truncated
    kind = RECORD_KINDS[question.table]
    if question.count_only:
        facts.count = int(ran.rows[0][0]) if ran.rows else 0
        return result
    citations: dict[tuple[Any, ...], str] = {}
    keys = [column_of(question.table, f).name for f in question.group_by]
    if (companion := build_citation_kql(question)) is not None:
        for row in session.run(companion, limit=ROWS_READ).records():
            citations[tuple(_plain(row[k]) for k in keys)] = str(row["Id"])
        facts.grouped_by = keys
        facts.measure = measure_name(question)
        distinct = question.threshold is not None and question.threshold.distinct is not None
        if facts.measure in ran.columns and not distinct:  # distinct counts do not add up
            at = ran.columns.index(facts.measure)
            facts.measure_total = sum(int(row[at] or 0) for row in ran.rows)
    for row in ran.records()[:ROWS_SHOWN]:
        facts.rows.append(_cited_row(result, kind, row, keys, citations))
    return result


def kql_write_with_model(store: Store, params: KqlWriteInput, model: ChatModel) -> SkillResult:
    """With a model: the model writes the query when the builder cannot express all of it."""
    from idpilot.kql.builder import build_kql
    from idpilot.kql.model_writer import Source, needs_model, write_kql

    question = params.question
    if not needs_model(question) or not params.prompt.strip():
        return kql_write(store, params)
    fallback = None if question.refusal is not None else build_kql(question)
    written = write_kql(model, store, params.prompt, fallback=fallback,
                        left_out=question.unexpressed, tables=[question.table.value])  # fmt: skip
    if written.source is not Source.model:
        result = kql_write(store, params)
        facts = result.facts
        if isinstance(facts, KqlWriteFacts):
            facts.repairs, facts.model_note = written.repairs, written.note
        return result
    return _model_result(question, written)


def _model_result(question: KqlQuestion, written: WrittenKql) -> SkillResult:
    """The answer of a query the model wrote and the local translator ran."""
    result = SkillResult(skill=NAME)
    facts = _empty_facts(question)
    facts.refusal = None
    facts.unexpressed = written.unexpressed
    facts.written_by, facts.repairs = "model", written.repairs
    facts.query = result.kql = written.query
    ran = written.result
    result.facts = facts
    if ran is None:
        return result
    facts.columns, facts.row_count, facts.truncated = ran.columns, ran.row_count, ran.truncated
    kind = RECORD_KINDS[question.table]
    for number, row in enumerate(ran.records()[:ROWS_SHOWN], start=1):
        values = {name: _plain(value) for name, value in row.items()}
        if values.get("Id") is not None:
            facts.rows.append(_cited_row(result, kind, row, [], {}))
            continue
        shown = {name: value for name, value in values.items() if value not in (None, "")}
        label = f"row {number} of the query's result, run locally"
        result.add_evidence(Record(kind=RESULT_ROW, id=f"row{number}", label=label, fields=shown))
        facts.rows.append(KqlRow(values=list(values.values()), record=f"{RESULT_ROW}:row{number}"))
    return result


def _empty_facts(question: KqlQuestion) -> KqlWriteFacts:
    threshold = question.threshold
    return KqlWriteFacts(
        query=None,
        refusal=question.refusal,
        unexpressed=question.unexpressed,
        error=None,
        table=question.table.value,
        kind=question.kind.value,
        window=question.window,
        columns=[],
        rows=[],
        row_count=0,
        truncated=False,
        grouped_by=[],
        measure=None,
        measure_total=None,
        count=None,
        threshold=f"{threshold.comparison.value} {threshold.value}" if threshold else None,
    )


def _cited_row(
    result: SkillResult,
    kind: str,
    row: dict[str, Any],
    keys: list[str],
    citations: dict[tuple[Any, ...], str],
) -> KqlRow:
    """The row's values, and the record it cites: its own `Id`, or its group's latest."""
    values = {name: _plain(value) for name, value in row.items()}
    record_id = values.get("Id") if not keys else citations.get(tuple(values[k] for k in keys))
    if record_id is None:
        return KqlRow(values=list(values.values()))
    shown = {name: value for name, value in values.items() if value not in (None, "")}
    label = "the record" if not keys else "the latest record of the group"
    result.add_evidence(Record(kind=kind, id=str(record_id), label=label, fields=shown))
    return KqlRow(values=list(values.values()), record=f"{kind}:{record_id}")


def _named_record(named: Record) -> Record:
    """An object a condition names, with the value the query filters on among its fields."""
    fields = dict(named.fields)
    if (field := _NAMED_FIELD.get(named.kind)) and named.detail:
        fields[field] = named.detail
    return Record(kind=named.kind, id=named.id, label=named.label, fields=fields)


def _plain(value: Any) -> Any:
    """A cell as JSON shows it (times as ISO text)."""
    return value.isoformat() if isinstance(value, datetime) else value


def register(registry: SkillRegistry) -> None:
    """Register `kql_write`."""
    registry.add(
        define_skill(
            kql_write,
            name=NAME,
            facts=KqlWriteFacts,
            with_model=kql_write_with_model,
            keywords={"write kql": 6.0, "kql query": 6.0, "kusto query": 6.0},
        )
    )
