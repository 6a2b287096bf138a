"""explain_error and signin_summary count exactly what the store holds."""

from __future__ import annotations

from datetime import timedelta

from idpilot.copilot.engine import Copilot
from idpilot.knowledge import default_catalog
from idpilot.skills import default_registry
from tests.conftest import DemoTenant


def _run(demo: DemoTenant, skill: str, params: dict[str, object]):
    return default_registry().get(skill).run(demo.store, params)


def test_explain_error_counts_every_occurrence(demo_tenant: DemoTenant) -> None:
    result = _run(demo_tenant, "explain_error", {"code": 50126})
    expected = demo_tenant.store.scalar("SELECT count(*) FROM signIns WHERE errorCode = 50126")
    assert result.facts.occurrences.attempts == expected > 0
    assert result.facts.explanation["found"] is True
    assert 'ResultType == "50126"' in (result.kql or "")
    top = result.facts.top_users[0]
    assert {e.id for e in result.evidence} >= {top.latest_id}


def test_explain_error_of_an_unknown_code_says_so(demo_tenant: DemoTenant) -> None:
    result = _run(demo_tenant, "explain_error", {"code": 99999})
    assert result.facts.explanation["found"] is False
    assert result.facts.occurrences.attempts == 0


def test_signin_summary_counts_failures_apart_from_interrupts(demo_tenant: DemoTenant) -> None:
    store = demo_tenant.store
    end = store.captured_at()
    start = end - timedelta(days=2)
    window = {"start": start, "end": end}
    result = _run(demo_tenant, "signin_summary", {"window": window})
    interrupts = sorted(e.code for e in default_catalog() if e.is_interrupt)
    truth = store.con.execute(
        "SELECT count(*), count(*) FILTER (WHERE errorCode <> 0 AND NOT list_contains($i, "
        "errorCode)), count(*) FILTER (WHERE list_contains($i, errorCode)) FROM signIns "
        "WHERE createdDateTime >= $s AND createdDateTime < $e",
        {"i": interrupts, "s": start, "e": end},
    ).fetchone()
    totals = result.facts.totals
    assert (totals["sign_ins"], totals["failures"], totals["interrupts"]) == truth
    assert all(row["key"] not in interrupts for row in result.facts.top["errors"])
    counts = [row["failures"] for row in result.facts.top["errors"]]
    assert counts == sorted(counts, reverse=True)


def test_troubleshooting_for_one_app_cites_the_app(demo_tenant: DemoTenant) -> None:
    lockout = demo_tenant.answer_key["personas"]["lockout_user"]
    answer = Copilot(demo_tenant.store).ask(
        f"why did {lockout['displayName']} fail to sign in to Azure Portal?"
    )
    assert "servicePrincipal" in {c.kind for c in answer.citations}
