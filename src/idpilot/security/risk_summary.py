"""A user's Identity Protection risk explained: detections, what happened around them, the plan.

Correlation is by the detection's requestId/correlationId (its sign-in), then by time: what
the account did within CORRELATION_WINDOW after a detection (security info, passwords, roles,
groups, devices) and who else signed in from the same IP addresses.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from idpilot.actions.proposals import (
    confirm_compromised,
    dismiss_risk,
    require_password_reset,
    revoke_sessions,
)
from idpilot.knowledge.risk_events import explain_risk_event
from idpilot.logs import LogReader, log_reader
from idpilot.model.records import Record
from idpilot.security.detections.sign_ins import MFA_DENIED, MFA_FATIGUE_MIN_PROMPTS
from idpilot.security.privileged_roles import privileged_users
from idpilot.store import Store
from idpilot.store.queries.risk import policy_risk_levels

CORRELATION_WINDOW = timedelta(hours=24)
"""How long after a detection an account's changes are considered related to it: attackers
register MFA, reset passwords or escalate within hours of getting in."""

DEVICE_HISTORY = timedelta(days=30)
"""How far back a device counts as already known for the user."""

MAX_OTHER_ACCOUNTS = 10
"""Other accounts signing in from the detections' IPs that the summary lists."""

OPEN_STATES = ("atRisk", "confirmedCompromised")
LEVEL_RANK = {"high": 0, "medium": 1, "low": 2, "none": 3, "hidden": 4}
SIGN_IN_RISK_EVENTS = frozenset(
    {
        "anonymizedIPAddress",
        "unlikelyTravel",
        "unfamiliarFeatures",
        "maliciousIPAddress",
        "riskyIPAddress",
        "mcasImpossibleTravel",
        "suspiciousBrowser",
        "nationStateIP",
        "newCountry",
        "attackerinTheMiddle",
        "anomalousToken",
        "passwordSpray",
    }
)
SECURITY_INFO = (
    "User registered security info",
    "User changed default security info",
    "User deleted security info",
)
PASSWORD_CHANGES = (
    "Reset user password",
    "Change user password",
    "Reset password (self-service)",
    "Change password (self-service)",
    "Reset password (by admin)",
)
ROLE_CHANGES = (
    "Add member to role",
    "Add member to role completed (PIM activation)",
    "Add eligible member to role",
)
GROUP_CHANGES = ("Add member to group", "Remove member from group", "Add owner to group")
_AUDIT_KIND = {
    **{a: "securityInfo" for a in SECURITY_INFO},
    **{a: "password" for a in PASSWORD_CHANGES},
    **{a: "role" for a in ROLE_CHANGES},
    **{a: "group" for a in GROUP_CHANGES},
}


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def user_risk_summary(store: Store, user_id: str, logs: LogReader | None = None) -> dict[str, Any]:
    """Everything the risky_user_summary skill reports, as plain data with record ids: the
    risk, sign-ins and audits from `logs` (by default where the settings say the logs are),
    roles and policies from the store."""
    logs = logs or log_reader(store)
    risky = logs.risky_user_rows(user_id)
    detections = logs.risk_detections_of_user(user_id)
    for d in detections:
        info = explain_risk_event(d["riskEventType"])
        loc = _json(d.pop("location")) or {}
        d["city"], d["country"] = loc.get("city"), loc.get("countryOrRegion")
        d["title"], d["meaning"], d["remediation"] = info.title, info.meaning, info.remediation
        d["known_type"] = info.known
    sign_ins = _linked_sign_ins(logs, detections)
    insights: dict[str, Any] = {"audits": [], "new_devices": [], "same_ip_other_accounts": []}
    if detections:
        first = min(d["activityDateTime"] for d in detections)
        last = max(d["activityDateTime"] for d in detections) + CORRELATION_WINDOW
        insights["audits"] = _audits_after(logs, user_id, first, last)
        insights["new_devices"] = _new_devices(logs, user_id, first, last)
        ips = sorted({d["ipAddress"] for d in detections if d["ipAddress"]})
        insights["same_ip_other_accounts"] = _same_ip(logs, user_id, ips)
        insights["mfa_denials"] = _mfa_denials(logs, user_id, first - CORRELATION_WINDOW, last)
    else:
        insights["mfa_denials"] = []
    holders = privileged_users(store).get(user_id, [])
    policies = _risk_policies(store)
    plan, prevention = _plan(risky[0] if risky else None, detections, sign_ins, insights, policies)
    return {
        "risky_user": risky[0] if risky else None,
        "detections": detections,
        "sign_ins": sign_ins,
        "insights": insights,
        "privileged_roles": sorted({h["role_name"] for h in holders}),
        "plan": plan,
        "prevention": prevention,
        "risk_policies": policies,
    }


def _linked_sign_ins(logs: LogReader, detections: list[dict[str, Any]]) -> list[dict[str, Any]]:
    requests = [d["requestId"] for d in detections if d["requestId"]]
    correlations = [d["correlationId"] for d in detections if d["correlationId"]]
    if not requests and not correlations:
        return []
    return logs.sign_ins_by_request_or_correlation(requests, correlations)


def _audits_after(logs: LogReader, user_id: str, first, last) -> list[dict[str, Any]]:
    rows = logs.audits_by_or_about_user(user_id, first, last, list(_AUDIT_KIND))
    for row in rows:
        initiated = _json(row.pop("initiatedBy")) or {}
        targets = _json(row.pop("targetResources")) or []
        user = initiated.get("user") or {}
        app = initiated.get("app") or {}
        row["kind"] = _AUDIT_KIND[row["activityDisplayName"]]
        row["actor"] = user.get("userPrincipalName") or app.get("displayName")
        row["actor_ip"] = user.get("ipAddress")
        row["targets"] = [
            t.get("displayName") or t.get("userPrincipalName") for t in targets
            if isinstance(t, dict) and t.get("id") != user_id
        ]  # fmt: skip
    return rows


def _new_devices(logs: LogReader, user_id: str, first, last) -> list[dict[str, Any]]:
    return logs.devices_first_seen(user_id, first - DEVICE_HISTORY, first, last)


def _same_ip(logs: LogReader, user_id: str, ips: list[str]) -> list[dict[str, Any]]:
    if not ips:
        return []
    return logs.other_accounts_on_ips(user_id, ips, MAX_OTHER_ACCOUNTS)


def _mfa_denials(logs: LogReader, user_id: str, first, last) -> list[str]:
    return logs.sign_in_ids_with_error(user_id, MFA_DENIED, first, last)


def _risk_policies(store: Store) -> list[dict[str, Any]]:
    rows = policy_risk_levels(store)
    found = []
    for row in rows:
        user_levels = _json(row.pop("user_levels")) or []
        sign_in_levels = _json(row.pop("sign_in_levels")) or []
        if user_levels or sign_in_levels:
            found.append({**row, "userRiskLevels": user_levels, "signInRiskLevels": sign_in_levels})
    return found


def _plan(
    risky: dict[str, Any] | None,
    detections: list[dict[str, Any]],
    sign_ins: list[dict[str, Any]],
    insights: dict[str, Any],
    policies: list[dict[str, Any]],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Remediation steps (with proposals) and the policy that would have prevented it."""
    steps: list[dict[str, Any]] = []
    types = {d["riskEventType"] for d in detections if d["riskState"] in OPEN_STATES}
    open_risk = risky is not None and risky["riskState"] in OPEN_STATES
    if risky is None or not open_risk:
        return steps, _prevention(detections, policies)
    user = Record(kind="user", id=risky["id"], label=risky["userPrincipalName"] or "")
    successful_risky = [s for s in sign_ins if s["errorCode"] == 0]
    if "leakedCredentials" in types or "passwordSpray" in types:
        steps.append(
            {
                "step": "secure_password_reset",
                "why": "the password is known to others ("
                + ", ".join(sorted(types & {"leakedCredentials", "passwordSpray"}))
                + ")",
                "proposals": [
                    require_password_reset(user, "leaked or sprayed password").as_fact(),
                    revoke_sessions(user, "leaked or sprayed password").as_fact(),
                ],
            }
        )
    if types & SIGN_IN_RISK_EVENTS and successful_risky:
        steps.append(
            {
                "step": "confirm_compromised",
                "why": "a risky sign-in succeeded",
                "evidence_ids": [s["id"] for s in successful_risky],
                "proposals": [
                    confirm_compromised([user], "a risky sign-in succeeded").as_fact(),
                    revoke_sessions(user, "a risky sign-in succeeded").as_fact(),
                ],
            }
        )
        steps.append(
            {
                "step": "review_session",
                "why": "find what the session touched",
                "evidence_ids": [s["id"] for s in successful_risky],
                "proposals": [],
            }
        )
    if len(insights.get("mfa_denials", [])) >= MFA_FATIGUE_MIN_PROMPTS or types & {
        "mfaFraud",
        "userReportedSuspiciousActivity",
    }:
        steps.append(
            {
                "step": "mfa_fatigue",
                "why": "many denied MFA prompts or reported fraud",
                "evidence_ids": insights.get("mfa_denials", [])[:10],
                "proposals": [],
            }
        )
    if any(a["kind"] == "securityInfo" for a in insights["audits"]):
        steps.append(
            {
                "step": "review_security_info",
                "why": "security info changed after the detection",
                "evidence_ids": [
                    a["id"] for a in insights["audits"] if a["kind"] == "securityInfo"
                ],
                "proposals": [],
            }
        )
    if not steps:
        steps.append(
            {
                "step": "verify_with_user",
                "why": "confirm whether the flagged activity was the user's",
                "proposals": [
                    dismiss_risk([user], "the user confirmed the activity").as_fact(),
                    confirm_compromised([user], "the user did not recognise it").as_fact(),
                ],
            }
        )
    return steps, _prevention(detections, policies)


def _prevention(detections: list[dict[str, Any]], policies: list[dict[str, Any]]):
    guidance: list[dict[str, Any]] = []
    if not detections:
        return guidance  # nothing was detected: there is nothing to have prevented
    offline_or_user = any(
        d["detectionTimingType"] == "offline" or d["riskEventType"] == "leakedCredentials"
        for d in detections
    )
    realtime_sign_in = any(
        d["detectionTimingType"] == "realtime" and d["activity"] == "signin" for d in detections
    )
    enabled = [p for p in policies if p["state"] == "enabled"]
    if offline_or_user:
        guidance.append(
            {
                "policy": "userRisk",
                "existing": [p for p in enabled if p["userRiskLevels"]],
            }
        )
    if realtime_sign_in or not offline_or_user:
        guidance.append(
            {
                "policy": "signInRisk",
                "existing": [p for p in enabled if p["signInRiskLevels"]],
            }
        )
    return guidance


def rank_risky_users(
    store: Store, include_closed: bool = False, logs: LogReader | None = None
) -> list[dict[str, Any]]:
    """Risky users, most urgent first: unresolved, level, privileged, most recent."""
    rows = (logs or log_reader(store)).risky_users_with_detections()
    holders = privileged_users(store)
    ranked = []
    for row in rows:
        row["unresolved"] = row["riskState"] in OPEN_STATES
        if not row["unresolved"] and not include_closed:
            continue
        row["privileged_roles"] = sorted({h["role_name"] for h in holders.get(row["id"], [])})
        row["open_types"] = sorted(t for t in row["open_types"] or [] if t)
        ranked.append(row)
    ranked.sort(
        key=lambda r: (
            not r["unresolved"],
            LEVEL_RANK.get(r["riskLevel"] or "none", 5),
            not r["privileged_roles"],
            -(r["riskLastUpdatedDateTime"].timestamp() if r["riskLastUpdatedDateTime"] else 0),
        )
    )
    return ranked
