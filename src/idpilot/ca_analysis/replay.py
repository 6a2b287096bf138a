"""Replay: re-evaluate every recorded sign-in against the store's policies and compare.

Speed comes from evaluating each *equivalence class* of sign-ins once. A policy result depends
on the user only through the user's id when a policy names it, the groups and roles policies
name, and the userType; it depends on the IP only through which named locations contain it.
So users and IPs are first mapped to small class numbers in Python (once per distinct user and
IP), the mapping is bound into one DuckDB query as two lists, and DuckDB groups the sign-ins by
class and by every other field the engine reads (app, client, device, country, risk, MFA state,
recorded results). Python then sees one row per class, builds the sign-in the class stands for
and evaluates it once with `PolicySet.evaluate` (which, unlike the `results` fast path, reports
the facts a sign-in lacks: the replay must say "undecidable" instead of guessing).

A sign-in that failed primary authentication (a code Microsoft documents as failing the first
factor, `idpilot.knowledge.primary_authentication`) is not evaluated by Conditional Access: the
engine gives every policy `notApplied` (`reportOnlyNotApplied`, `notEnabled`), the records are
compared as usual, and the sign-in is counted as `not_evaluated`, apart from `agreed`, unless
a record disagrees.

Per sign-in and policy the comparison is `agree`, `disagree` (the engine and the record differ
and no fact was missing), `undecidable` (the engine lacked a fact for that policy: listed, never
counted as agreement), `notRecorded` (the store has a policy the sign-in does not name, e.g.
created later) or `unknownPolicy` (the sign-in names a policy the store no longer has).
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

import orjson

from idpilot.ca_analysis._replay_classes import (
    SAMPLE_IDS,
    evaluation_key,
    replay_classes,
    sign_in_of,
)
from idpilot.ca_analysis.replay_report import (
    Difference,
    PolicyTally,
    ReplayReport,
    Verdict,
)
from idpilot.ca_analysis.tenant_policies import TenantPolicies
from idpilot.conditional_access import (
    ConditionCheck,
    Evaluation,
    PolicyEvaluation,
    context_from_sign_in,
)
from idpilot.conditional_access.result import AppliedPolicyResult
from idpilot.knowledge import fails_primary_authentication
from idpilot.store import Store

__all__ = ["Difference", "PolicyTally", "ReplayReport", "Verdict", "replay"]

NOT_APPLIED_RESULTS = frozenset(
    {
        AppliedPolicyResult.not_applied.value,
        AppliedPolicyResult.report_only_not_applied.value,
        AppliedPolicyResult.not_enabled.value,
    }
)
MFA_REQUIREMENT = "multifactorauthentication"


def replay(
    store: Store, since: datetime | None = None, tenant: TenantPolicies | None = None
) -> ReplayReport:
    """Re-evaluate every sign-in that recorded Conditional Access results; compare per policy."""
    started = time.perf_counter()
    tenant = tenant or TenantPolicies.load(store)
    state = _ReplayState(tenant, ReplayReport(since=since))
    for row in replay_classes(store, tenant, since):
        state.add(row)
    report = state.report
    report.policies = state.policy_tallies()
    report.undecided = sorted(state.undecided.values(), key=lambda d: -d.sign_in_count)
    report.elapsed_seconds = round(time.perf_counter() - started, 3)
    return report


_COUNTERS = (
    "agree", "disagree", "undecidable", "not_recorded", "unknown_policy", "report_only_failures",
)  # fmt: skip
AGREE, DISAGREE, UNDECIDABLE, NOT_RECORDED, UNKNOWN, REPORT_ONLY_FAILURES = range(len(_COUNTERS))
REPORT_ONLY_FAILURE = AppliedPolicyResult.report_only_failure.value
Computed = list[tuple[str, AppliedPolicyResult, tuple[str, ...]]]


class _ReplayState:
    """Running tallies of one replay; evaluations cached by what they depend on."""

    def __init__(self, tenant: TenantPolicies, report: ReplayReport) -> None:
        self.tenant = tenant
        self.report = report
        self.names = {p.id.lower(): (p.id, p.display_name) for p in tenant.policy_set.policies}
        # Plain counters in the hot loop (pydantic attribute writes are slow); see _COUNTERS.
        self.tallies: dict[str, list[int]] = {key: [0] * 6 for key in self.names}
        self.undecided: dict[tuple[str, tuple[str, ...]], Difference] = {}
        self._fast: dict[tuple, Computed] = {}
        self._explained: dict[tuple, Evaluation] = {}
        self._records: dict[str, list[dict[str, Any]]] = {}

    def add(self, row: dict[str, Any]) -> None:
        """Compare one class of sign-ins with the engine and add it to the tallies."""
        self.report.classes += 1
        key = evaluation_key(row)
        computed = self._fast.get(key)
        if computed is None:
            computed = self._fast[key] = self.tenant.policy_set.results_with_missing(
                context_from_sign_in(sign_in_of(row)), self.tenant.directory
            )
        text = row["recorded"]
        recorded = self._records.get(text)
        if recorded is None:
            recorded = self._records[text] = orjson.loads(text) if text else []
        count = row["n"]
        report = self.report
        report.sign_ins += count
        mine = {policy_id.lower(): (result, missing) for policy_id, result, missing in computed}
        seen: set[str] = set()
        disagreed = undecided = False
        for entry in recorded:
            policy_id = str(entry.get("id") or "")
            key_id = policy_id.lower()
            seen.add(key_id)
            expected = entry.get("result")
            found = mine.get(key_id)
            if found is None:
                self.names.setdefault(key_id, (policy_id, entry.get("displayName")))
                self.tallies.setdefault(key_id, [0] * 6)[UNKNOWN] += count
                continue
            tally = self.tallies[key_id]
            if expected == REPORT_ONLY_FAILURE:
                tally[REPORT_ONLY_FAILURES] += count
            result, missing = found
            if missing:
                tally[UNDECIDABLE] += count
                undecided = True
                self._add_undecided(policy_id, result, missing, expected, row)
            elif result.value == expected:
                tally[AGREE] += count
            else:
                tally[DISAGREE] += count
                disagreed = True
                evaluation = self._explain(key, row)
                explained = next(p for p in evaluation.policies if p.policy_id.lower() == key_id)
                report.disagreements.append(_difference(explained, expected, row))
        for key_id in mine.keys() - seen:
            self.tallies[key_id][NOT_RECORDED] += count
        if disagreed:
            report.disagreed += count
        elif fails_primary_authentication(row["error_class"]):
            report.not_evaluated += count
        elif undecided:
            report.undecidable += count
        else:
            report.agreed += count

    def policy_tallies(self) -> list[PolicyTally]:
        """The counters as PolicyTally records, by display name."""
        tallies = []
        for key, counts in self.tallies.items():
            policy_id, name = self.names[key]
            tallies.append(
                PolicyTally(
                    policy_id=policy_id,
                    display_name=name,
                    **{field: counts[index] for index, field in enumerate(_COUNTERS)},
                )
            )
        return sorted(tallies, key=lambda t: (t.display_name or "", t.policy_id))

    def _explain(self, key: tuple, row: dict[str, Any]) -> Evaluation:
        evaluation = self._explained.get(key)
        if evaluation is None:
            evaluation = self._explained[key] = self.tenant.policy_set.evaluate(
                context_from_sign_in(sign_in_of(row)), self.tenant.directory
            )
        return evaluation

    def _add_undecided(
        self,
        policy_id: str,
        result: AppliedPolicyResult,
        missing: tuple[str, ...],
        expected: str | None,
        row: dict[str, Any],
    ) -> None:
        group = self.undecided.get((policy_id.lower(), missing))
        if group is None:
            known_id, name = self.names[policy_id.lower()]
            group = self.undecided[(policy_id.lower(), missing)] = Difference(
                policy_id=known_id,
                display_name=name,
                recorded=expected,
                computed=str(result),
                sign_in_count=0,
                sign_in_ids=[],
                user_id=row["user_id"],
                app_id=row["appId"],
                missing_facts=list(missing),
            )
        group.sign_in_count += row["n"]
        room = SAMPLE_IDS - len(group.sign_in_ids)
        if room > 0:
            group.sign_in_ids.extend((row["sample_ids"] or [])[:room])


def _difference(mine: PolicyEvaluation, recorded: str | None, row: dict[str, Any]) -> Difference:
    return Difference(
        policy_id=mine.policy_id,
        display_name=mine.display_name,
        recorded=recorded,
        computed=str(mine.result),
        differing=[] if recorded == str(mine.result) else _differing(mine, recorded),
        sign_in_count=row["n"],
        sign_in_ids=list(row["sample_ids"] or []),
        user_id=row["user_id"],
        app_id=row["appId"],
        missing_facts=list(mine.missing_facts),
    )


def _differing(mine: PolicyEvaluation, recorded: str | None) -> list[ConditionCheck]:
    """The checks that explain a difference.

    Recorded as applied but computed not applied: the conditions the engine found unmatched.
    Recorded as not applied but computed applied: every condition, all matched in the engine's
    view (one of them must differ in the service's). Both applied: the grant controls.
    """
    computed_applied = str(mine.result) not in NOT_APPLIED_RESULTS
    recorded_applied = recorded not in NOT_APPLIED_RESULTS
    if recorded_applied and not computed_applied:
        return [check for check in mine.checks if check.matched is not True]
    if computed_applied and not recorded_applied:
        return list(mine.checks)
    unmet = ", ".join(mine.unsatisfied_controls) or "none"
    return [
        ConditionCheck(
            condition="grantControls",
            matched=None,
            reason=f"engine: {mine.result} (unsatisfied controls: {unmet}); recorded: {recorded}",
        )
    ]
