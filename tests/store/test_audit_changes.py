"""Store queries behind linked evidence: kinds of user change, a user's changes, owner
removals, the objects ids name, and risk detections near sign-ins."""

from __future__ import annotations

from datetime import timedelta

import pytest

from idpilot.store.audit_activities import UserChange, changes_named, user_change
from idpilot.store.audit_changes import latest_change, owner_removals, user_changes
from idpilot.store.directory import named_objects
from idpilot.store.risk_detections import risk_detections_near
from tests.skills.builtin.linked_tenant import SPRAY_IP, UNKNOWN_ID, Linked, build_linked


@pytest.fixture(scope="module")
def linked(tmp_path_factory: pytest.TempPathFactory) -> Linked:
    built = build_linked(tmp_path_factory.mktemp("links") / "snap")
    yield built
    built.store.close()


@pytest.mark.parametrize(
    ("activity", "enabled", "kind"),
    [
        ("Reset password (by admin)", None, UserChange.password),
        ("Reset password (self-service)", None, UserChange.password),
        ("Reset user password", None, UserChange.password),
        ("Change user password", None, UserChange.password),
        ("Set force change user password", None, UserChange.password),
        ("Unlock user account (self-service)", None, UserChange.unlock),
        ("Disable account", None, UserChange.disabled),
        ("Enable account", None, UserChange.enabled),
        ("Update user", "false", UserChange.disabled),
        ("Update user", None, None),
        ("User registered security info", None, UserChange.security_info),
        ("Disable Strong Authentication", None, UserChange.security_info),
        ("Delete FIDO2 security key(s)", None, UserChange.security_info),
        ("Add member to group", None, UserChange.group),
        ("Remove owner from group", None, UserChange.group),
        ("Add eligible member to role in PIM completed (permanent)", None, UserChange.role),
        ("Update StsRefreshTokenValidFrom Timestamp", None, UserChange.sessions_revoked),
        ("Create application password for user", None, None),
        ("User Password Registration", None, None),
        ("Add service principal", None, None),
    ],
)
def test_user_change_kinds(activity: str, enabled: str | None, kind: UserChange | None) -> None:
    assert user_change(activity, enabled) == kind


def test_changes_named_in_words() -> None:
    assert changes_named("who disabled Dora?") == {UserChange.disabled}
    assert changes_named("any password resets this week") == {UserChange.password}
    assert changes_named("who changed her MFA methods") == {UserChange.security_info}
    assert changes_named("what changed for Eve") == set()


def test_user_changes_oldest_first_and_by_kind(linked: Linked) -> None:
    changes = user_changes(linked.store, linked.ann["id"])
    assert [(c.event.id, c.kind) for c in changes] == [
        (linked.group_add["id"], UserChange.group),
        (linked.reset["id"], UserChange.password),
    ]
    later = user_changes(linked.store, linked.ann["id"], start=linked.lockout_at)
    assert [c.event.id for c in later] == [linked.reset["id"]]
    only = user_changes(linked.store, linked.ann["id"], kinds=frozenset({UserChange.group}))
    assert [c.event.id for c in only] == [linked.group_add["id"]]


def test_latest_change_before_a_moment(linked: Linked) -> None:
    found = latest_change(linked.store, linked.dora["id"], UserChange.disabled)
    assert found is not None and found.id == linked.disable["id"]
    before = latest_change(
        linked.store, linked.dora["id"], UserChange.disabled, before=linked.t.ago(days=11)
    )
    assert before is None


def test_owner_removals_of_a_group(linked: Linked) -> None:
    assert [e.id for e in owner_removals(linked.store, linked.share["id"])] == [
        linked.owner_removed["id"]
    ]
    assert owner_removals(linked.store, linked.finance["id"]) == []


def test_named_objects_by_any_id_case(linked: Linked) -> None:
    ids = [linked.dora["id"].upper(), linked.finance["id"], linked.policy["id"], UNKNOWN_ID]
    found = named_objects(linked.store, ids)
    assert found[linked.dora["id"]]["kind"] == "user"
    assert found[linked.finance["id"]]["kind"] == "group"
    assert found[linked.policy["id"]]["kind"] == "conditionalAccessPolicy"
    assert UNKNOWN_ID not in found
    assert named_objects(linked.store, []) == {}


def test_risk_detections_near_by_ip_and_time(linked: Linked) -> None:
    moment = linked.t.ago(days=2)
    near = risk_detections_near(
        linked.store, [], [], [SPRAY_IP], moment - timedelta(days=1), moment + timedelta(days=1)
    )
    assert [r["id"] for r in near] == [linked.risk["id"]]
    far = risk_detections_near(
        linked.store, [], [], [SPRAY_IP], moment + timedelta(days=1), moment + timedelta(days=2)
    )
    assert far == []
