"""The slow skills' answers (`policy_draft`, `ca_coverage`, `kql_write`) on the demo tenant are
the answers their straightforward reference paths give: the same text, citations and evidence."""

from __future__ import annotations

import json
from typing import Any

import pytest

from idpilot.ca_analysis import _replay_classes, coverage
from idpilot.ca_analysis.tenant_policies import TenantPolicies
from idpilot.ca_drafting import draft
from idpilot.copilot.answer import Answer
from idpilot.copilot.engine import Copilot
from idpilot.kql import adapter
from idpilot.store import Store, ca_directory
from tests import tail_reference
from tests.conftest import DemoTenant

PROMPTS = {
    "policy_draft": [
        "draft a CA policy that requires MFA for every guest, and keep the break glass accounts"
        " out of it",
        "Draft a Conditional Access policy that requires phishing-resistant MFA for all admin"
        " roles, but leaves our two break-glass accounts out.",
        "draft me a CA policy that blocks legacy auth for everyone except service accounts",
    ],
    "ca_coverage": [
        "Where are the gaps in our Conditional Access policies?",
        "Which report-only policies would block sign-ins?",
        "Which break-glass accounts are not excluded from block policies?",
    ],
    "kql_write": [
        "write KQL for users who failed MFA from 3 countries today",
        "write me a kql query for failed sign-ins by country over the last 7 days",
        "give me a kusto query for audit events where someone was added to a directory role"
        " this month",
    ],
}
UNSTABLE = ("elapsed_ms", "answer_id", "session_id", "trace")


def _answers(store: Store) -> dict[str, dict[str, Any]]:
    copilot = Copilot(store)
    found = {}
    for skill, prompts in PROMPTS.items():
        for prompt in prompts:
            answer: Answer = copilot.ask(prompt)
            assert answer.trace.plan and answer.trace.plan[0].name == skill, prompt
            published = json.loads(answer.model_dump_json())
            found[prompt] = {k: v for k, v in published.items() if k not in UNSTABLE}
    return found


def _reference_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every fast path of the three skills replaced by its straightforward form."""
    never = 10**9  # the directory asked about one user at a time, never read in bulk
    for module in (coverage, ca_directory, _replay_classes):
        monkeypatch.setattr(module, "USERS_ASKED_ONE_BY_ONE", never)
    monkeypatch.setattr(TenantPolicies, "remember", lambda self, name, compute: compute())
    monkeypatch.setattr(_replay_classes, "replay_class_rows", tail_reference.replay_class_rows)
    monkeypatch.setattr(draft, "replay_draft", tail_reference.replay_draft)
    monkeypatch.setattr(
        coverage,
        "report_only_outcomes",
        lambda store, ids: [
            (policy_id, *counts)
            for policy_id, counts in tail_reference.report_only_outcomes(store, ids).items()
        ],
    )
    monkeypatch.setattr(adapter, "KqlSession", tail_reference.KqlSession)


def test_answers_are_those_of_the_reference_paths(
    demo_tenant: DemoTenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast = _answers(demo_tenant.store)
    _reference_paths(monkeypatch)
    reference = _answers(demo_tenant.store)
    for skill, prompts in PROMPTS.items():  # each skill's answers cite records
        assert any(fast[p]["citations"] and fast[p]["evidence"] for p in prompts), skill
    for prompt, answer in fast.items():
        assert answer == reference[prompt], prompt
