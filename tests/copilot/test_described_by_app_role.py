"""People named by an app role they hold: "the person who approves payments in the ledger
portal", "our payment approver", "who can approve travel expenses?"."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest

from idpilot.copilot.described_by_app_role import MAX_HOLDERS
from idpilot.copilot.described_people import described_people
from idpilot.copilot.understanding.understand import understand
from idpilot.skills import default_registry
from idpilot.store import Store
from idpilot.store.lookup import MatchQuality
from tests.conftest import DemoTenant
from tests.security.builder import TenantBuilder


@dataclass
class _Tenant:
    store: Store
    builder: TenantBuilder
    ledger: dict[str, Any]
    travel: dict[str, Any]


@pytest.fixture(scope="module")
def tenant(tmp_path_factory: pytest.TempPathFactory) -> _Tenant:
    """Two apps whose roles people hold: one payment approver and one invoice clerk in the
    Ledger Portal; two expense approvers (through a group) in the Travel Desk."""
    t = TenantBuilder()
    payments = t.app_role("Payment Approver", "Approves outgoing payments")
    invoices = t.app_role("Invoice Clerk", "Enters supplier invoices")
    expenses = t.app_role("Expense Approver", "Approves travel expenses")
    ledger = t.service_principal("Ledger Portal", appRoles=[payments, invoices])
    travel = t.service_principal("Travel Desk", appRoles=[expenses])
    t.assign_app_role(t.user("Paula Payer"), ledger, payments)
    t.assign_app_role(t.user("Ivo Invoicer"), ledger, invoices)
    nested = t.group("Travel Assistants", [t.user("Nina Nested")])
    erik, elsa = t.user("Erik Expense"), t.user("Elsa Expense")
    approvers = t.group("Expense Approvers", [erik, elsa, nested])
    t.assign_app_role(approvers, travel, expenses)
    t.user("Hana Head", jobTitle="Head of Payments")
    store = t.store(tmp_path_factory.mktemp("app-roles") / "snap")
    yield _Tenant(store, t, ledger, travel)
    store.close()


def _names(tenant: _Tenant, prompt: str, *apps: dict[str, Any]) -> list[str]:
    matches = described_people(
        tenant.store, prompt, tenant.builder.ago(days=0), {a["id"] for a in apps}
    )
    return [m.label for m in matches]


def test_what_a_person_does_names_the_holder_of_the_role_that_says_it(tenant: _Tenant) -> None:
    prompt = "the person who approves payments in the ledger portal: is she risky?"
    assert _names(tenant, prompt, tenant.ledger) == ["Paula Payer"]
    assert _names(tenant, "who approves payments?", tenant.ledger) == ["Paula Payer"]
    assert _names(tenant, "our payment approver, when did she last sign in?") == ["Paula Payer"]
    assert _names(tenant, "someone who enters invoices cannot sign in") == ["Ivo Invoicer"]


def test_one_holder_is_named_as_surely_as_by_name(tenant: _Tenant) -> None:
    matches = described_people(tenant.store, "who can approve payments?", tenant.builder.ago())
    assert [(m.label, m.quality) for m in matches] == [("Paula Payer", MatchQuality.alias)]


def test_several_holders_make_the_question_ask_which(tenant: _Tenant) -> None:
    """The group's direct members hold the role; the member of its nested group does not."""
    matches = described_people(
        tenant.store, "who can approve travel expenses?", tenant.builder.ago()
    )
    assert sorted(m.label for m in matches) == ["Elsa Expense", "Erik Expense"]
    assert {m.quality for m in matches} == {MatchQuality.first_name}


def test_the_app_the_prompt_names_bounds_the_roles(tenant: _Tenant) -> None:
    assert _names(tenant, "the approver in the travel desk", tenant.travel) == [
        "Elsa Expense",
        "Erik Expense",
    ]
    assert _names(tenant, "the approver in the ledger portal", tenant.ledger) == ["Paula Payer"]
    # The Travel Desk has no role about invoices: no one there is described.
    assert _names(tenant, "the person who enters invoices in the travel desk", tenant.travel) == []


def test_lists_events_and_other_words_describe_no_one(tenant: _Tenant) -> None:
    assert _names(tenant, "the approvers in the ledger portal", tenant.ledger) == []
    assert _names(tenant, "the approval of payments last week") == []
    assert _names(tenant, "the approval last week") == []
    assert _names(tenant, "who signed in to the ledger portal yesterday?", tenant.ledger) == []
    assert _names(tenant, "who changed the payment settings?") == []


def test_a_job_title_describes_before_an_app_role(tenant: _Tenant) -> None:
    assert _names(tenant, "our Head of Payments: is she risky?") == ["Hana Head"]


_HOLDERS = """
SELECT a.resourceId AS app_id, sp.displayName AS app, a.appRoleId AS role_id,
       coalesce(r.value->>'$.displayName', r.value->>'$.value') AS role,
       list(DISTINCT u.displayName ORDER BY u.displayName) AS holders
FROM appRoleAssignments a JOIN servicePrincipals sp ON sp.id = a.resourceId,
     json_each(sp.appRoles) r,
     users u
WHERE r.value->>'$.id' = a.appRoleId AND a.principalType IN ('User', 'Group')
  AND (u.id = a.principalId OR u.id IN (SELECT m.member_id FROM group_members m
                                         WHERE m.group_id = a.principalId))
GROUP BY ALL ORDER BY app, role
"""


def _head_noun(role: str) -> str:
    """The last word of a role's name ("Finance.Approver": "approver")."""
    return re.findall(r"[a-z]+", re.sub(r"(?<=[a-z])(?=[A-Z])", " ", role).lower())[-1]


def test_demo_role_holders_are_described_by_their_roles_person_noun(
    demo_tenant: DemoTenant,
) -> None:
    """On the demo tenant: every app role held by at most `MAX_HOLDERS` people, said as "the
    <app> <role noun>", names its holders (one as surely as by name)."""
    store = demo_tenant.store
    rows = [r for r in store.query(_HOLDERS) if len(r["holders"]) <= MAX_HOLDERS]
    assert any(len(r["holders"]) == 1 for r in rows), "no demo app role has a single holder"
    anchor = store.captured_at()
    for row in rows:
        noun = _head_noun(row["role"])
        if sum(_head_noun(r["role"]) == noun for r in rows if r["app_id"] == row["app_id"]) > 1:
            continue  # two roles of the app end in the same word
        prompt = f"the {row['app']} {noun}: is she risky?"
        matches = described_people(store, prompt, anchor, {row["app_id"]})
        assert sorted(m.label for m in matches) == sorted(row["holders"]), prompt
        one = len(row["holders"]) == 1
        assert {m.quality for m in matches} == {
            MatchQuality.alias if one else MatchQuality.first_name
        }


def test_demo_a_described_holder_is_who_the_question_is_about(demo_tenant: DemoTenant) -> None:
    """Understanding resolves the app the prompt names and the one holder of its role: the
    question is about that person."""
    store = demo_tenant.store
    rows = [r for r in store.query(_HOLDERS) if len(r["holders"]) == 1]
    row = rows[0]
    noun = _head_noun(row["role"])
    prompt = f"the {noun} in {row['app']}: is she risky?"
    request = understand(store, default_registry(), prompt, store.captured_at())
    users = [m.label for m in request.entities.of_kind("user")]
    assert users == row["holders"]
    assert request.intent == "risky_user_summary"


def test_demo_a_directory_role_is_not_an_app_role(demo_tenant: DemoTenant) -> None:
    """ "who holds Global Administrator?" asks about a directory role even when an app role's
    words come close ("admin")."""
    store = demo_tenant.store
    request = understand(
        store, default_registry(), "Who holds Global Administrator?", store.captured_at()
    )
    assert not request.entities.of_kind("user")


def test_a_group_the_prompt_names_is_what_its_who_is_about(tenant: _Tenant) -> None:
    """ "who approves travel expenses?" describes the role's holders; naming a group makes the
    question about the group."""
    registry = default_registry()
    anchor = tenant.builder.ago(days=0)
    request = understand(tenant.store, registry, "who approves travel expenses?", anchor)
    assert sorted(m.label for m in request.entities.of_kind("user")) == [
        "Elsa Expense",
        "Erik Expense",
    ]
    prompt = "who approves travel expenses for Travel Assistants?"
    request = understand(tenant.store, registry, prompt, anchor)
    assert not request.entities.of_kind("user")
