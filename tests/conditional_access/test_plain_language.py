"""A Conditional Access policy in plain language: who, which apps, when, then what."""

from __future__ import annotations

from typing import Any

from idpilot.conditional_access.plain_language import MAX_NAMED, policy_ids, summarize_policy
from idpilot.conditional_access.policy import parse_policy

GROUP = "11111111-1111-1111-1111-111111111111"
USER = "22222222-2222-2222-2222-222222222222"
LOCATION = "33333333-3333-3333-3333-333333333333"
NAMES = {GROUP: "Break glass", USER: "ada@contoso.example", LOCATION: "Head office"}


def _policy(**parts: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": "p1",
        "displayName": "Test policy",
        "state": "enabled",
        "conditions": {
            "users": {"includeUsers": ["All"], "excludeGroups": [GROUP]},
            "applications": {"includeApplications": ["All"]},
            "clientAppTypes": ["all"],
        },
        "grantControls": {"operator": "OR", "builtInControls": ["mfa"]},
    }
    base.update(parts)
    return base


def _text(data: dict[str, Any], names: dict[str, str] = NAMES) -> str:
    return " ".join(summarize_policy(parse_policy(data), names).sentences)


def test_who_which_apps_and_what_in_words_with_names() -> None:
    text = _text(_policy())
    assert text.startswith("On: enforced.")
    assert "Applies to all users, except members of Break glass." in text
    assert "When signing in to all cloud apps." in text
    assert "Then: require multifactor authentication." in text
    assert GROUP not in text


def test_legacy_clients_and_block() -> None:
    data = _policy(grantControls={"operator": "OR", "builtInControls": ["block"]})
    data["conditions"]["clientAppTypes"] = ["exchangeActiveSync", "other"]
    text = _text(data)
    assert "Only from Exchange ActiveSync (legacy), other legacy clients" in text
    assert text.endswith("Then: block access.")


def test_report_only_and_off_say_they_enforce_nothing() -> None:
    assert "enforces nothing" in _text(_policy(state="enabledForReportingButNotEnforced"))
    assert _text(_policy(state="disabled")).startswith("Off: it does nothing.")


def test_all_of_several_controls_and_locations_risk_and_session() -> None:
    data = _policy(
        grantControls={"operator": "AND", "builtInControls": ["mfa", "compliantDevice"]},
        sessionControls={"signInFrequency": {"isEnabled": True, "value": 4, "type": "hours"}},
    )
    data["conditions"]["locations"] = {"includeLocations": ["All"], "excludeLocations": [LOCATION]}
    data["conditions"]["signInRiskLevels"] = ["high", "medium"]
    text = _text(data)
    assert "require multifactor authentication and require a compliant device" in text
    assert "From any location, except Head office." in text
    assert "Only when the sign-in risk is high, medium." in text
    assert "Session: ask to sign in again every 4 hours." in text


def test_long_lists_are_counted_and_unknown_ids_shown_as_ids() -> None:
    users = [f"0000000{i}-0000-0000-0000-000000000000" for i in range(MAX_NAMED + 3)]
    data = _policy()
    data["conditions"]["users"] = {"includeUsers": users}
    text = _text(data, {})
    assert f"{users[0]}" in text and "and 3 more users" in text
    assert users[-1] not in text


def test_policy_ids_lists_every_object_the_policy_names() -> None:
    data = _policy()
    data["conditions"]["users"]["excludeUsers"] = [USER]
    data["conditions"]["locations"] = {"includeLocations": [LOCATION]}
    assert {GROUP, USER, LOCATION} <= set(policy_ids(parse_policy(data)))
