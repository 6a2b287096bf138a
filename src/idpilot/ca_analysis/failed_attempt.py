"""Explain one failed sign-in attempt: error, MFA, device, location, Conditional Access, fixes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from idpilot.ca_analysis.attempts import attempt_facts
from idpilot.ca_analysis.evidence import (
    ReasonObjects,
    cite_named_location,
    cite_policy,
    cite_sign_in,
    trusted_sample,
)
from idpilot.ca_analysis.fixes import prove_fixes
from idpilot.ca_analysis.replay import NOT_APPLIED_RESULTS
from idpilot.ca_analysis.scenario import policy_facts
from idpilot.ca_analysis.sign_in_patterns import (
    legacy_protocol,
    lockout,
    mfa_fatigue,
    mfa_outcome,
    password_spray,
)
from idpilot.ca_analysis.tenant_policies import TenantPolicies
from idpilot.conditional_access import context_from_sign_in
from idpilot.conditional_access.catalog import MFA_CONTROL
from idpilot.conditional_access.facts import Facts
from idpilot.knowledge import default_catalog, primary_authentication_failures
from idpilot.logs import LogReader, log_reader
from idpilot.skills.base import SkillResult
from idpilot.store import Store

CA_FAILURE_CODES = frozenset({53000, 53001, 53002, 53003, 53004, 530002, 530003, 530032, 500121})
"""Codes that mean Conditional Access (or the MFA it asked for) stopped the sign-in."""


def explain_attempt(
    store: Store,
    result: SkillResult,
    tenant: TenantPolicies,
    user: dict[str, Any],
    attempt: dict[str, Any],
    rows: list[dict[str, Any]],
    logs: LogReader | None = None,
) -> dict[str, Any]:
    """Why `attempt` failed and which proven fixes would let it through, evidence cited (the
    sign-in's whole record read from `logs`, where its row came from)."""
    row = attempt["last"]
    logs = logs or log_reader(store)
    raw = logs.sign_in_record(row)
    sign_in_ref = cite_sign_in(result, row)
    facts = attempt_facts(result, attempt)
    explanation = default_catalog().explain(row["errorCode"] or 0)
    facts["sign_in_id"] = sign_in_ref
    facts["explanation"] = explanation.model_dump(mode="json")
    facts["mfa"] = mfa_outcome(raw)
    detail = raw.get("deviceDetail") or {}
    facts["device"] = {
        "operatingSystem": detail.get("operatingSystem") or None,
        "browser": detail.get("browser") or None,
        "isCompliant": detail.get("isCompliant"),
        "isManaged": detail.get("isManaged"),
        "trustType": detail.get("trustType") or None,
    }
    context = context_from_sign_in(raw)
    if facts["mfa"]["succeeded"]:
        # The user passed MFA in this attempt even though a later step failed (e.g. device
        # compliance); Conditional Access counts the MFA as done for this attempt.
        context = context.model_copy(
            update={"satisfied_controls": {*context.satisfied_controls, MFA_CONTROL}}
        )
    inside = []
    for location in tenant.ip_locations():
        if location.contains(Facts(context, tenant.directory))[0]:
            inside.append(cite_named_location(result, tenant, location.id))
    facts["location"] = {
        "ip": row["ipAddress"],
        "city": row["city"],
        "country": row["country"],
        "named_locations": inside,
    }
    facts["client_app"] = row["clientAppUsed"]
    facts["legacy_protocol"] = legacy_protocol(row["clientAppUsed"])
    recorded = {
        str(entry.get("id")).lower(): entry.get("result")
        for entry in raw.get("appliedConditionalAccessPolicies") or ()
    }
    evaluation = tenant.policy_set.evaluate(context, tenant.directory)
    ca_cause = (
        (row["conditionalAccessStatus"] or "").lower() == "failure"
        or "failure" in recorded.values()
        or (row["errorCode"] or 0) in CA_FAILURE_CODES
    )
    failing = []
    objects = ReasonObjects(store, tenant, result)
    for policy in evaluation.policies if ca_cause else ():
        if str(policy.result) != "failure" and recorded.get(policy.policy_id.lower()) != "failure":
            continue
        cite_policy(result, tenant, policy.policy_id)
        item = policy_facts(policy, objects)
        item["recorded"] = recorded.get(policy.policy_id.lower())
        failing.append(item)
    not_evaluated = primary_authentication_failures().get(evaluation.primary_authentication_error)
    if not_evaluated is not None:
        not_evaluated_facts = {
            **not_evaluated.model_dump(),
            "recorded_not_applied": all(r in NOT_APPLIED_RESULTS for r in recorded.values()),
        }
    facts["ca"] = {
        "not_evaluated": not_evaluated_facts if not_evaluated is not None else None,
        "is_cause": ca_cause,
        "outcome": str(evaluation.outcome),
        "required_controls": list(evaluation.required_controls),
        "failing_policies": failing,
    }
    facts["patterns"] = _patterns(logs, result, user, row)
    facts["fixes"] = []
    if failing:
        trusted = trusted_sample(tenant)
        enforced_failures = [p["id"] for p in failing if p["result"] == "failure"]
        fixes = prove_fixes(tenant, context, enforced_failures, trusted)
        for fix in fixes:
            if fix.location_id:
                cite_named_location(result, tenant, fix.location_id, sample=fix.address)
            for policy_id in fix.still_blocking:
                cite_policy(result, tenant, policy_id)
        facts["fixes"] = [f.model_dump() for f in sorted(fixes, key=lambda f: f.weakens_security)]
    return facts


def _patterns(
    logs: LogReader,
    result: SkillResult,
    user: dict[str, Any],
    row: dict[str, Any],
) -> dict[str, Any]:
    moment: datetime = row["createdDateTime"]
    code = row["errorCode"] or 0
    found: dict[str, Any] = {}
    spray = password_spray(logs, row["ipAddress"], moment)
    if spray:
        spray["sign_in_ids"] = [cite_sign_in(result, r) for r in spray.pop("sign_ins")]
        found["password_spray"] = spray
    locked = lockout(logs, user["id"], code, moment)
    if locked:
        locked["sign_in_ids"] = [cite_sign_in(result, r) for r in locked.pop("sign_ins")]
        found["lockout"] = locked
    fatigue = mfa_fatigue(logs, user["id"], moment)
    if fatigue:
        fatigue["sign_in_ids"] = [cite_sign_in(result, r) for r in fatigue.pop("sign_ins")]
        approved = fatigue.pop("approved_after")
        fatigue["approved_sign_in_id"] = cite_sign_in(result, approved) if approved else None
        found["mfa_fatigue"] = fatigue
    if legacy_protocol(row["clientAppUsed"]):
        found["legacy_protocol"] = {"client": row["clientAppUsed"]}
    return found
