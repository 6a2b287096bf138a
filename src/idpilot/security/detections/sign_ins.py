"""Detections over failed sign-ins: password spray, brute force and lockouts, MFA fatigue.

Every detection is one set-based SQL query over `signIns` (window functions split each IP's or
user's events into bursts); Python only shapes the few rows that pass the thresholds.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from idpilot.actions.proposals import confirm_compromised, require_password_reset, revoke_sessions
from idpilot.model.records import Record
from idpilot.model.windows import TimeWindow
from idpilot.security.detections.base import (
    MAX_EVIDENCE_PER_FINDING,
    DetectionType,
    Finding,
    places_of,
    sign_in_evidence,
    user_finding,
)
from idpilot.security.severity import Severity
from idpilot.store import Store
from idpilot.store.queries.sign_in_bursts import (
    first_success_after,
    mfa_denial_bursts_by_user,
    past_password_from_ip,
    wrong_password_bursts_by_ip,
    wrong_password_bursts_by_user,
)

WRONG_PASSWORD = 50126
LOCKED_OUT = 50053
MFA_DENIED = 500121
"""AADSTS500121: strong authentication failed (push denied, ignored or timed out)."""

BURST_GAP = timedelta(minutes=30)
"""Events of one IP or user closer than this belong to the same burst (attack tools pace
attempts seconds to minutes apart; a person's separate mistakes are usually hours apart)."""

SPRAY_MIN_USERS = 10
"""Distinct accounts failing from one IP in one burst before it is a spray: a shared office
NAT rarely sees ten different people mistype their passwords within half-hour gaps."""

SPRAY_SUCCESS_WINDOW = timedelta(hours=1)
"""A sign-in from the spraying IP this soon after the burst that got past the password (a
success, or an MFA or Conditional Access stop after it) means the spray guessed a password."""

BRUTE_FORCE_MIN_FAILURES = 10
"""Failed passwords by one user in one burst without a lockout: Entra smart lockout locks
after 10 by default, so reaching it without a lockout means attempts from many IPs."""

LOCKOUT_MIN_FAILURES = 3
"""A lockout burst needs at least this many failures; a lone 50053 is a stale client retry."""

MFA_FATIGUE_MIN_PROMPTS = 5
"""Denied or unanswered MFA prompts for one user in one burst: people rarely deny more than
one or two pushes; attackers send many hoping for an approval."""

MFA_FATIGUE_SUCCESS_WINDOW = timedelta(hours=1)
"""An approval this soon after the denials is treated as the attacker getting in."""


def affected_user(row: dict[str, Any]) -> Record:
    return Record(kind="user", id=row["userId"], label=row.get("upn") or "")


def compromised_user_proposals(
    user: Record, reason: str, reset_reason: str | None = None
) -> list[dict[str, Any]]:
    """Confirm compromised and revoke sessions (and require a password change when the
    attacker knows the password), as skill facts."""
    proposals = [
        confirm_compromised([user], reason).as_fact(),
        revoke_sessions(user, reason).as_fact(),
    ]
    if reset_reason is not None:
        proposals.append(require_password_reset(user, reset_reason).as_fact())
    return proposals


def password_spray(store: Store, window: TimeWindow) -> list[Finding]:
    """One IP failing passwords (50126/50053) for many distinct users in one burst; the
    sign-ins from it that got past the password come first in the evidence."""
    from idpilot.knowledge import default_catalog, passed_primary_authentication_codes

    bursts = wrong_password_bursts_by_ip(
        store, window.start, window.end, BURST_GAP,
        wrong_password=WRONG_PASSWORD, locked=LOCKED_OUT, min_users=SPRAY_MIN_USERS,
    )  # fmt: skip
    catalog = default_catalog()
    codes = sorted(passed_primary_authentication_codes())
    findings = []
    for b in bursts:
        accepted = past_password_from_ip(
            store, b["k"], b["first_seen"], b["last_seen"] + SPRAY_SUCCESS_WINDOW, codes
        )
        successes = [s for s in accepted if s["errorCode"] == 0]
        ids = [s["id"] for s in accepted] + b["ids"][:MAX_EVIDENCE_PER_FINDING]
        proposals = _spray_proposals(accepted)
        findings.append(
            Finding(
                detection=DetectionType.password_spray,
                severity=Severity.critical if accepted else Severity.high,
                subject_kind="ipAddress",
                subject_id=b["k"],
                subject_label=b["k"],
                first_seen=b["first_seen"],
                last_seen=b["last_seen"],
                facts={
                    "ip": b["k"],
                    "distinct_users": b["users"],
                    "failed_attempts": b["attempts"],
                    "successful_sign_ins": len(successes),
                    "compromised_user_ids": list(
                        dict.fromkeys(s["userId"] for s in successes if s["userId"])
                    ),
                    "successes": [
                        {"id": x["id"], "userPrincipalName": x["upn"]} for x in successes
                    ],
                    "password_accepted": [
                        {
                            "id": x["id"],
                            "userId": x["userId"],
                            "userPrincipalName": x["upn"],
                            "userDisplayName": x["name"],
                            "errorCode": x["errorCode"],
                            "title": catalog.explain(x["errorCode"]).title,
                            "createdDateTime": x["createdDateTime"],
                        }
                        for x in accepted
                    ],
                },
                evidence=_accepted_first(
                    sign_in_evidence(
                        store, ids, b["first_seen"], b["last_seen"] + SPRAY_SUCCESS_WINDOW
                    ),
                    accepted,
                )
                + _accounts_guessed(accepted),
                response="Block the IP address with a named location and a block policy, reset "
                "the passwords of accounts whose password it got right, revoke the sessions of "
                "those that signed in, and make sure every account (service accounts included) "
                "requires MFA.",
                proposals=proposals,
            )
        )
    return findings


def _spray_proposals(accepted: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per account the spray got the password of: a compromise response when it signed in,
    a password reset when MFA or Conditional Access stopped it after the password."""
    proposals: list[dict[str, Any]] = []
    seen: set[str] = set()
    for row in sorted(accepted, key=lambda r: r["errorCode"] != 0):
        if not row["userId"] or row["userId"] in seen:
            continue
        seen.add(row["userId"])
        user = affected_user(row)
        if row["errorCode"] == 0:
            proposals += compromised_user_proposals(
                user, "signed in from the spraying IP", "password guessed by a spray"
            )
        else:
            proposals.append(require_password_reset(user, "password guessed by a spray").as_fact())
    return proposals


def _accounts_guessed(accepted: list[dict[str, Any]]) -> list[Record]:
    """The user records of the accounts whose password the spray got right, to cite them by."""
    users: dict[str, Record] = {}
    for row in accepted:
        if row["userId"] and row["userId"] not in users:
            users[row["userId"]] = Record(
                kind="user",
                id=row["userId"],
                label=f"user {row['upn'] or row['userId']}",
                fields={"userPrincipalName": row["upn"], "displayName": row["name"]},
            )
    return list(users.values())


def _accepted_first(evidence: list[Record], accepted: list[dict[str, Any]]) -> list[Record]:
    """The evidence with the sign-ins that got past the password first (the question that
    matters), then the failures, each part in time order."""
    wanted = {row["id"] for row in accepted}
    return [e for e in evidence if e.id in wanted] + [e for e in evidence if e.id not in wanted]


def brute_force(store: Store, window: TimeWindow) -> list[Finding]:
    """One user failing many passwords in a burst, or locked out (50053) after failures."""
    bursts = wrong_password_bursts_by_user(
        store, window.start, window.end, BURST_GAP,
        wrong_password=WRONG_PASSWORD, locked=LOCKED_OUT,
        min_lock=LOCKOUT_MIN_FAILURES, min_failures=BRUTE_FORCE_MIN_FAILURES,
    )  # fmt: skip
    findings = []
    for b in bursts:
        evidence = sign_in_evidence(
            store, b["ids"][:MAX_EVIDENCE_PER_FINDING], b["first_seen"], b["last_seen"]
        )
        upn = next((e.fields.get("userPrincipalName") for e in evidence), None)
        ips = sorted({e.fields["ipAddress"] for e in evidence if e.fields.get("ipAddress")})
        findings.append(
            user_finding(
                DetectionType.brute_force,
                Severity.medium if len(ips) <= 1 else Severity.high,
                b["k"],
                upn,
                first_seen=b["first_seen"],
                last_seen=b["last_seen"],
                facts={
                    "failed_attempts": b["attempts"],
                    "lockouts": b["lockouts"],
                    "locked_out": b["lockouts"] > 0,
                    "ips": ips,
                },
                evidence=evidence,
                response="Confirm with the user whether they mistyped their password; if not, "
                "treat it as a guessing attack: reset the password and check the source IPs.",
            )
        )
    return findings


def mfa_fatigue(store: Store, window: TimeWindow) -> list[Finding]:
    """Many denied or unanswered MFA prompts for one user in a burst, maybe then an approval."""
    bursts = mfa_denial_bursts_by_user(
        store, window.start, window.end, BURST_GAP,
        mfa_denied=MFA_DENIED, locked=LOCKED_OUT, min_prompts=MFA_FATIGUE_MIN_PROMPTS,
    )  # fmt: skip
    findings = []
    for b in bursts:
        approvals = first_success_after(
            store, b["k"], b["last_seen"], b["last_seen"] + MFA_FATIGUE_SUCCESS_WINDOW
        )
        evidence = sign_in_evidence(
            store,
            b["ids"][:MAX_EVIDENCE_PER_FINDING] + [a["id"] for a in approvals],
            b["first_seen"],
            b["last_seen"] + MFA_FATIGUE_SUCCESS_WINDOW,
        )
        upn = next((e.fields.get("userPrincipalName") for e in evidence), None)
        proposals = []
        if approvals:
            target = Record(kind="user", id=b["k"], label=upn or "")
            proposals = compromised_user_proposals(
                target, "approved an MFA prompt after a flood", "the attacker knows the password"
            )
        findings.append(
            user_finding(
                DetectionType.mfa_fatigue,
                Severity.critical if approvals else Severity.medium,
                b["k"],
                upn,
                first_seen=b["first_seen"],
                last_seen=b["last_seen"],
                facts={
                    "denied_prompts": b["attempts"],
                    "approved_after": bool(approvals),
                    "approval_sign_in_id": approvals[0]["id"] if approvals else None,
                    "origins": places_of(evidence),
                },
                evidence=evidence,
                response="Call the user; if they did not sign in, confirm compromised, revoke "
                "sessions and reset the password (the attacker has it). Enforce number matching "
                "or phishing-resistant methods and ask users to report unexpected prompts.",
                proposals=proposals,
            )
        )
    return findings
