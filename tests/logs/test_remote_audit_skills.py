"""The audit skills that answer from AuditLogs rows (`who_changed`, `actor_activity`,
`policy_changes`) cite the same events and state the same facts with the logs in the loopback
workspace as with them in the store, on several objects of the demo tenant."""

from __future__ import annotations

from typing import Any

import pytest

from idpilot.store import Store
from tests.conftest import DemoTenant
from tests.logs.compare import assert_same_answer, run_both
from tests.logs.workspace_over_store import WorkspaceOverStore

_MEMBERSHIP = "regexp_matches(activityDisplayName, '(?i)(member|owner)s? (to|from) (role|group)')"
_CA_CHANGE = "category = 'Policy' AND activityDisplayName ILIKE '%conditional access policy%'"


def _window_around(store: Store, where: str) -> dict[str, str]:
    """The day of the newest event matching `where`."""
    newest = store.scalar(f"SELECT max(activityDateTime) FROM directoryAudits WHERE {where}")
    day = newest.date().isoformat()
    return {"start": f"{day}T00:00:00Z", "end": f"{day}T23:59:59Z"}


def _membership_cases(store: Store) -> list[dict[str, Any]]:
    """Who changed whose membership: the users, groups and roles the demo's membership events
    name most (a user, a group, a role by its name), removals and owners asked first, a day."""
    users = store.query(
        f"SELECT t ->> '$.id' AS id FROM directoryAudits, "
        "unnest(CAST(targetResources AS JSON[])) AS u(t) "
        f"WHERE {_MEMBERSHIP} AND t ->> '$.type' = 'User' "
        "GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 3"
    )
    groups = store.query(
        f"SELECT t ->> '$.id' AS id FROM directoryAudits, "
        "unnest(CAST(targetResources AS JSON[])) AS u(t) "
        f"WHERE {_MEMBERSHIP} AND t ->> '$.type' = 'Group' "
        "GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 2"
    )
    role = store.scalar(
        "SELECT p ->> '$.newValue' FROM directoryAudits, "
        "unnest(CAST(targetResources AS JSON[])) AS u(t), "
        "unnest(CAST(t -> '$.modifiedProperties' AS JSON[])) AS m(p) "
        "WHERE activityDisplayName = 'Add member to role' "
        "AND p ->> '$.displayName' = 'Role.DisplayName' LIMIT 1"
    )
    assert len(users) == 3 and len(groups) == 2 and role, "the demo's membership events"
    return [
        {},
        {"change": "removed"},
        {"relation": "owner"},
        {"window": _window_around(store, _MEMBERSHIP)},
        *({"user": row["id"]} for row in users),
        *({"group": row["id"], "change": "removed"} for row in groups),
        {"role": role.strip('"')},
    ]


def test_who_changed_cites_the_same_membership_events(
    demo_tenant: DemoTenant,
    directory_only: Store,
    logs_in_workspace: WorkspaceOverStore,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    found = 0
    for case in _membership_cases(demo_tenant.store):
        here, there = run_both(
            demo_tenant, directory_only, logs_in_workspace, monkeypatch, "who_changed", case
        )
        assert_same_answer(here, there, case, logs_in_workspace, "AuditLogs")
        found += bool(here.facts.events)
    assert found >= 8  # the cases find events: equal answers are not two empty ones


def _actors(store: Store) -> list[dict[str, Any]]:
    """The busiest admin, the next one, and the busiest app (by its service principal)."""
    users = store.query(
        "SELECT initiatedBy ->> '$.user.id' AS id FROM directoryAudits "
        "WHERE initiatedBy ->> '$.user.id' IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1 "
        "LIMIT 2"
    )
    app = store.scalar(
        "SELECT initiatedBy ->> '$.app.servicePrincipalId' FROM directoryAudits "
        "WHERE initiatedBy ->> '$.app.servicePrincipalId' IS NOT NULL "
        "GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1"
    )
    assert len(users) == 2 and app
    return [{"user": row["id"]} for row in users] + [{"application": app}]


def test_actor_activity_cites_the_same_events_and_counts(
    demo_tenant: DemoTenant,
    directory_only: Store,
    logs_in_workspace: WorkspaceOverStore,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    actors = _actors(demo_tenant.store)
    busiest = actors[0]["user"]
    day = _window_around(demo_tenant.store, f"initiatedBy ->> '$.user.id' = '{busiest}'")
    for case in [*actors, {**actors[0], "window": day}]:
        here, there = run_both(
            demo_tenant, directory_only, logs_in_workspace, monkeypatch, "actor_activity", case
        )
        assert here.facts.total > 0, case
        assert_same_answer(here, there, case, logs_in_workspace, "AuditLogs")


def test_policy_changes_cite_the_same_events_and_policies(
    demo_tenant: DemoTenant,
    directory_only: Store,
    logs_in_workspace: WorkspaceOverStore,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store = demo_tenant.store
    changed = store.query(
        "SELECT t ->> '$.id' AS policy, initiatedBy ->> '$.user.id' AS actor "
        "FROM directoryAudits, unnest(CAST(targetResources AS JSON[])) AS u(t) "
        f"WHERE {_CA_CHANGE} ORDER BY activityDateTime DESC, id LIMIT 1"
    )[0]
    before_the_logs = {"start": "2020-01-01T00:00:00Z", "end": "2020-01-02T00:00:00Z"}
    cases: list[tuple[dict[str, Any], bool]] = [  # the question, and whether it finds changes
        ({}, True),
        ({"window": _window_around(store, _CA_CHANGE)}, True),
        ({"policy": changed["policy"]}, True),
        ({"actor": changed["actor"]}, True),
        ({"window": before_the_logs}, False),
    ]
    for case, changes in cases:
        here, there = run_both(
            demo_tenant, directory_only, logs_in_workspace, monkeypatch, "policy_changes", case
        )
        assert (here.facts.total > 0) == changes, case
        assert_same_answer(here, there, case, logs_in_workspace, "AuditLogs")


def test_a_scan_of_every_membership_event_is_cut_and_counted_there(
    demo_tenant: DemoTenant, directory_only: Store, logs_in_workspace: WorkspaceOverStore
) -> None:
    from idpilot.logs import AuditScope, StoreLogs, log_reader
    from idpilot.store.audit_activities import MEMBERSHIP_ACTIVITY

    scope = AuditScope(activity_pattern=MEMBERSHIP_ACTIVITY.pattern)
    here, here_total = StoreLogs(demo_tenant.store).audit_events(scope, None, None, 5)
    there, there_total = log_reader(directory_only).audit_events(scope, None, None, 5)
    assert [e.id for e in there] == [e.id for e in here] and len(here) == 5
    assert there_total == here_total > 5
    assert logs_in_workspace.queries[-1].endswith("| count")
    assert "| take 5" in logs_in_workspace.queries[-2]
