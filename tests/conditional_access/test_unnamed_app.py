"""A sign-in that names no app: a policy on All apps still applies, unless it excludes some."""

from __future__ import annotations

from idpilot.conditional_access import InMemoryDirectory, PolicySet, SignInContext


def _policy(applications: dict) -> dict:
    return {
        "id": "p1",
        "displayName": "p1",
        "state": "enabled",
        "conditions": {
            "users": {"includeUsers": ["All"]},
            "applications": applications,
            "clientAppTypes": ["all"],
        },
        "grantControls": {"operator": "OR", "builtInControls": ["block"]},
    }


def _check(applications: dict):
    policy_set = PolicySet.from_graph([_policy(applications)], [])
    evaluation = policy_set.evaluate(SignInContext(user_id="u"), InMemoryDirectory())
    [policy] = evaluation.policies
    return next(c for c in policy.checks if c.condition == "applications"), policy


def test_all_apps_apply_whatever_the_app() -> None:
    check, policy = _check({"includeApplications": ["All"]})
    assert check.matched is True and policy.missing_facts == []


def test_all_apps_with_an_exclusion_depend_on_the_app() -> None:
    check, policy = _check({"includeApplications": ["All"], "excludeApplications": ["a1"]})
    assert check.matched is None and policy.missing_facts == ["app_id"]


def test_one_app_depends_on_the_app() -> None:
    check, _ = _check({"includeApplications": ["a1"]})
    assert check.matched is None
