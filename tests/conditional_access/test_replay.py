"""Comparing computed results with a sign-in's recorded appliedConditionalAccessPolicies."""

from __future__ import annotations

from idpilot.conditional_access import (
    DisagreementKind,
    InMemoryDirectory,
    PolicySet,
    SignInContext,
    compare,
)
from tests.conditional_access.everyone_policy import everyone_policy


def _evaluation():
    policy_set = PolicySet.from_graph(
        [everyone_policy("P1"), everyone_policy("p2", "disabled")], []
    )
    context = SignInContext(user_id="u", app_id="a", satisfied_controls={"mfa"})
    return policy_set.evaluate(context, InMemoryDirectory())


def test_agreement_is_empty() -> None:
    recorded = [{"id": "p1", "result": "success"}, {"id": "p2", "result": "notEnabled"}]
    assert compare(_evaluation(), recorded) == []


def test_mismatch_names_policy_and_explains() -> None:
    recorded = [{"id": "p1", "result": "failure"}, {"id": "p2", "result": "notEnabled"}]
    [disagreement] = compare(_evaluation(), recorded)
    assert disagreement.kind is DisagreementKind.result_mismatch
    assert disagreement.policy_id == "P1"
    assert disagreement.expected == "failure"
    assert disagreement.computed == "success"
    assert {c.condition for c in disagreement.checks} == {"users", "applications"}


def test_unknown_and_unrecorded_policies() -> None:
    recorded = [
        {"id": "p1", "result": "success"},
        {"id": "gone", "displayName": "Old", "result": "failure"},
    ]
    disagreements = compare(_evaluation(), recorded)
    kinds = {(d.kind, d.policy_id) for d in disagreements}
    assert kinds == {
        (DisagreementKind.unknown_policy, "gone"),
        (DisagreementKind.not_recorded, "p2"),
    }
    unknown = next(d for d in disagreements if d.kind is DisagreementKind.unknown_policy)
    assert unknown.expected == "failure" and unknown.computed is None


def test_unknown_mfa_is_a_missing_fact_not_an_unmet_control() -> None:
    """A v1.0 record failed by another control cannot tell MFA: the MFA policy is undecided."""
    strength = {
        **everyone_policy("P3"),
        "grantControls": {
            "operator": "OR",
            "builtInControls": [],
            "authenticationStrength": {"id": "00000000-0000-0000-0000-000000000002"},
        },
    }
    policy_set = PolicySet.from_graph([everyone_policy("P1"), strength], [])
    unknown = SignInContext(user_id="u", app_id="a", unknown_controls={"mfa"})
    evaluation = policy_set.evaluate(unknown, InMemoryDirectory())
    assert [p.missing_facts for p in evaluation.policies] == [["mfaDetail.authMethod"]] * 2
    for _, result, missing in policy_set.results_with_missing(unknown, InMemoryDirectory()):
        assert (str(result), missing) == ("failure", ("mfaDetail.authMethod",))
    known = SignInContext(user_id="u", app_id="a")
    done = SignInContext(user_id="u", app_id="a", satisfied_controls={"mfa"})
    for context in (known, done):
        evaluation = policy_set.evaluate(context, InMemoryDirectory())
        assert [p.missing_facts for p in evaluation.policies] == [[], []]
