"""Detections about where sign-ins come from: impossible travel, legacy clients, anonymizers."""

from __future__ import annotations

from idpilot.model.windows import TimeWindow
from idpilot.security.detections.base import (
    MAX_EVIDENCE_PER_FINDING,
    DetectionType,
    Finding,
    sign_in_evidence,
    user_finding,
)
from idpilot.security.detections.sign_ins import affected_user, compromised_user_proposals
from idpilot.security.severity import Severity
from idpilot.store import Store
from idpilot.store.rows import fetch_rows

IMPOSSIBLE_SPEED_KMH = 900.0
"""Faster than a commercial jet: no one travels between the two places that quickly."""

IMPOSSIBLE_TRAVEL_MIN_KM = 500.0
"""Closer pairs are ignored: IP geolocation of mobile and VPN egress is off by hundreds of km."""

MIN_TRAVEL_SECONDS = 60.0
"""Floor on the time between two sign-ins, so a zero gap does not divide by zero."""

LEGACY_CLIENTS = (
    "Exchange ActiveSync", "IMAP4", "POP3", "Authenticated SMTP", "MAPI Over HTTP",
    "Exchange Web Services", "Other clients", "AutoDiscover", "Exchange Online PowerShell",
    "Offline Address Book", "Outlook Anywhere (RPC over HTTP)", "Reporting Web Services",
    "Universal Outlook", "Outlook Service", "Exchange Online Remote PowerShell",
)  # fmt: skip
"""clientAppUsed values of legacy (basic) authentication, which cannot do MFA."""


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


def impossible_travel(store: Store, window: TimeWindow) -> tuple[list[Finding], int]:
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
        proposals = compromised_user_proposals(
            affected_user(row), "sign-ins from impossible locations"
        )
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


def legacy_authentication(store: Store, window: TimeWindow) -> list[Finding]:
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


def anonymizer_sign_ins(store: Store, window: TimeWindow) -> list[Finding]:
    """Sign-ins from anonymizing networks (Tor, anonymous VPN) flagged by Identity Protection."""
    findings = []
    for row in fetch_rows(store, _ANONYMOUS, window.params()):
        succeeded = row["successes"] > 0
        proposals = []
        if succeeded and row["userId"]:
            proposals = compromised_user_proposals(
                affected_user(row), "signed in from an anonymizer"
            )
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
