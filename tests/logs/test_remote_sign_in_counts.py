"""The skills that count sign-ins (`explain_error`, `signin_summary`) state the same figures
and cite the same sign-ins with the logs in the loopback workspace as with them in the store;
a count that would fetch more rows than the bound is refused, saying how many there are."""

from __future__ import annotations

from typing import Any

import pytest

from idpilot.kql.remote.errors import RemoteQueryError
from idpilot.logs import remote
from idpilot.store import Store
from tests.conftest import DemoTenant
from tests.logs.compare import assert_same_answer, run_both, run_skill
from tests.logs.workspace_over_store import WorkspaceOverStore

SIGN_IN_TABLE = "SigninLogs"


def _most(store: Store, expression: str, where: str = "TRUE", limit: int = 1) -> list[Any]:
    """The values of `expression` the most sign-ins matching `where` have."""
    rows = store.query(
        f"SELECT {expression} AS v FROM signIns WHERE {where} AND {expression} IS NOT NULL "
        f"GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT {limit}"
    )
    return [row["v"] for row in rows]


def _day_of_most_failures(store: Store) -> dict[str, str]:
    day = _most(store, "CAST(createdDateTime AS DATE)", "errorCode <> 0")[0].isoformat()
    return {"start": f"{day}T00:00:00Z", "end": f"{day}T23:59:59Z"}


def test_explain_error_counts_and_cites_the_same_sign_ins(
    demo_tenant: DemoTenant,
    directory_only: Store,
    logs_in_workspace: WorkspaceOverStore,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store = demo_tenant.store
    codes = _most(store, "errorCode", "errorCode <> 0", limit=4)
    day = _day_of_most_failures(store)
    cases: list[dict[str, Any]] = [
        *({"code": code} for code in codes),
        {"code": codes[0], "window": day},
        {"code": 700016},  # in the catalogue, never in the demo's sign-ins
    ]
    for case in cases:
        here, there = run_both(
            demo_tenant, directory_only, logs_in_workspace, monkeypatch, "explain_error", case
        )
        assert (here.facts.occurrences.attempts > 0) == (case["code"] != 700016), case
        assert_same_answer(here, there, case, logs_in_workspace, SIGN_IN_TABLE)


def _summary_cases(store: Store) -> list[dict[str, Any]]:
    """The last day, a busy day, the demo's busiest country, city, failing IP and app (by
    name and by its service principal's id), and a country on a day."""
    country = _most(store, "location ->> '$.countryOrRegion'")[0]
    city = _most(store, "location ->> '$.city'", "errorCode <> 0")[0]
    ip = _most(store, "ipAddress", "errorCode <> 0")[0]
    app = store.query(
        "SELECT s.appDisplayName AS name, p.id AS sp FROM signIns s "
        "JOIN servicePrincipals p ON p.appId = s.appId "
        "GROUP BY 1, 2 ORDER BY count(*) DESC, 1 LIMIT 1"
    )[0]
    day = _day_of_most_failures(store)
    return [
        {},
        {"window": day},
        {"countries": [country.lower()]},
        {"cities": [city.upper()]},
        {"ip_address": ip},
        {"app": app["name"].upper()},
        {"app": app["sp"], "window": day},
        {"countries": [country], "window": day},
    ]


def test_sign_in_summaries_state_the_same_figures_and_cite_the_same_sign_ins(
    demo_tenant: DemoTenant,
    directory_only: Store,
    logs_in_workspace: WorkspaceOverStore,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for case in _summary_cases(demo_tenant.store):
        here, there = run_both(
            demo_tenant, directory_only, logs_in_workspace, monkeypatch, "signin_summary", case
        )
        assert here.facts.totals["sign_ins"] > 0 and here.facts.totals["failures"] > 0, case
        assert_same_answer(here, there, case, logs_in_workspace, SIGN_IN_TABLE)


def test_a_count_over_more_sign_ins_than_the_bound_is_refused_with_their_number(
    demo_tenant: DemoTenant,
    directory_only: Store,
    logs_in_workspace: WorkspaceOverStore,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = _day_of_most_failures(demo_tenant.store)
    held = demo_tenant.store.scalar(
        "SELECT count(*) FROM signIns WHERE createdDateTime BETWEEN ? AND ?",
        [window["start"], window["end"]],
    )
    monkeypatch.setattr(remote, "MAX_SIGN_INS_COUNTED", held - 1)
    with pytest.raises(RemoteQueryError) as refused:
        run_skill(directory_only, "signin_summary", {"window": window})
    assert f"holds {held:,} sign-ins for this question, more than the {held - 1:,}" in str(
        refused.value
    )
    assert not any("project Id, CreatedDateTime" in q for q in logs_in_workspace.queries)
    monkeypatch.setattr(remote, "MAX_SIGN_INS_COUNTED", held)
    assert run_skill(directory_only, "signin_summary", {"window": window}).facts.totals[
        "sign_ins"
    ] == demo_tenant.store.scalar(
        "SELECT count(*) FROM signIns WHERE createdDateTime >= ? AND createdDateTime < ?",
        [window["start"], window["end"]],
    )
