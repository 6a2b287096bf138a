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

Per sign-in and policy the comparison is `agree`, `disagree` (the engine and the record differ
and no fact was missing), `undecidable` (the engine lacked a fact for that policy: listed, never
counted as agreement), `notRecorded` (the store has a policy the sign-in does not name, e.g.
created later) or `unknownPolicy` (the sign-in names a policy the store no longer has).
"""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Iterator
from datetime import datetime
from enum import StrEnum
from typing import Any

import orjson
from pydantic import BaseModel, Field

from idpilot.conditional_access import (
    ConditionCheck,
    Evaluation,
    PolicyEvaluation,
    context_from_sign_in,
)
from idpilot.conditional_access.result import AppliedPolicyResult
from idpilot.conditional_access.sign_in_context import MFA_FAILURE_CODES
from idpilot.skills.ca.tenant_policies import TenantPolicies
from idpilot.store import Store

SAMPLE_IDS = 20
"""Sign-in ids kept per disagreeing class: enough to open a few, bounded on a million rows."""
FETCH_BATCH = 5000
NOT_APPLIED_RESULTS = frozenset(
    {
        AppliedPolicyResult.not_applied.value,
        AppliedPolicyResult.report_only_not_applied.value,
        AppliedPolicyResult.not_enabled.value,
    }
)
MFA_REQUIREMENT = "multifactorauthentication"


class Verdict(StrEnum):
    """How one policy's recorded result compares with the engine's."""

    agree = "agree"
    disagree = "disagree"
    undecidable = "undecidable"
    not_recorded = "notRecorded"
    unknown_policy = "unknownPolicy"


class PolicyTally(BaseModel):
    """Per policy: how many replayed sign-ins agree, disagree or cannot be decided."""

    policy_id: str
    display_name: str | None = None
    agree: int = 0
    disagree: int = 0
    undecidable: int = 0
    not_recorded: int = 0
    unknown_policy: int = 0
    report_only_failures: int = 0
    """Recorded `reportOnlyFailure` results: sign-ins this report-only policy would block."""

    @property
    def decided(self) -> int:
        """Sign-ins where both the record and the engine give a result."""
        return self.agree + self.disagree


class Difference(BaseModel):
    """A policy the engine and the record judge differently for a class of sign-ins."""

    policy_id: str
    display_name: str | None = None
    recorded: str | None
    computed: str | None
    differing: list[ConditionCheck] = Field(default_factory=list)
    """The condition(s) or controls that explain the difference (see `_differing`)."""
    sign_in_count: int
    sign_in_ids: list[str]
    user_id: str
    app_id: str | None
    missing_facts: list[str] = Field(default_factory=list)


class ReplayReport(BaseModel):
    """The outcome of a replay."""

    since: datetime | None = None
    sign_ins: int = 0
    agreed: int = 0
    disagreed: int = 0
    undecidable: int = 0
    classes: int = 0
    policies: list[PolicyTally] = Field(default_factory=list)
    disagreements: list[Difference] = Field(default_factory=list)
    undecided: list[Difference] = Field(default_factory=list)
    elapsed_seconds: float = 0.0

    @property
    def agreement(self) -> float | None:
        """Share of decided sign-ins whose every policy agrees (None when nothing decided)."""
        decided = self.agreed + self.disagreed
        return self.agreed / decided if decided else None

    @property
    def policy_evaluations(self) -> int:
        """Policy results compared: sign-ins times policies."""
        return self.sign_ins * len(self.policies)


_REPLAY_SQL = """
WITH users_map AS (SELECT unnest($user_ids) AS uid, unnest($user_classes) AS user_class),
     ips_map AS (SELECT unnest($ips) AS ip, unnest($ip_classes) AS ip_class),
     picked AS (
    SELECT s.id, s.createdDateTime, s.userId, s.ipAddress,
        um.user_class,
        im.ip_class,
        s.appId,
        s.resourceId,
        s.clientAppUsed,
        s.deviceDetail->>'operatingSystem' AS os,
        (s.deviceDetail->'isCompliant')::BOOLEAN AS compliant,
        (s.deviceDetail->'isManaged')::BOOLEAN AS managed,
        s.deviceDetail->>'trustType' AS trust_type,
        CASE WHEN $device_ids THEN s.deviceDetail->>'deviceId' END AS device_id,
        CASE WHEN $device_ids THEN s.deviceDetail->>'displayName' END AS device_name,
        s.location->>'countryOrRegion' AS country,
        s.riskLevelDuringSignIn AS sign_in_risk,
        s.raw->>'userRiskLevel' AS user_risk,
        s.raw->>'originalTransferMethod' AS transfer,
        s.raw->>'authenticationProtocol' AS protocol,
        (s.raw->'authenticationContextClassReferences')::VARCHAR AS auth_contexts,
        -- What context_from_sign_in reads of the status: success, an MFA failure (by code),
        -- or any other error.
        CASE WHEN coalesce(s.errorCode, -1) = 0 THEN 0
             WHEN s.errorCode IN (SELECT unnest($mfa_failures)) THEN s.errorCode
             ELSE -1 END AS error_class,
        s.authenticationRequirement AS requirement,
        coalesce(s.mfaDetail->>'authMethod', '') <> '' AS mfa_method,
        CASE WHEN coalesce(s.mfaDetail->>'authMethod', '') = ''
             THEN coalesce(list_bool_or(list_transform(
                  CAST(coalesce(s.raw->'authenticationDetails', '[]') AS JSON[]),
                  lambda x: coalesce((x->'succeeded')::BOOLEAN, false)
                       AND regexp_matches(lower(coalesce(x->>'authenticationStepRequirement', '')),
                                          'mfa|multifactor|multi-factor'))), false)
             ELSE false END AS mfa_step,
        s.appliedConditionalAccessPolicies::VARCHAR AS recorded
    FROM signIns s
    LEFT JOIN users_map um ON um.uid = s.userId
    LEFT JOIN ips_map im ON im.ip = s.ipAddress
    WHERE json_array_length(s.appliedConditionalAccessPolicies) > 0
      AND ($since IS NULL OR s.createdDateTime >= $since)
)
SELECT * EXCLUDE (id, createdDateTime, userId, ipAddress),
       count(*) AS n,
       any_value(userId) AS user_id,
       any_value(ipAddress) AS ip,
       arg_max(id, createdDateTime, $sample) AS sample_ids
FROM picked
GROUP BY ALL
"""


def replay(
    store: Store, since: datetime | None = None, tenant: TenantPolicies | None = None
) -> ReplayReport:
    """Re-evaluate every sign-in that recorded Conditional Access results; compare per policy."""
    started = time.perf_counter()
    tenant = tenant or TenantPolicies.load(store)
    state = _ReplayState(tenant, ReplayReport(since=since))
    for row in _classes(store, tenant, since):
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
        key = _evaluation_key(row)
        computed = self._fast.get(key)
        if computed is None:
            computed = self._fast[key] = self.tenant.policy_set.results_with_missing(
                context_from_sign_in(_sign_in_of(row)), self.tenant.directory
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
                context_from_sign_in(_sign_in_of(row)), self.tenant.directory
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


def _classes(
    store: Store, tenant: TenantPolicies, since: datetime | None
) -> Iterator[dict[str, Any]]:
    """One row per equivalence class of replayable sign-ins (see the module docstring)."""
    user_ids, user_classes = _user_classes(store, tenant)
    ips, ip_classes = _ip_classes(store, tenant)
    cursor = store.con.execute(
        _REPLAY_SQL,
        {
            "user_ids": user_ids,
            "user_classes": user_classes,
            "ips": ips,
            "ip_classes": ip_classes,
            "since": since,
            "device_ids": tenant.uses_device_filters(),
            "sample": SAMPLE_IDS,
            "mfa_failures": sorted(MFA_FAILURE_CODES),
        },
    )
    names = [column[0] for column in cursor.description]
    while batch := cursor.fetchmany(FETCH_BATCH):
        for values in batch:
            yield dict(zip(names, values, strict=True))


def _user_classes(store: Store, tenant: TenantPolicies) -> tuple[list[str], list[int]]:
    """Each signing-in user's class: what of the user any policy can see."""
    users, groups, roles = tenant.referenced_principals()
    directory = tenant.directory
    classes: dict[tuple, int] = {}
    ids: list[str] = []
    numbers: list[int] = []
    for (user_id,) in store.con.execute(
        "SELECT DISTINCT userId FROM signIns WHERE userId IS NOT NULL"
    ).fetchall():
        lowered = user_id.lower()
        profile = (
            lowered if lowered in users else None,
            frozenset(g.lower() for g in directory.group_ids_of(user_id)) & groups,
            frozenset(r.lower() for r in directory.role_template_ids_of(user_id)) & roles,
            directory.user_type_of(user_id),
        )
        ids.append(user_id)
        numbers.append(classes.setdefault(profile, len(classes)))
    return ids, numbers


def _ip_classes(store: Store, tenant: TenantPolicies) -> tuple[list[str], list[int]]:
    """Each IP's class: the IP named locations containing it (or unparsable)."""
    ranges = [
        (location.id, version, first, last)
        for location in tenant.ip_locations()
        for version, first, last in location.ranges
    ]
    classes: dict[tuple, int] = {}
    ips: list[str] = []
    numbers: list[int] = []
    for (ip,) in store.con.execute(
        "SELECT DISTINCT ipAddress FROM signIns WHERE ipAddress IS NOT NULL"
    ).fetchall():
        try:
            address = ipaddress.ip_address(ip.strip())
        except ValueError:
            profile: tuple = ("invalid",)
        else:
            value, version = int(address), address.version
            profile = tuple(
                sorted(
                    {
                        loc
                        for loc, range_version, first, last in ranges
                        if range_version == version and first <= value <= last
                    }
                )
            )
        ips.append(ip)
        numbers.append(classes.setdefault(profile, len(classes)))
    return ips, numbers


_KEY_FIELDS = (
    "appId", "resourceId", "clientAppUsed", "os", "compliant", "managed", "trust_type", "device_id",
    "device_name", "country", "sign_in_risk", "user_risk", "transfer", "protocol",
    "error_class", "requirement", "mfa_method", "mfa_step",
)  # fmt: skip


def _evaluation_key(row: dict[str, Any]) -> tuple:
    """What the engine's answer depends on, for one class row (the recorded results aside)."""
    contexts = row["auth_contexts"]
    return (
        row["user_id"].lower() if row["user_id"] else None,
        row["ip"],
        *(row[name] for name in _KEY_FIELDS),
        contexts,
    )


def _sign_in_of(row: dict[str, Any]) -> dict[str, Any]:
    """A minimal Graph signIn carrying the class's facts, for `context_from_sign_in`."""
    contexts = row["auth_contexts"]
    if isinstance(contexts, str):
        contexts = orjson.loads(contexts)
    return {
        "userId": row["user_id"],
        "appId": row["appId"],
        "resourceId": row["resourceId"],
        "clientAppUsed": row["clientAppUsed"],
        "ipAddress": row["ip"],
        "location": {"countryOrRegion": row["country"]},
        "deviceDetail": {
            "operatingSystem": row["os"],
            "isCompliant": row["compliant"],
            "isManaged": row["managed"],
            "trustType": row["trust_type"],
            "deviceId": row["device_id"],
            "displayName": row["device_name"],
        },
        "riskLevelDuringSignIn": row["sign_in_risk"],
        "userRiskLevel": row["user_risk"],
        "originalTransferMethod": row["transfer"],
        "authenticationProtocol": row["protocol"],
        "authenticationContextClassReferences": contexts,
        "status": {"errorCode": row["error_class"]},
        "authenticationRequirement": row["requirement"],
        "mfaDetail": {"authMethod": "recorded"} if row["mfa_method"] else None,
        "authenticationDetails": (
            [{"succeeded": True, "authenticationStepRequirement": "mfa"}] if row["mfa_step"] else []
        ),
    }


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
