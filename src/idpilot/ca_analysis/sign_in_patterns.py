"""Attack and failure patterns around one failed sign-in: spray, lockout, MFA fatigue, legacy.

Password spray and MFA fatigue have one definition, in `idpilot.security.detections.sign_ins`
(bursts, thresholds and all): here they are only looked up around the failed sign-in, over a
store the log reader gives (the local one, or one of the sign-ins KQL fetched for the IP or the
user: a spray's finding depends only on its IP's sign-ins, a fatigue's on its user's). The
patterns point an admin at evidence, not verdicts, and each returns the sign-ins that support
it so the answer can cite them.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from idpilot.conditional_access import ClientAppType
from idpilot.conditional_access.sign_in_context import client_app_of
from idpilot.logs import LogReader
from idpilot.model.windows import TimeWindow
from idpilot.security.detections.base import Finding
from idpilot.security.detections.sign_ins import (
    BURST_GAP,
    MFA_FATIGUE_SUCCESS_WINDOW,
    SPRAY_SUCCESS_WINDOW,
)
from idpilot.security.detections.sign_ins import mfa_fatigue as detect_mfa_fatigue
from idpilot.security.detections.sign_ins import password_spray as detect_password_spray
from idpilot.store import Store
from idpilot.store.queries.sign_ins import sign_ins_by_ids

WRONG_PASSWORD = 50126
LOCKED_OUT = 50053
LOCKOUT_LOOKBACK = timedelta(hours=1)
"""Smart lockout counts recent wrong passwords; an hour before the lockout shows its cause."""
AROUND = timedelta(hours=24)
"""How far around the failed sign-in the detections look for the burst it belongs to."""
EVIDENCE_LIMIT = 10
LEGACY_CLIENTS = frozenset({ClientAppType.other, ClientAppType.exchange_active_sync})
DENIED_MARKERS = ("denied", "declined", "rejected", "fraud")
TIMEOUT_MARKERS = ("did not respond", "timed out", "timeout", "no response")


def _finding_around(findings: list[Finding], subject_id: str, moment: datetime) -> Finding | None:
    """The finding on this subject whose burst holds `moment` (or ends nearest before it)."""
    near: list[tuple[timedelta, Finding]] = []
    for finding in findings:
        first, last = finding.first_seen, finding.last_seen
        if (finding.subject_id or "").lower() != subject_id.lower() or not (first and last):
            continue
        if first - BURST_GAP <= moment <= last + BURST_GAP:
            near.append((abs(last - moment), finding))
    return min(near, key=lambda pair: pair[0])[1] if near else None


def _rows(store: Store, ids: list[str]) -> list[dict[str, Any]]:
    if not ids:
        return []
    return sign_ins_by_ids(store, ids)


def password_spray(logs: LogReader, ip: str | None, moment: datetime) -> dict[str, Any] | None:
    """The password spray (as `security.detections` defines it) from `ip` around `moment`."""
    if not ip:
        return None
    window = TimeWindow(start=moment - AROUND, end=moment + AROUND)
    store = logs.sign_ins_store(
        ip=ip, user_id=None, start=window.start, end=window.end + SPRAY_SUCCESS_WINDOW
    )
    finding = _finding_around(detect_password_spray(store, window), ip, moment)
    if finding is None:
        return None
    successes = {s["id"] for s in finding.facts.get("successes", [])}
    failed = [e.id for e in finding.evidence if e.id not in successes]
    one_per_user: dict[str, dict[str, Any]] = {}
    for row in _rows(store, failed):
        one_per_user.setdefault(row["userId"], row)
    return {
        "ip": ip,
        "users": finding.facts["distinct_users"],
        "failures": finding.facts["failed_attempts"],
        "sign_ins": list(one_per_user.values())[:EVIDENCE_LIMIT],
    }


def lockout(logs: LogReader, user_id: str, code: int, moment: datetime) -> dict[str, Any] | None:
    """A lockout (50053) preceded by wrong passwords (50126) of the same user."""
    if code != LOCKED_OUT:
        return None
    rows = logs.failures_with_code(user_id, WRONG_PASSWORD, moment - LOCKOUT_LOOKBACK, moment)
    return {
        "wrong_passwords": len(rows),
        "ips": sorted({r["ipAddress"] for r in rows if r["ipAddress"]}),
        "sign_ins": rows[:EVIDENCE_LIMIT],
    }


def mfa_fatigue(logs: LogReader, user_id: str, moment: datetime) -> dict[str, Any] | None:
    """The MFA fatigue (as `security.detections` defines it) of the user around `moment`."""
    window = TimeWindow(start=moment - AROUND, end=moment + AROUND)
    store = logs.sign_ins_store(
        ip=None, user_id=user_id, start=window.start, end=window.end + MFA_FATIGUE_SUCCESS_WINDOW
    )
    finding = _finding_around(detect_mfa_fatigue(store, window), user_id, moment)
    if finding is None:
        return None
    approval_id = finding.facts.get("approval_sign_in_id")
    rows = _rows(store, [e.id for e in finding.evidence])
    return {
        "prompts": finding.facts["denied_prompts"],
        "approved_after": next((r for r in rows if r["id"] == approval_id), None),
        "sign_ins": [r for r in rows if r["id"] != approval_id][:EVIDENCE_LIMIT],
    }


def legacy_protocol(client_app_used: str | None) -> bool:
    """True when the client is a legacy protocol (IMAP, POP, SMTP, EAS, other clients)."""
    return client_app_of(client_app_used) in LEGACY_CLIENTS


def mfa_outcome(sign_in: dict[str, Any]) -> dict[str, Any]:
    """MFA method and result from mfaDetail and authenticationDetails."""
    detail = sign_in.get("mfaDetail") or {}
    method = detail.get("authMethod") or None
    denied = timed_out = succeeded = False
    steps = []
    for step in sign_in.get("authenticationDetails") or ():
        requirement = (step.get("authenticationStepRequirement") or "").lower()
        text = (step.get("authenticationStepResultDetail") or "").lower()
        if "multi" not in requirement and "mfa" not in requirement:
            continue
        step_method = step.get("authenticationMethod")
        method = method or step_method
        steps.append({"method": step_method, "succeeded": step.get("succeeded"), "detail": text})
        if step.get("succeeded"):
            succeeded = True
        elif any(marker in text for marker in TIMEOUT_MARKERS):
            timed_out = True
        elif any(marker in text for marker in DENIED_MARKERS):
            denied = True
    return {
        "method": method,
        "requirement": sign_in.get("authenticationRequirement"),
        "succeeded": succeeded,
        "denied": denied or timed_out,
        "declined": denied,
        "timed_out": timed_out,
        "steps": steps,
    }
