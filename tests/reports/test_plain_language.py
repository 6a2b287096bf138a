"""A report asked for in words: the kind, the audience, the window and the detections."""

from __future__ import annotations

import pytest

from idpilot.copilot.engine import Copilot
from idpilot.copilot.understanding._slot_report import report_values

CASES = [
    ("write a one-page summary of last week's spray for the CISO",
     {"report_kind": "incident", "audience": "ciso", "detections": ["passwordSpray"]}),
    ("write up our conditional access status for the auditor",
     {"report_kind": "ca", "audience": "auditor"}),
    ("write a status report for the helpdesk on sign-in issues this week",
     {"report_kind": "signins", "audience": "helpdesk"}),
    ("write a report on risky users for the SOC lead",
     {"report_kind": "risk", "audience": "engineer"}),
    ("create a board-level summary of our identity posture",
     {"report_kind": "posture", "audience": "ciso"}),
]  # fmt: skip


@pytest.mark.parametrize(("prompt", "expected"), CASES)
def test_report_words_are_read(prompt: str, expected: dict) -> None:
    assert report_values(prompt) == expected


def test_a_prompt_without_report_words_states_none() -> None:
    assert report_values("why did alice fail to sign in?") == {"report_kind": "signins"}
    assert report_values("list the groups") == {}


def test_the_spray_summary_for_the_ciso_is_a_cited_report(demo_tenant) -> None:
    answer = Copilot(demo_tenant.store).ask(
        "write a one-page summary of last week's spray for the CISO"
    )
    assert answer.status == "ok"
    (call,) = answer.trace.plan
    assert call.name == "report"
    assert call.params["report_kind"] == "incident"
    assert call.params["audience"] == "ciso"
    assert call.params["detections"] == ["passwordSpray"]
    assert call.params["window"]["phrase"] == "last week"
    assert "Executive summary" in answer.answer
    assert "Password spray" in answer.answer
    assert "Brute force" not in answer.answer
    assert answer.citations and answer.trace.grounding.verdict == "grounded"
