"""Skills whose log reads can run remotely do: with the logs in a (loopback) Log Analytics
workspace and only the directory in the local store, each answer cites exactly the records the
local answer cites, from every read of sign-ins, audit events and risk detections."""

from __future__ import annotations

from typing import Any

import pytest

from idpilot.kql.remote.errors import RemoteQueryError
from idpilot.store import Store
from tests.conftest import DemoTenant
from tests.logs.compare import cited, run_both, run_skill
from tests.logs.workspace_over_store import ADX_PATH, WorkspaceOverStore


def test_the_local_store_of_the_remote_path_holds_no_log_rows(directory_only: Store) -> None:
    for table in ("signIns", "directoryAudits", "riskDetections", "riskyUsers"):
        assert directory_only.scalar(f'SELECT count(*) FROM "{table}"') == 0
    assert directory_only.scalar("SELECT count(*) FROM users") > 0


def _risky_user_ids(demo_tenant: DemoTenant) -> list[str]:
    return [row["id"] for row in demo_tenant.store.query("SELECT id FROM riskyUsers ORDER BY id")]


def test_every_risky_user_summary_cites_the_same_records(
    demo_tenant: DemoTenant,
    directory_only: Store,
    logs_in_workspace: WorkspaceOverStore,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    users = _risky_user_ids(demo_tenant)
    assert len(users) >= 5
    for user in users:
        here, there = run_both(
            demo_tenant, directory_only, logs_in_workspace, monkeypatch,
            "risky_user_summary", {"user": user},
        )  # fmt: skip
        assert cited(there) == cited(here), (user, cited(there), cited(here))
        assert there.facts == here.facts, user
        assert any("AADUserRiskEvents" in q for q in logs_in_workspace.queries)
    kinds = {kind for user in users[:1] for kind, _ in cited(here)}
    assert "riskDetection" in kinds


_AUDITED_KINDS = {
    "user": "users",
    "group": "groups",
    "application": "servicePrincipals",
    "policy": "conditionalAccessPolicies",
    "role": "roleDefinitions",
}


def _most_audited(store: Store, kind: str) -> str:
    """The object of `kind` the most audit events are about (target it or name it)."""
    table = _AUDITED_KINDS[kind]
    rows = store.query(
        f'SELECT x.id, count(*) AS n FROM audit_objects o JOIN "{table}" x '
        "ON lower(x.id) = o.object_id WHERE o.relation IN ('target', 'related') "
        "GROUP BY 1 ORDER BY n DESC, 1 LIMIT 1"
    )
    assert rows, f"no audited {kind} in the demo tenant"
    return rows[0]["id"]


def _busiest_activities(store: Store) -> list[str]:
    rows = store.query(
        "SELECT activityDisplayName AS a FROM directoryAudits GROUP BY 1 "
        "ORDER BY count(*) DESC, 1 LIMIT 2"
    )
    return [row["a"] for row in rows]


@pytest.mark.parametrize("kind", [None, *_AUDITED_KINDS])
def test_audit_history_cites_the_same_events_and_counts(
    demo_tenant: DemoTenant,
    directory_only: Store,
    logs_in_workspace: WorkspaceOverStore,
    monkeypatch: pytest.MonkeyPatch,
    kind: str | None,
) -> None:
    params = {kind: _most_audited(demo_tenant.store, kind)} if kind else {}
    cases = [params, {**params, "activities": _busiest_activities(demo_tenant.store)}]
    if kind in (None, "user"):
        captured = demo_tenant.store.captured_at().isoformat()
        cases.append({**params, "window": {"start": "2026-11-10T00:00:00Z", "end": captured}})
    for case in cases:
        here, there = run_both(
            demo_tenant, directory_only, logs_in_workspace, monkeypatch, "audit_history", case
        )
        assert here.facts.total > 0 or case.get("activities"), case  # a case with events
        assert cited(there) == cited(here), case
        assert there.facts == here.facts, case
        assert logs_in_workspace.queries and "AuditLogs" in logs_in_workspace.queries[-1]


def test_an_audit_history_of_nothing_in_the_window_is_empty_there_too(
    demo_tenant: DemoTenant,
    directory_only: Store,
    logs_in_workspace: WorkspaceOverStore,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = {"start": "2020-01-01T00:00:00Z", "end": "2020-01-02T00:00:00Z"}
    here, there = run_both(
        demo_tenant, directory_only, logs_in_workspace, monkeypatch,
        "audit_history", {"window": window},
    )  # fmt: skip
    assert here.facts.total == there.facts.total == 0
    assert cited(there) == cited(here)


def _troubled_users(store: Store) -> list[str]:
    """Users whose sign-ins the troubleshooter explains in every way: the most failures, a
    lockout, denied MFA prompts, failures and successes from the IP that failed the most
    accounts (a spray)."""
    most = store.query(
        "SELECT userId FROM signIns WHERE errorCode <> 0 GROUP BY 1 ORDER BY count(*) DESC, 1 "
        "LIMIT 8"
    )
    by_code = store.query(
        "SELECT DISTINCT ON (errorCode) userId FROM signIns WHERE errorCode IN (50053, 500121) "
        "ORDER BY errorCode, userId"
    )
    sprayed = store.query(
        "WITH ip AS (SELECT ipAddress FROM signIns WHERE errorCode = 50126 GROUP BY 1 "
        "ORDER BY count(DISTINCT userId) DESC, 1 LIMIT 1) "
        "SELECT DISTINCT ON (errorCode = 0) userId FROM signIns "
        "WHERE ipAddress = (SELECT ipAddress FROM ip) ORDER BY errorCode = 0, userId"
    )
    return list(dict.fromkeys(r["userId"] for r in [*most, *by_code, *sprayed]))


def test_sign_in_troubleshooting_cites_the_same_records_from_every_read(
    demo_tenant: DemoTenant,
    directory_only: Store,
    logs_in_workspace: WorkspaceOverStore,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    patterns: set[str] = set()
    for user in _troubled_users(demo_tenant.store):
        here, there = run_both(
            demo_tenant, directory_only, logs_in_workspace, monkeypatch,
            "signin_troubleshoot", {"user": user},
        )  # fmt: skip
        assert cited(there) == cited(here), user
        assert there.facts == here.facts, user
        patterns |= set((here.facts.primary or {}).get("patterns", {}))
        tables = " ".join(logs_in_workspace.queries)
        assert "SigninLogs" in tables and "AADNonInteractiveUserSignInLogs" in tables
    # the remote path was proved on each pattern, not only on plain failures
    assert {"password_spray", "lockout", "mfa_fatigue"} <= patterns


def test_a_troubleshooting_narrowed_to_an_app_and_a_window_cites_the_same_records(
    demo_tenant: DemoTenant,
    directory_only: Store,
    logs_in_workspace: WorkspaceOverStore,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    row = demo_tenant.store.query(
        "SELECT userId, appDisplayName, createdDateTime FROM signIns "
        "WHERE errorCode IN (50126, 50053, 50057, 53003) ORDER BY createdDateTime DESC, id LIMIT 1"
    )[0]
    day = row["createdDateTime"].date().isoformat()
    window = {"start": f"{day}T00:00:00Z", "end": f"{day}T23:59:59Z"}
    params = {"user": row["userId"], "app": row["appDisplayName"], "window": window}
    here, there = run_both(
        demo_tenant, directory_only, logs_in_workspace, monkeypatch, "signin_troubleshoot", params
    )
    assert here.facts.in_window and cited(there) == cited(here)
    assert there.facts == here.facts


def test_a_partial_result_is_refused_rather_than_cited(
    demo_tenant: DemoTenant,
    directory_only: Store,
    logs_in_workspace: WorkspaceOverStore,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = logs_in_workspace.answer

    def partial(path: str, query: str) -> tuple[int, dict[str, Any]]:
        status, body = real(path, query)
        body["error"] = {"code": "PartialError", "message": "There were some errors"}
        return status, body

    monkeypatch.setattr(logs_in_workspace, "answer", partial)
    user = _risky_user_ids(demo_tenant)[0]
    with pytest.raises(RemoteQueryError, match="only part of the rows") as raised:
        run_skill(directory_only, "risky_user_summary", {"user": user})
    assert "PartialError" in str(raised.value)


def test_a_user_id_that_reads_as_kql_is_only_a_value(
    directory_only: Store, logs_in_workspace: WorkspaceOverStore
) -> None:
    from idpilot.logs import log_reader

    hostile = '" or true | union AuditLogs | where "" == "'
    reads = log_reader(directory_only)
    assert reads.risk_detections_of_user(hostile) == []
    assert reads.user_sign_ins(hostile, None, None, None, None) == []
    assert hostile.replace('"', '\\"') in logs_in_workspace.queries[-1]


def test_with_the_logs_in_a_data_explorer_database_the_same_records_are_cited(
    demo_tenant: DemoTenant,
    directory_only: Store,
    logs_in_workspace: WorkspaceOverStore,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("IDPILOT_LOGS_REMOTE", "adx")
    monkeypatch.setenv("IDPILOT_DATA_EXPLORER_CLUSTER", logs_in_workspace.base_url)
    monkeypatch.setenv("IDPILOT_DATA_EXPLORER_DATABASE", "EntraLogs")
    user = _troubled_users(demo_tenant.store)[0]
    captured = demo_tenant.store.captured_at().isoformat()
    for skill, params in (
        ("risky_user_summary", {"user": _risky_user_ids(demo_tenant)[0]}),
        ("signin_troubleshoot", {"user": user}),
        ("audit_history", {}),
        ("who_changed", {}),
        ("policy_changes", {}),
        ("explain_error", {"code": 50126}),
        ("signin_summary", {"window": {"start": "2026-11-01T00:00:00Z", "end": captured}}),
        ("risky_users", {"include_closed": True}),
    ):
        here, there = run_both(
            demo_tenant, directory_only, logs_in_workspace, monkeypatch, skill, params
        )
        assert cited(there) == cited(here), skill
        assert there.facts == here.facts, skill
    assert logs_in_workspace.queries and set(logs_in_workspace.paths[-3:]) == {ADX_PATH}


def _display_name(store: Store, user_id: str) -> str:
    return store.query("SELECT displayName FROM users WHERE id = ?", [user_id])[0]["displayName"]


def test_demo_questions_get_the_same_answer_and_citations_from_the_workspace(
    demo_tenant: DemoTenant,
    directory_only: Store,
    logs_in_workspace: WorkspaceOverStore,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from idpilot.copilot.engine import Copilot

    troubled = _display_name(demo_tenant.store, _troubled_users(demo_tenant.store)[0])
    risky = _display_name(demo_tenant.store, _risky_user_ids(demo_tenant)[0])
    group = demo_tenant.store.query(
        "SELECT displayName FROM groups WHERE id = ?", [_most_audited(demo_tenant.store, "group")]
    )[0]["displayName"]
    questions = {
        f"Why did {troubled} fail to sign in?": "signin_troubleshoot",
        f"Summarize the risk of {risky}": "risky_user_summary",
        f"Show the audit history of the group {group}": "audit_history",
    }
    for prompt, skill in questions.items():
        with monkeypatch.context() as local:
            local.delenv("IDPILOT_LOGS_REMOTE")
            here = Copilot(demo_tenant.store).ask(prompt)
        there = Copilot(directory_only).ask(prompt)
        assert [s.name for s in here.skills] == [skill], prompt
        assert [(c.kind, c.id) for c in there.citations] == [
            (c.kind, c.id) for c in here.citations
        ], prompt
        assert there.answer == here.answer, prompt
        assert "read by KQL in Log Analytics workspace" in (there.limits or ""), prompt
        assert "read by KQL" not in (here.limits or ""), prompt
