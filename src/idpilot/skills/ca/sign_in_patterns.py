"""Attack and failure patterns around one failed sign-in: spray, lockout, MFA fatigue, legacy.

Every threshold is a named constant; the patterns are heuristics that point an admin at evidence,
not verdicts, and each returns the sign-ins that support it so the answer can cite them.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from idpilot.conditional_access import ClientAppType
from idpilot.conditional_access.sign_in_context import client_app_of
from idpilot.store import Store

WRONG_PASSWORD = 50126
LOCKED_OUT = 50053
MFA_DENIED = 500121
SPRAY_CODES = (WRONG_PASSWORD, LOCKED_OUT)
SPRAY_MIN_USERS = 5
"""Distinct accounts failing from one IP before it looks like a spray, not one user's typos."""
SPRAY_WINDOW = timedelta(hours=24)
"""Sprays are slow on purpose (to dodge smart lockout); a day catches one round."""
LOCKOUT_LOOKBACK = timedelta(hours=1)
"""Smart lockout counts recent wrong passwords; an hour before the lockout shows its cause."""
FATIGUE_MIN_PROMPTS = 3
"""Denied or unanswered MFA prompts within the window before it looks like push bombing."""
FATIGUE_WINDOW = timedelta(hours=1)
EVIDENCE_LIMIT = 10
LEGACY_CLIENTS = frozenset({ClientAppType.other, ClientAppType.exchange_active_sync})
DENIED_MARKERS = ("denied", "declined", "rejected", "fraud")
TIMEOUT_MARKERS = ("did not respond", "timed out", "timeout", "no response")

PATTERN_ROWS = """
SELECT id, createdDateTime, userId, userDisplayName, userPrincipalName, appDisplayName, appId,
       ipAddress, clientAppUsed, correlationId, errorCode
FROM signIns
"""


def password_spray(store: Store, ip: str | None, moment: datetime) -> dict[str, Any] | None:
    """Wrong-password failures from `ip` across many accounts around `moment`."""
    if not ip:
        return None
    rows = store.query(
        PATTERN_ROWS + "WHERE ipAddress = ? AND errorCode IN (SELECT unnest(?)) "
        "AND createdDateTime BETWEEN ? AND ? ORDER BY createdDateTime",
        [ip, list(SPRAY_CODES), moment - SPRAY_WINDOW, moment + SPRAY_WINDOW],
    )
    users = {row["userId"] for row in rows}
    if len(users) < SPRAY_MIN_USERS:
        return None
    one_per_user: dict[str, dict[str, Any]] = {}
    for row in rows:
        one_per_user.setdefault(row["userId"], row)
    return {
        "ip": ip,
        "users": len(users),
        "failures": len(rows),
        "sign_ins": list(one_per_user.values())[:EVIDENCE_LIMIT],
    }


def lockout(store: Store, user_id: str, code: int, moment: datetime) -> dict[str, Any] | None:
    """A lockout (50053) preceded by wrong passwords (50126) of the same user."""
    if code != LOCKED_OUT:
        return None
    rows = store.query(
        PATTERN_ROWS + "WHERE userId = ? AND errorCode = ? AND createdDateTime BETWEEN ? AND ? "
        "ORDER BY createdDateTime",
        [user_id, WRONG_PASSWORD, moment - LOCKOUT_LOOKBACK, moment],
    )
    return {
        "wrong_passwords": len(rows),
        "ips": sorted({r["ipAddress"] for r in rows if r["ipAddress"]}),
        "sign_ins": rows[:EVIDENCE_LIMIT],
    }


def mfa_fatigue(
    store: Store, user_id: str, moment: datetime, sign_ins: list[dict[str, Any]]
) -> dict[str, Any] | None:
    """Many denied or unanswered MFA prompts for the user around `moment` (push bombing)."""
    near = [
        row
        for row in sign_ins
        if abs(row["createdDateTime"] - moment) <= FATIGUE_WINDOW
        and (row["errorCode"] == MFA_DENIED or mfa_outcome(row.get("raw") or {})["denied"])
    ]
    if len(near) < FATIGUE_MIN_PROMPTS:
        return None
    last = max(row["createdDateTime"] for row in near)
    approved = [
        row
        for row in sign_ins
        if row["errorCode"] == 0
        and last <= row["createdDateTime"] <= last + FATIGUE_WINDOW
        and mfa_outcome(row.get("raw") or {})["method"]
    ]
    return {
        "prompts": len(near),
        "approved_after": approved[0] if approved else None,
        "sign_ins": near[:EVIDENCE_LIMIT],
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
