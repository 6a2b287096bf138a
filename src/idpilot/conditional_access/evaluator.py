"""The pure Conditional Access engine: compiled policies evaluated against one sign-in.

Rules:
- Disabled policies give `notEnabled`; states we do not know give `unknown`.
- A policy applies when every configured condition matches (unconfigured ones are ignored).
- Missing facts: if any condition is definitely False the policy does not apply. Otherwise, if a
  condition cannot be decided because the context lacks a fact (matched=None), the policy is
  treated as applying (the conservative reading: a policy that may apply is assumed to), its
  grant controls are evaluated as usual, and the undecided facts are listed in `missing_facts`.
  Unknown device facts needed by grant controls leave those controls unsatisfied and are listed
  too. Missing facts of conditions that did not matter (another condition was False) are omitted.
- Enabled: `success` when the grant controls are met (or there are none: session-only),
  `failure` when they are not or the policy blocks.
- Report-only: `reportOnlyFailure` for block or unmet device/app controls,
  `reportOnlyInterrupted` when only interactive controls (MFA, terms of use, password change,
  authentication strength, custom factors) are unmet, else `reportOnlySuccess`.
- Primary authentication failed (`context.primary_authentication_error`, a code Microsoft
  documents as failing first-factor authentication): Conditional Access runs only after the
  first factor, so nothing is evaluated. Enabled policies give `notApplied`, report-only ones
  `reportOnlyNotApplied`, disabled ones `notEnabled`; the outcome is `notEvaluated`.
- Outcome: `blocked` if an enforced applying policy blocks; else `controlsRequired` if an enforced
  applying policy's controls are unmet (their tokens in `required_controls`; for OR policies any
  one of that policy's tokens suffices); else `allowed`. Report-only policies never change it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from idpilot.conditional_access.catalog import BuiltInControl
from idpilot.conditional_access.compile import CompiledPolicy, compile_policy
from idpilot.conditional_access.context import Directory, SignInContext
from idpilot.conditional_access.facts import Facts
from idpilot.conditional_access.grant import GrantOutcome
from idpilot.conditional_access.locations import compile_location
from idpilot.conditional_access.named_location import parse_named_location
from idpilot.conditional_access.policy import PolicyState, parse_policy
from idpilot.conditional_access.result import (
    AppliedPolicyResult,
    ConditionCheck,
    Evaluation,
    Outcome,
    PolicyEvaluation,
    condition_check,
)

R = AppliedPolicyResult
_NOT_APPLIED = {
    PolicyState.enabled.value: R.not_applied,
    PolicyState.report_only.value: R.report_only_not_applied,
}
_STATE_CHECK = "state"
PRIMARY_AUTHENTICATION_CHECK = "primaryAuthentication"


def applied_result(report_only: bool, grant: GrantOutcome) -> AppliedPolicyResult:
    """The result of a policy that applies, given how its grant controls fared."""
    if not report_only:
        return R.success if grant.satisfied else R.failure
    if grant.satisfied:
        return R.report_only_success
    return R.report_only_interrupted if grant.interactive else R.report_only_failure


class PolicySet:
    """Policies and named locations compiled once, evaluated against many sign-ins."""

    __slots__ = ("_plan", "_policies")

    def __init__(self, policies: Sequence[CompiledPolicy]) -> None:
        self._policies = tuple(policies)
        # Hot-loop plan: plain tuples and bound methods, no per-call attribute lookups.
        self._plan = tuple(
            (
                policy.id,
                _NOT_APPLIED.get(policy.state),
                _inactive_result(policy.state),
                tuple(condition.check for condition in policy.conditions),
                policy.grant,
                policy.grant.key,
            )
            for policy in self._policies
        )

    @classmethod
    def from_graph(
        cls,
        policies: Sequence[Mapping[str, Any]],
        named_locations: Sequence[Mapping[str, Any]],
    ) -> PolicySet:
        """Parse Graph policy and named-location JSON and compile them for fast evaluation."""
        compiled_locations = {}
        for raw in named_locations:
            location = compile_location(parse_named_location(raw))
            compiled_locations[location.id] = location
        compiled = [compile_policy(parse_policy(raw), compiled_locations) for raw in policies]
        return cls(compiled)

    @property
    def policies(self) -> tuple[CompiledPolicy, ...]:
        """The compiled policies, in the order given."""
        return self._policies

    def results(
        self, context: SignInContext, directory: Directory
    ) -> list[tuple[str, AppliedPolicyResult]]:
        """Fast path for replay: (policy id, result) per policy, with no reasons built."""
        if context.primary_authentication_error is not None:
            return [(p, not_applied or inactive) for p, not_applied, inactive, *_ in self._plan]
        facts = Facts(context, directory)
        out: list[tuple[str, AppliedPolicyResult]] = []
        append = out.append
        grant_cache: dict[tuple, GrantOutcome] = {}
        for policy_id, not_applied, inactive, checks, grant, grant_key in self._plan:
            if not_applied is None:
                append((policy_id, inactive))
                continue
            for check in checks:
                if check(facts, False)[0] is False:
                    append((policy_id, not_applied))
                    break
            else:
                outcome = grant_cache.get(grant_key)
                if outcome is None:
                    outcome = grant_cache[grant_key] = grant.evaluate(context)
                report_only = not_applied is R.report_only_not_applied
                append((policy_id, applied_result(report_only, outcome)))
        return out

    def results_with_missing(
        self, context: SignInContext, directory: Directory
    ) -> list[tuple[str, AppliedPolicyResult, tuple[str, ...]]]:
        """Fast path for replay that also names the facts each policy lacked (no reasons).

        Same results as `results`; the third item equals `evaluate(...)`'s `missing_facts`.
        """
        if context.primary_authentication_error is not None:
            return [(p, not_applied or inactive, ()) for p, not_applied, inactive, *_ in self._plan]
        facts = Facts(context, directory)
        out: list[tuple[str, AppliedPolicyResult, tuple[str, ...]]] = []
        append = out.append
        grant_cache: dict[tuple, GrantOutcome] = {}
        for policy_id, not_applied, inactive, checks, grant, grant_key in self._plan:
            if not_applied is None:
                append((policy_id, inactive, ()))
                continue
            lacking: list[str] = []
            for check in checks:
                matched, _, missing = check(facts, False)
                if matched is False:
                    append((policy_id, not_applied, ()))
                    break
                if matched is None:
                    lacking.extend(missing)
            else:
                outcome = grant_cache.get(grant_key)
                if outcome is None:
                    outcome = grant_cache[grant_key] = grant.evaluate(context)
                report_only = not_applied is R.report_only_not_applied
                missing_facts = tuple(dict.fromkeys([*lacking, *outcome.missing_facts]))
                append((policy_id, applied_result(report_only, outcome), missing_facts))
        return out

    def evaluate(self, context: SignInContext, directory: Directory) -> Evaluation:
        """Every policy's result with a reason per condition, and the combined outcome."""
        if context.primary_authentication_error is not None:
            return _not_evaluated(self._policies, context.primary_authentication_error)
        facts = Facts(context, directory)
        evaluations = [_evaluate_policy(policy, facts) for policy in self._policies]
        return _combine(evaluations)


def _inactive_result(state: str) -> AppliedPolicyResult:
    return R.not_enabled if state == PolicyState.disabled.value else R.unknown


def _not_evaluated(policies: Sequence[CompiledPolicy], code: int) -> Evaluation:
    """Primary authentication failed: every policy not applied, Conditional Access not run."""
    reason = f"primary authentication failed (error {code}) before Conditional Access was evaluated"
    evaluations = []
    for policy in policies:
        not_applied = _NOT_APPLIED.get(policy.state)
        if not_applied is None:
            evaluations.append(_inactive_evaluation(policy))
            continue
        check = ConditionCheck.model_construct(
            condition=PRIMARY_AUTHENTICATION_CHECK, matched=False, reason=reason, refs=[]
        )
        evaluations.append(_policy_evaluation(policy, not_applied, [check]))
    return Evaluation.model_construct(
        policies=evaluations,
        outcome=Outcome.not_evaluated,
        required_controls=[],
        blocking_policy_ids=[],
        primary_authentication_error=code,
    )


def _inactive_evaluation(policy: CompiledPolicy) -> PolicyEvaluation:
    result = _inactive_result(policy.state)
    reason = "policy is disabled" if result is R.not_enabled else f"unknown state {policy.state}"
    check = ConditionCheck.model_construct(
        condition=_STATE_CHECK, matched=False, reason=reason, refs=[]
    )
    return _policy_evaluation(policy, result, [check])


def _evaluate_policy(policy: CompiledPolicy, facts: Facts) -> PolicyEvaluation:
    not_applied = _NOT_APPLIED.get(policy.state)
    if not_applied is None:
        return _inactive_evaluation(policy)
    checks: list[ConditionCheck] = []
    missing: list[str] = []
    definitely_not = False
    for condition in policy.conditions:
        matched, reason, lacking = condition.check(facts, True)
        checks.append(condition_check(condition.name, matched, reason))
        if matched is False:
            definitely_not = True
        elif matched is None:
            missing.extend(lacking)
    if definitely_not:
        return _policy_evaluation(policy, not_applied, checks)
    grant = policy.grant.evaluate(facts.context)
    result = applied_result(not_applied is R.report_only_not_applied, grant)
    return _policy_evaluation(
        policy,
        result,
        checks,
        enforced_grant_controls=list(policy.grant.enforced_names),
        enforced_session_controls=list(policy.session_controls),
        unsatisfied_controls=list(grant.unsatisfied),
        missing_facts=list(dict.fromkeys([*missing, *grant.missing_facts])),
    )


def _policy_evaluation(
    policy: CompiledPolicy,
    result: AppliedPolicyResult,
    checks: list[ConditionCheck],
    **applied: list[str],
) -> PolicyEvaluation:
    fields = {
        "enforced_grant_controls": [],
        "enforced_session_controls": [],
        "unsatisfied_controls": [],
        "missing_facts": [],
        **applied,
    }
    return PolicyEvaluation.model_construct(
        policy_id=policy.id,
        display_name=policy.display_name,
        state=policy.state,
        result=result,
        checks=checks,
        grant_operator=policy.grant.operator,
        **fields,
    )


def _combine(evaluations: list[PolicyEvaluation]) -> Evaluation:
    blocking: list[str] = []
    required: dict[str, None] = {}
    for evaluation in evaluations:
        if evaluation.result is not R.failure:
            continue
        if BuiltInControl.block in evaluation.unsatisfied_controls:
            blocking.append(evaluation.policy_id)
        else:
            required.update(dict.fromkeys(evaluation.unsatisfied_controls))
    outcome = Outcome.combined(blocked=bool(blocking), controls_required=bool(required))
    return Evaluation.model_construct(
        policies=evaluations,
        outcome=outcome,
        required_controls=list(required),
        blocking_policy_ids=blocking,
        primary_authentication_error=None,
    )


def evaluate(
    policies: Sequence[Mapping[str, Any]],
    named_locations: Sequence[Mapping[str, Any]],
    directory: Directory,
    context: SignInContext,
) -> Evaluation:
    """Evaluate Graph policies once (compiles them first; use PolicySet to evaluate many)."""
    return PolicySet.from_graph(policies, named_locations).evaluate(context, directory)
