"""Risky users listed by how their risk was closed and when it was last updated, and a window a
list cannot apply said, not dropped."""

from __future__ import annotations

from idpilot.copilot.engine import Copilot
from tests.conftest import DemoTenant

SELF = ("userPerformedSecuredPasswordReset", "userPerformedSecuredPasswordChange")


def _ids(demo: DemoTenant, where: str, params: list[object] | None = None) -> set[str]:
    rows = demo.store.con.execute(f"SELECT id FROM riskyUsers WHERE {where}", params or [])
    return {row[0] for row in rows.fetchall()}


def _cited(answer) -> set[str]:
    return {c.id for c in answer.citations if c.kind == "riskyUser"}


def test_users_who_closed_their_own_risk(demo_tenant: DemoTenant) -> None:
    expected = _ids(demo_tenant, "riskDetail IN (SELECT unnest(?))", [list(SELF)])
    assert expected  # the demo plants secure password resets
    answer = Copilot(demo_tenant.store).ask("which users cleared their own risk?")
    assert [s.name for s in answer.skills] == ["risky_users"]
    assert _cited(answer) == expected


def test_dismissed_in_a_window(demo_tenant: DemoTenant) -> None:
    copilot = Copilot(demo_tenant.store)
    every = _ids(demo_tenant, "riskState = 'dismissed'")
    answer = copilot.ask("whose user risk was dismissed?")
    assert _cited(answer) == every
    captured = demo_tenant.store.captured_at()
    recent = _ids(
        demo_tenant,
        "riskState = 'dismissed' AND riskLastUpdatedDateTime >= ?",
        [captured.replace(day=1, hour=0, minute=0, second=0, microsecond=0)],
    )
    this_month = copilot.ask("whose user risk was dismissed this month?")
    assert _cited(this_month) == recent
    assert "Not applied" not in this_month.answer


def test_a_window_a_list_cannot_apply_is_said(demo_tenant: DemoTenant) -> None:
    answer = Copilot(demo_tenant.store).ask("list the groups with no owners created last month")
    assert answer.answer.startswith("**Not applied:**") and "last month" in answer.answer


def test_set_aside_and_when_to_act_are_not_filters(demo_tenant: DemoTenant) -> None:
    copilot = Copilot(demo_tenant.store)
    high = _ids(
        demo_tenant, "riskLevel = 'high' AND riskState IN ('atRisk', 'confirmedCompromised')"
    )
    today = copilot.ask("any high risk users I need to deal with today?")
    assert _cited(today) == high
    assert "Not applied" not in today.answer
    open_ones = _ids(demo_tenant, "riskState IN ('atRisk', 'confirmedCompromised')")
    skipped = copilot.ask("list the risky users, but skip the ones already remediated or dismissed")
    assert _cited(skipped) == open_ones


def test_asked_whether_each_was_remediated_or_dismissed_lists_all(demo_tenant: DemoTenant) -> None:
    every = _ids(demo_tenant, "TRUE")
    answer = Copilot(demo_tenant.store).ask(
        "was every user flagged by Identity Protection remediated or dismissed?"
    )
    assert _cited(answer) == every  # the open ones are the exceptions asked about
