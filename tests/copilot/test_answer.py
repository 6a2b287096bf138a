"""The Answer's published evidence shape: `{kind, id, fields}` with the label in the fields."""

from __future__ import annotations

import json

from idpilot.copilot.answer import Answer, as_published
from idpilot.copilot.engine import answer_evidence
from idpilot.model.records import Record
from idpilot.skills import SkillResult

USER = Record(kind="user", id="u1", label="Alice", fields={"userPrincipalName": "a@x.test"})


def _answer(evidence: list[Record]) -> Answer:
    return Answer(prompt="p", answer="a", evidence=evidence, session_id="s")


def test_evidence_is_published_with_the_label_first_among_the_fields() -> None:
    document = json.loads(_answer([USER]).to_json())
    assert document["evidence"] == [
        {"kind": "user", "id": "u1", "fields": {"label": "Alice", "userPrincipalName": "a@x.test"}}
    ]
    assert list(document["evidence"][0]["fields"]) == ["label", "userPrincipalName"]


def test_published_evidence_reads_back_as_the_same_records() -> None:
    answer = _answer([USER, Record(kind="group", id="g1", label="G", fields={"detail": ""})])
    assert Answer.model_validate_json(answer.to_json()) == answer


def test_a_label_in_the_fields_is_the_one_published() -> None:
    record = Record(kind="group", id="g1", label="group Finance", fields={"label": "Finance"})
    shown = as_published(record)
    assert shown == Record(kind="group", id="g1", label="Finance")
    assert json.loads(_answer([shown]).to_json())["evidence"][0]["fields"] == {"label": "Finance"}


def test_candidates_carry_their_detail_among_the_fields() -> None:
    result = SkillResult(
        skill="s",
        evidence=[USER],
        candidates=[Record(kind="user", id="u2", label="Alice", detail="alice@y.test")],
    )
    evidence = answer_evidence([result], cited=set())
    assert evidence == [
        Record(kind="user", id="u2", label="Alice", fields={"detail": "alice@y.test"})
    ]
    assert answer_evidence([result], cited={("user", "u1")})[0] == USER
