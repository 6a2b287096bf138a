"""Detections over sign-in logs: spray, brute force, travel, MFA fatigue, legacy, anonymizers.

Every detection is one set-based SQL query over `signIns` (window functions split each IP's or
user's events into bursts); Python only shapes the few rows that pass the thresholds.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from idpilot.actions.proposals import (
    AffectedObject,
    confirm_compromised,
    require_password_reset,
    revoke_sessions,
)
from idpilot.security.detections.base import (
    MAX_EVIDENCE_PER_FINDING,
    DetectionType,
    Finding,
    Window,
    sign_in_evidence,
    user_finding,
)
from idpilot.security.severity import Severity
from idpilot.store import Store
from idpilot.store.rows import fetch_rows

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
"""A success from the spraying IP this soon after the burst is treated as a compromise."""

BRUTE_FORCE_MIN_FAILURES = 10
"""Failed passwords by one user in one burst without a lockout: Entra smart lockout locks
after 10 by default, so reaching it without a lockout means attempts from many IPs."""

LOCKOUT_MIN_FAILURES = 3
"""A lockout burst needs at least this many failures; a lone 50053 is a stale client retry."""

IMPOSSIBLE_SPEED_KMH = 900.0
"""Faster than a commercial jet: no one travels between the two places that quickly."""

IMPOSSIBLE_TRAVEL_MIN_KM = 500.0
"""Closer pairs are ignored: IP geolocation of mobile and VPN egress is off by hundreds of km."""

MIN_TRAVEL_SECONDS = 60.0
"""Floor on the time between two sign-ins, so a zero gap does not divide by zero."""

MFA_FATIGUE_MIN_PROMPTS = 5
"""Denied or unanswered MFA prompts for one user in one burst: people rarely deny more than
one or two pushes; attackers send many hoping for an approval."""

MFA_FATIGUE_SUCCESS_WINDOW = timedelta(hours=1)
"""An approval this soon after the denials is treated as the attacker getting in."""

LEGACY_CLIENTS = (
    "Exchange ActiveSync", "IMAP4", "POP3", "Authenticated SMTP", "MAPI Over HTTP",
    "Exchange Web Services", "Other clients", "AutoDiscover", "Exchange Online PowerShell",
    "Offline Address Book", "Outlook Anywhere (RPC over HTTP)", "Reporting Web Services",
    "Universal Outlook", "Outlook Service", "Exchange Online Remote PowerShell",
)  # fmt: skip
"""clientAppUsed values of legacy (basic) authentication, which cannot do MFA."""


def _user(row: dict[str, Any]) -> AffectedObject:
    return AffectedObject(kind="user", id=row["userId"], label=row.get("upn") or "")


def _compromised_user_proposals(
    user: AffectedObject, reason: str, reset_reason: str | None = None
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


_BURSTS = """
WITH f AS (
    SELECT id, {key} AS k, userId, createdDateTime AS t, errorCode FROM signIns
    WHERE createdDateTime >= $start AND createdDateTime < $end AND {key} IS NOT NULL
      AND ({condition})
), g AS (
    SELECT *, sum(CASE WHEN prev IS NULL OR t - prev > $gap THEN 1 ELSE 0 END)
              OVER (PARTITION BY k ORDER BY t, id) AS burst
    FROM (SELECT *, lag(t) OVER (PARTITION BY k ORDER BY t, id) AS prev FROM f)
)
SELECT k, burst, count(DISTINCT userId) AS users, count(*) AS attempts,
       count(*) FILTER (WHERE errorCode = {locked}) AS lockouts,
       min(t) AS first_seen, max(t) AS last_seen, list(id ORDER BY t, id) AS ids
FROM g GROUP BY k, burst HAVING {having}
"""


def _bursts(store: Store, window: Window, key: str, condition: str, having: str, **extra: Any):
    # key/condition/having are fixed fragments of this module, never user input.
    sql = _BURSTS.format(key=key, condition=condition, having=having, locked=LOCKED_OUT)
    return fetch_rows(store, sql, {**window.params(), "gap": BURST_GAP, **extra})


def password_spray(store: Store, window: Window) -> list[Finding]:
    """One IP failing passwords (50126/50053) for many distinct users in one burst."""
    bursts = _bursts(
        store, window, "ipAddress", f"errorCode IN ({WRONG_PASSWORD}, {LOCKED_OUT})",
        "count(DISTINCT userId) >= $min_users", min_users=SPRAY_MIN_USERS,
    )  # fmt: skip
    findings = []
    for b in bursts:
        successes = fetch_rows(
            store,
            "SELECT id, userId, userPrincipalName AS upn FROM signIns WHERE ipAddress = $ip "
            "AND errorCode = 0 AND createdDateTime >= $first AND createdDateTime <= $until "
            "ORDER BY createdDateTime",
            {
                "ip": b["k"],
                "first": b["first_seen"],
                "until": b["last_seen"] + SPRAY_SUCCESS_WINDOW,
            },
        )
        ids = b["ids"][:MAX_EVIDENCE_PER_FINDING] + [s["id"] for s in successes]
        compromised = {s["userId"]: s for s in successes if s["userId"]}
        proposals = []
        for row in compromised.values():
            proposals += _compromised_user_proposals(
                _user(row), "signed in from the spraying IP", "password guessed by a spray"
            )
        findings.append(
            Finding(
                detection=DetectionType.password_spray,
                severity=Severity.critical if compromised else Severity.high,
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
                    "compromised_user_ids": list(compromised),
                    "successes": [
                        {"id": x["id"], "userPrincipalName": x["upn"]} for x in successes
                    ],
                },
                evidence=sign_in_evidence(store, ids),
                response="Block the IP address with a named location and a block policy, reset "
                "the passwords of accounts that signed in from it, and make sure every account "
                "(service accounts included) requires MFA.",
                proposals=proposals,
            )
        )
    return findings


def brute_force(store: Store, window: Window) -> list[Finding]:
    """One user failing many passwords in a burst, or locked out (50053) after failures."""
    bursts = _bursts(
        store, window, "userId", f"errorCode IN ({WRONG_PASSWORD}, {LOCKED_OUT})",
        f"(count(*) FILTER (WHERE errorCode = {LOCKED_OUT}) > 0 AND count(*) >= $min_lock) "
        "OR count(*) >= $min_failures",
        min_lock=LOCKOUT_MIN_FAILURES, min_failures=BRUTE_FORCE_MIN_FAILURES,
    )  # fmt: skip
    findings = []
    for b in bursts:
        evidence = sign_in_evidence(store, b["ids"][:MAX_EVIDENCE_PER_FINDING])
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


_TRAVEL = """
WITH s AS (
    SELECT id, userId, userPrincipalName AS upn, createdDateTime AS t,
           TRY_CAST(json_extract(location, '$.geoCoordinates.latitude') AS DOUBLE) AS lat,
           TRY_CAST(json_extract(location, '$.geoCoordinates.longitude') AS DOUBLE) AS lon
    FROM signIns
    WHERE createdDateTime >= $start AND createdDateTime < $end AND errorCode = 0
      AND userId IS NOT NULL
), c AS (
    SELECT *, lag(id) OVER w AS prev_id, lag(t) OVER w AS prev_t, lag(lat) OVER w AS prev_lat,
           lag(lon) OVER w AS prev_lon
    FROM s WHERE lat IS NOT NULL AND lon IS NOT NULL
    WINDOW w AS (PARTITION BY userId ORDER BY t, id)
), d AS (
    SELECT *, 2 * 6371 * asin(sqrt(
               pow(sin(radians(lat - prev_lat) / 2), 2)
               + cos(radians(prev_lat)) * cos(radians(lat))
                 * pow(sin(radians(lon - prev_lon) / 2), 2)
           )) AS km,
           greatest(epoch(t) - epoch(prev_t), $min_seconds) AS seconds
    FROM c WHERE prev_id IS NOT NULL
)
SELECT userId, any_value(upn) AS upn, min(prev_t) AS first_seen, max(t) AS last_seen,
       list({'from': prev_id, 'to': id, 'km': round(km), 'minutes': round(seconds / 60),
             'kmh': round(km / (seconds / 3600))} ORDER BY t) AS pairs
FROM d WHERE km >= $min_km AND km / (seconds / 3600) > $speed
GROUP BY userId
"""


def impossible_travel(store: Store, window: Window) -> tuple[list[Finding], int]:
    """Two successful sign-ins by one user too far apart for the time between them.

    Uses location.geoCoordinates only; sign-ins without coordinates are skipped and counted.
    """
    params = {
        **window.params(),
        "min_seconds": MIN_TRAVEL_SECONDS,
        "min_km": IMPOSSIBLE_TRAVEL_MIN_KM,
        "speed": IMPOSSIBLE_SPEED_KMH,
    }
    skipped = store.con.execute(
        "SELECT count(*) FROM signIns WHERE createdDateTime >= $start AND createdDateTime < $end "
        "AND errorCode = 0 AND json_extract(location, '$.geoCoordinates.latitude') IS NULL",
        window.params(),
    ).fetchone()[0]
    findings = []
    for row in fetch_rows(store, _TRAVEL, params):
        ids = [i for p in row["pairs"] for i in (p["from"], p["to"])]
        proposals = _compromised_user_proposals(_user(row), "sign-ins from impossible locations")
        findings.append(
            user_finding(
                DetectionType.impossible_travel,
                Severity.high,
                row["userId"],
                row["upn"],
                first_seen=row["first_seen"],
                last_seen=row["last_seen"],
                facts={"pairs": row["pairs"]},
                evidence=sign_in_evidence(store, list(dict.fromkeys(ids))),
                response="Ask the user whether both sign-ins were theirs (a VPN can explain "
                "one); if not, confirm the user compromised, revoke sessions and reset the "
                "password.",
                proposals=proposals,
            )
        )
    return findings, int(skipped or 0)


def mfa_fatigue(store: Store, window: Window) -> list[Finding]:
    """Many denied or unanswered MFA prompts for one user in a burst, maybe then an approval."""
    condition = (
        f"errorCode = {MFA_DENIED} OR (errorCode <> 0 AND "
        "json_extract_string(status, '$.additionalDetails') ILIKE '%MFA denied%')"
    )
    bursts = _bursts(
        store, window, "userId", condition, "count(*) >= $min_prompts",
        min_prompts=MFA_FATIGUE_MIN_PROMPTS,
    )  # fmt: skip
    findings = []
    for b in bursts:
        approvals = fetch_rows(
            store,
            "SELECT id, userId, userPrincipalName AS upn FROM signIns WHERE userId = $user "
            "AND errorCode = 0 AND createdDateTime > $last AND createdDateTime <= $until "
            "ORDER BY createdDateTime LIMIT 1",
            {
                "user": b["k"],
                "last": b["last_seen"],
                "until": b["last_seen"] + MFA_FATIGUE_SUCCESS_WINDOW,
            },
        )
        evidence = sign_in_evidence(
            store, b["ids"][:MAX_EVIDENCE_PER_FINDING] + [a["id"] for a in approvals]
        )
        upn = next((e.fields.get("userPrincipalName") for e in evidence), None)
        proposals = []
        if approvals:
            target = AffectedObject(kind="user", id=b["k"], label=upn or "")
            proposals = _compromised_user_proposals(
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
                },
                evidence=evidence,
                response="Call the user; if they did not sign in, confirm compromised, revoke "
                "sessions and reset the password (the attacker has it). Enforce number matching "
                "or phishing-resistant methods and ask users to report unexpected prompts.",
                proposals=proposals,
            )
        )
    return findings


_LEGACY = """
SELECT userId, any_value(userPrincipalName) AS upn, count(*) AS attempts,
       count(*) FILTER (WHERE errorCode = 0) AS successes,
       list(DISTINCT clientAppUsed) AS clients, min(createdDateTime) AS first_seen,
       max(createdDateTime) AS last_seen,
       list(id ORDER BY errorCode <> 0, createdDateTime DESC) AS ids
FROM signIns
WHERE createdDateTime >= $start AND createdDateTime < $end AND userId IS NOT NULL
  AND clientAppUsed IN (SELECT unnest($clients))
GROUP BY userId
"""


def legacy_authentication(store: Store, window: Window) -> list[Finding]:
    """Users signing in (or trying to) with legacy protocols that cannot do MFA."""
    rows = fetch_rows(store, _LEGACY, {**window.params(), "clients": list(LEGACY_CLIENTS)})
    findings = []
    for row in rows:
        succeeded = row["successes"] > 0
        findings.append(
            user_finding(
                DetectionType.legacy_authentication,
                Severity.high if succeeded else Severity.low,
                row["userId"],
                row["upn"],
                first_seen=row["first_seen"],
                last_seen=row["last_seen"],
                facts={
                    "attempts": row["attempts"],
                    "successes": row["successes"],
                    "clients": sorted(row["clients"]),
                },
                evidence=sign_in_evidence(store, row["ids"][:MAX_EVIDENCE_PER_FINDING]),
                response=(
                    "Legacy protocols bypass MFA: block legacy authentication with Conditional "
                    "Access and move the client to modern authentication."
                    if succeeded
                    else "The sign-ins are blocked; move the client to modern authentication "
                    "(OAuth) so the user stops failing."
                ),
            )
        )
    return findings


_ANONYMOUS = """
WITH flagged AS (
    SELECT id FROM signIns
    WHERE createdDateTime >= $start AND createdDateTime < $end
      AND (coalesce(riskLevelDuringSignIn, 'none') NOT IN ('none', 'hidden')
           OR coalesce(riskState, 'none') <> 'none')
      AND (json_extract_string(raw, '$.riskEventTypes_v2') ILIKE '%anonymizedIPAddress%'
           OR json_extract_string(raw, '$.riskEventTypes') ILIKE '%anonymizedIPAddress%')
    UNION
    SELECT s.id FROM riskDetections d JOIN signIns s ON s.id = d.requestId
    WHERE d.riskEventType = 'anonymizedIPAddress'
      AND s.createdDateTime >= $start AND s.createdDateTime < $end
)
SELECT s.userId, s.ipAddress, any_value(s.userPrincipalName) AS upn, count(*) AS sign_ins,
       count(*) FILTER (WHERE s.errorCode = 0) AS successes, min(s.createdDateTime) AS first_seen,
       max(s.createdDateTime) AS last_seen, list(s.id ORDER BY s.createdDateTime) AS ids
FROM signIns s JOIN flagged USING (id)
GROUP BY s.userId, s.ipAddress
"""


def anonymizer_sign_ins(store: Store, window: Window) -> list[Finding]:
    """Sign-ins from anonymizing networks (Tor, anonymous VPN) flagged by Identity Protection."""
    findings = []
    for row in fetch_rows(store, _ANONYMOUS, window.params()):
        succeeded = row["successes"] > 0
        proposals = []
        if succeeded and row["userId"]:
            proposals = _compromised_user_proposals(_user(row), "signed in from an anonymizer")
        detections = fetch_rows(
            store,
            "SELECT id FROM riskDetections WHERE requestId IN (SELECT unnest($ids)) "
            "AND riskEventType = 'anonymizedIPAddress'",
            {"ids": row["ids"]},
        )
        findings.append(
            user_finding(
                DetectionType.anonymizer_sign_in,
                Severity.high if succeeded else Severity.medium,
                row["userId"],
                row["upn"],
                first_seen=row["first_seen"],
                last_seen=row["last_seen"],
                facts={
                    "ip": row["ipAddress"],
                    "sign_ins": row["sign_ins"],
                    "successes": row["successes"],
                    "risk_detection_ids": [d["id"] for d in detections],
                },
                evidence=sign_in_evidence(store, row["ids"][:MAX_EVIDENCE_PER_FINDING]),
                response="Ask the user whether they use Tor or an anonymous VPN; if not, confirm "
                "compromised, revoke sessions and review what the session accessed. A sign-in "
                "risk policy requiring MFA would have challenged it.",
                proposals=proposals,
            )
        )
    return findings
