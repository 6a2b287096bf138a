"""Phrases of a prompt name the audit activities they mean, by their telling words."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from idpilot.sources.ingest import ingest_folder
from idpilot.store import Store
from idpilot.store.audit_activities import activities_named

ACTIVITIES = ("Reset user password", "Delete user", "Add member to role", "Update user")


@pytest.fixture
def audited(tmp_path: Path, store: Store) -> Store:
    folder = tmp_path / "snap"
    folder.mkdir()
    audits = [
        {"id": f"a{n}", "activityDisplayName": name, "activityDateTime": "2026-01-01T00:00:00Z"}
        for n, name in enumerate(ACTIVITIES)
    ]
    (folder / "directoryAudits.json").write_text(json.dumps({"value": audits}))
    ingest_folder(store, folder)
    return store


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("who reset passwords last week?", ["Reset user password"]),
        ("who deleted users this month", ["Delete user"]),
        ("who added members to roles", ["Add member to role"]),
        ("all changes to privileged role assignments in May", ["Add member to role"]),
        # A verb alone does not name "Update user" or "Delete user": its object is said too.
        ("what updates were made", []),
        ("who updated her account", ["Update user"]),
        ("did anyone delete a new secret", []),
        ("what changed for Eve last week", []),
    ],
)
def test_activities_named(audited: Store, text: str, expected: list[str]) -> None:
    assert activities_named(audited, text) == expected


@pytest.mark.parametrize(
    "said",
    [
        "who switched off Begoña Zárate's account?",
        "who turned off her account last week?",
        "who switched the account off",
        "was his account suspended?",
    ],
)
def test_an_account_switched_off_is_a_disabled_account(said: str) -> None:
    from idpilot.store.audit_activities import UserChange, changes_named

    assert UserChange.disabled in changes_named(said)


def test_a_setting_switched_off_is_no_disabled_account() -> None:
    from idpilot.store.audit_activities import UserChange, changes_named

    assert UserChange.disabled not in changes_named("who turned MFA off for the finance team")
