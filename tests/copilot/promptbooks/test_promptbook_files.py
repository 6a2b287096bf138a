"""Promptbook YAML: read with errors naming the line and field; parameters checked; each
placeholder filled from the parameters or from what an earlier answer cited."""

from __future__ import annotations

from pathlib import Path

import pytest

from idpilot.copilot.answer import Answer, Citation
from idpilot.copilot.promptbooks import (
    PromptbookError,
    UnknownPromptbookError,
    answer_objects,
    bind_parameters,
    fill,
    find_promptbook,
    parse_promptbook,
)
from idpilot.copilot.session import Turn
from idpilot.model.records import Record
from idpilot.store.lookup import EntityMatch, MatchQuality

GOOD = """\
name: look-around
title: Look around
description: A user, then the address they used most.
parameters:
  - name: user
    description: who
  - name: days
    description: how far back
    required: false
    default: "7"
steps:
  - id: who
    prompt: Tell me about {user}
  - prompt: Who signed in from {who.top_ip} in the last {days} days?
"""


def test_a_promptbook_reads_and_names_its_steps() -> None:
    book = parse_promptbook(GOOD, "look.yaml")
    assert book.step_ids() == ["who", "step2"]
    assert bind_parameters(book, {"user": "  Ana  Ruiz "}) == {"user": "Ana Ruiz", "days": "7"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ("{who.top_ip}", "{step2.top_ip}"),
            "look.yaml:14: {step2.top_ip} names no earlier step (earlier: who)",
        ),
        (
            ("{who.top_ip}", "{who.top_cat}"),
            "look.yaml:14: {who.top_cat}: a step's answer offers top_user",
        ),
        (("{user}", "{usr}"), "look.yaml:13: {usr} names no parameter (parameters: user, days)"),
        (("{user}", "{ user name }"), "look.yaml:13: { user name } names no parameter"),
        (("  - id: who", "  - id: days"), "look.yaml:12: the step id 'days' is already used"),
        (('    default: "7"\n', ""), "look.yaml:7: optional parameter 'days' needs a default"),
        (("title: Look around\n", ""), "look.yaml:1: title: Field required"),
        (
            ("    prompt: Tell me", "    promt: Tell me"),
            "look.yaml:12: steps.0.prompt: Field required",
        ),
        (("name: look-around", "name: Look Around"), "look.yaml:1: name: String should match"),
        (("steps:", "steps: ["), "look.yaml:"),
    ],
)
def test_a_wrong_promptbook_is_refused_with_file_line_and_fix(
    change: tuple[str, str], message: str
) -> None:
    with pytest.raises(PromptbookError) as caught:
        parse_promptbook(GOOD.replace(*change), "look.yaml")
    assert str(caught.value).startswith(message)


def test_parameters_are_checked_by_name_and_value() -> None:
    book = parse_promptbook(GOOD, "look.yaml")
    with pytest.raises(
        PromptbookError, match="needs the parameter user, who: give it as user=VALUE"
    ):
        bind_parameters(book, {})
    with pytest.raises(PromptbookError, match=r"has no parameter 'usr' \(it takes user, days\)"):
        bind_parameters(book, {"usr": "ana"})
    with pytest.raises(PromptbookError, match="printable"):
        bind_parameters(book, {"user": "ana\x1b[31m"})


def test_a_placeholder_is_filled_once_and_a_missing_object_is_named() -> None:
    objects = {"who": {"top_ip": "203.0.113.9"}}
    assert fill("from {who.top_ip}, {user}?", {"user": "{who.top_ip}"}, objects) == (
        "from 203.0.113.9, {who.top_ip}?"
    )
    with pytest.raises(PromptbookError, match="the answer of step who cited no user"):
        fill("{who.top_user}", {}, objects)


def test_an_unknown_name_lists_the_built_ins(tmp_path: Path) -> None:
    with pytest.raises(UnknownPromptbookError, match=r"use one of .*tenant-posture-review"):
        find_promptbook("nope")
    path = tmp_path / "look.yaml"
    path.write_text(GOOD)
    assert find_promptbook(str(path), files=True).name == "look-around"
    with pytest.raises(UnknownPromptbookError):
        find_promptbook(str(path))  # files only where asked (the CLI), never over the API


def _sign_in(n: int, user_id: str, upn: str, ip: str, code: int) -> Record:
    fields = {"userId": user_id, "userPrincipalName": upn, "ipAddress": ip, "errorCode": code}
    return Record(kind="signIn", id=f"s{n}", label=f"sign-in {n}", fields=fields)


def test_an_answer_offers_what_it_cites_most_and_what_it_was_about() -> None:
    records = [
        Record(kind="riskyUser", id="u-bo", label="bo", fields={"userPrincipalName": "bo@x.test"}),
        _sign_in(1, "u-ana", "ana@x.test", "203.0.113.9", 50126),
        _sign_in(2, "u-ana", "ana@x.test", "203.0.113.9", 0),
        _sign_in(3, "u-bo", "bo@x.test", "198.51.100.7", 50126),
        _sign_in(4, "u-ana", "ana@x.test", "198.51.100.7", 53003),
        Record(kind="group", id="g1", label="group", fields={"displayName": "Sales\u202e"}),
        _sign_in(5, "u-cy", "cy@x.test", "192.0.2.1", 0),  # in the evidence, never cited
    ]  # fmt: skip
    cited = [Citation(n=n, kind=r.kind, id=r.id, label=r.label) for n, r in enumerate(records, 1)]
    del cited[-1]  # the last record is evidence only
    answer = Answer(prompt="p", answer="…", evidence=records, citations=cited, session_id="")
    bo = EntityMatch(kind="user", id="u-bo", label="Bo", phrase="", quality=MatchQuality.id)
    turn = Turn(prompt="p", skill=None, params={}, subjects=[bo], status="ok")
    objects = answer_objects(answer, turn)
    assert objects == {
        "top_user": "ana@x.test",  # three sign-ins of one user (by id) against two
        "top_ip": "203.0.113.9",  # two and two: the first cited
        "top_error": "50126",
        "top_group": "Sales{U+202E}",  # tenant text made inert
        "subject": "bo@x.test",
    }
    assert "top_app" not in objects and "top_user" not in answer_objects(
        answer.model_copy(update={"citations": []})
    )
