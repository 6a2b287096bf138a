"""A sign-in that failed primary authentication is not evaluated by Conditional Access.

Shaped like the unseen tenant's disagreements: a wrong password (50126) with a report-only MFA
policy. Entra records every enabled policy `notApplied`, the report-only one
`reportOnlyNotApplied`, disabled ones `notEnabled`, and conditionalAccessStatus `notApplied`.
"""

from __future__ import annotations

import pytest

from idpilot.conditional_access import (
    AppliedPolicyResult,
    InMemoryDirectory,
    Outcome,
    PolicySet,
    compare,
    context_from_sign_in,
)
from tests.conditional_access.everyone_policy import everyone_policy

R = AppliedPolicyResult


POLICIES = PolicySet.from_graph(
    [
        everyone_policy("mfa", "enabled"),
        everyone_policy("report-only-mfa", "enabledForReportingButNotEnforced"),
        everyone_policy("pilot-block", "disabled", "block"),
    ],
    [],
)
RECORDED = [  # as the unseen tenant recorded a wrong-password sign-in
    {"id": "mfa", "result": "notApplied"},
    {"id": "report-only-mfa", "result": "reportOnlyNotApplied"},
    {"id": "pilot-block", "result": "notEnabled"},
]


def _sign_in(code: int) -> dict:
    return {
        "userId": "u1",
        "appId": "00000003-0000-0000-c000-000000000000",
        "clientAppUsed": "Browser",
        "ipAddress": "198.51.100.7",
        "status": {"errorCode": code},
        "authenticationRequirement": "singleFactorAuthentication",
        "conditionalAccessStatus": "notApplied",
        "appliedConditionalAccessPolicies": RECORDED,
    }


def test_wrong_password_with_report_only_mfa_is_report_only_not_applied() -> None:
    context = context_from_sign_in(_sign_in(50126))
    assert context.primary_authentication_error == 50126
    evaluation = POLICIES.evaluate(context, InMemoryDirectory())
    results = {p.policy_id: p.result for p in evaluation.policies}
    assert results == {
        "mfa": R.not_applied,
        "report-only-mfa": R.report_only_not_applied,
        "pilot-block": R.not_enabled,
    }
    assert evaluation.outcome is Outcome.not_evaluated
    assert not evaluation.evaluated
    assert compare(evaluation, RECORDED) == []
    reason = evaluation.policies[1].checks[0]
    assert reason.condition == "primaryAuthentication" and "50126" in reason.reason


@pytest.mark.parametrize("code", [50126, 50053, 50057, 50055])
def test_fast_paths_agree_with_evaluate(code: int) -> None:
    context = context_from_sign_in(_sign_in(code))
    directory = InMemoryDirectory()
    expected = [(p.policy_id, p.result) for p in POLICIES.evaluate(context, directory).policies]
    assert POLICIES.results(context, directory) == expected
    assert POLICIES.results_with_missing(context, directory) == [(*e, ()) for e in expected]


def test_without_the_first_factor_failing_the_policies_apply() -> None:
    """The same sign-in failing on MFA (500121) is evaluated: the report-only MFA is interrupted."""
    context = context_from_sign_in(_sign_in(500121))
    assert context.primary_authentication_error is None
    evaluation = POLICIES.evaluate(context, InMemoryDirectory())
    results = {p.policy_id: p.result for p in evaluation.policies}
    assert results["report-only-mfa"] is R.report_only_interrupted
    assert results["mfa"] is R.failure
    assert evaluation.outcome is Outcome.controls_required
