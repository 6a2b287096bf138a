"""One object's change between two states, read property by property (pure)."""

from __future__ import annotations

from idpilot.history.changes import ChangeKind, object_change

NAMES = {"u1": "Ann Lee", "r1": "Global Administrator"}


def test_a_change_of_use_only_is_no_change() -> None:
    before = {"id": "u1", "displayName": "Ann", "signInActivity": {"last": "a"}}
    after = {"id": "u1", "displayName": "Ann", "signInActivity": {"last": "b"}}
    assert object_change("users", "u1", before, after, NAMES) is None


def test_nested_policy_settings_are_named_by_their_path() -> None:
    before = {"state": "enabled", "conditions": {"users": {"excludeUsers": ["u1"]}}}
    after = {"state": "enabled", "conditions": {"users": {"excludeUsers": []}}}
    change = object_change("conditionalAccessPolicies", "p1", before, after, NAMES)
    assert change is not None and change.change is ChangeKind.changed
    [prop] = change.properties
    assert (prop.path, prop.before, prop.after) == ("conditions.users.excludeUsers", '["u1"]', "[]")


def test_credentials_are_compared_by_key_id() -> None:
    old = {"keyId": "k1", "displayName": "old", "endDateTime": "2026-01-01"}
    new = {"keyId": "k2", "displayName": "new"}
    change = object_change(
        "servicePrincipals",
        "sp",
        {"displayName": "App", "keyCredentials": [old]},
        {"displayName": "App", "keyCredentials": [new]},
        NAMES,
    )
    assert change is not None and change.properties == []
    assert [(e.id, e.added, e.label) for e in change.elements] == [
        ("k2", True, "new"),
        ("k1", False, "old (expires 2026-01-01)"),
    ]


def test_an_assignment_is_named_by_who_holds_what() -> None:
    state = {"principalId": "u1", "roleDefinitionId": "r1"}
    deleted = object_change("roleAssignments", "a1", state, None, NAMES)
    assert deleted is not None and deleted.change is ChangeKind.deleted
    assert deleted.label == "Ann Lee as Global Administrator"
    assert deleted.kind == "unifiedRoleAssignment"
