"""The recorder's conditionalAccessStatus follows Microsoft's documented rule, not the engine's.

concept-sign-in-log-activity-details.md: `success` when an enforced policy applied or was
evaluated for the user and application (even if another condition kept it from applying),
`failure` when an enforced policy's controls failed, `notApplied` when no policy applied to the
user and application. Report-only policies do not set it.
"""

from __future__ import annotations

from idpilot.conditional_access import InMemoryDirectory, PolicySet, SignInContext
from idpilot.sources.demo.conditional import conditional_access_status


def _policy(state: str, users: dict, **conditions) -> dict:
    return {
        "id": f"p-{state}",
        "displayName": state,
        "state": state,
        "conditions": {
            "users": users,
            "applications": {"includeApplications": ["All"]},
            "clientAppTypes": ["all"],
            **conditions,
        },
        "grantControls": {"operator": "OR", "builtInControls": ["block"]},
    }


def _status(*policies: dict, client: str = "browser") -> str:
    context = SignInContext(user_id="u1", app_id="a1", client_app=client)
    evaluation = PolicySet.from_graph(list(policies), []).evaluate(context, InMemoryDirectory())
    return conditional_access_status(evaluation)


def test_evaluated_for_user_and_app_is_success_even_when_a_condition_keeps_it_out() -> None:
    legacy_block = _policy("enabled", {"includeUsers": ["All"]}, clientAppTypes=["other"])
    assert _status(legacy_block) == "success"
    assert _status(legacy_block, client="other") == "failure"


def test_a_user_outside_every_policy_is_not_applied() -> None:
    other_user = _policy("enabled", {"includeUsers": ["someone-else"]})
    assert _status(other_user) == "notApplied"


def test_report_only_and_disabled_policies_do_not_set_the_status() -> None:
    report_only = _policy("enabledForReportingButNotEnforced", {"includeUsers": ["All"]})
    disabled = _policy("disabled", {"includeUsers": ["All"]})
    assert _status(report_only, disabled) == "notApplied"
