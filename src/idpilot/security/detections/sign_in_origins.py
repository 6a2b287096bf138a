"""Detections about where sign-ins come from: impossible travel, legacy clients, anonymizers."""

from __future__ import annotations

from typing import Any

from idpilot.model.records import Record
from idpilot.model.windows import TimeWindow
from idpilot.security.detections.base import (
    MAX_EVIDENCE_PER_FINDING,
    DetectionType,
    Finding,
    place_of,
    sign_in_evidence,
    user_finding,
)
from idpilot.security.detections.sign_ins import affected_user, compromised_user_proposals
from idpilot.security.severity import Severity
from idpilot.store import Store
from idpilot.store.queries.sign_in_origins import (
    anonymizer_detections_of,
    anonymizer_sign_in_groups,
    impossible_travel_pairs,
    legacy_client_sign_ins,
    successes_without_coordinates,
)

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


def impossible_travel(store: Store, window: TimeWindow) -> tuple[list[Finding], int]:
    """Two successful sign-ins by one user too far apart for the time between them.

    Uses location.geoCoordinates only; sign-ins without coordinates are skipped and counted.
    """
    skipped = successes_without_coordinates(store, window.start, window.end)
    findings = []
    rows = impossible_travel_pairs(
        store,
        window.start,
        window.end,
        min_seconds=MIN_TRAVEL_SECONDS,
        min_km=IMPOSSIBLE_TRAVEL_MIN_KM,
        speed_kmh=IMPOSSIBLE_SPEED_KMH,
    )
    for row in rows:
        ids = [i for p in row["pairs"] for i in (p["from"], p["to"])]
        proposals = compromised_user_proposals(
            affected_user(row), "sign-ins from impossible locations"
        )
        evidence = sign_in_evidence(
            store, list(dict.fromkeys(ids)), row["first_seen"], row["last_seen"]
        )
        by_id = {e.id: e for e in evidence}
        pairs = [{**pair, **_ends(by_id, pair)} for pair in row["pairs"]]
        findings.append(
            user_finding(
                DetectionType.impossible_travel,
                Severity.high,
                row["userId"],
                row["upn"],
                first_seen=row["first_seen"],
                last_seen=row["last_seen"],
                facts={"pairs": pairs},
                evidence=evidence,
                response="Ask the user whether both sign-ins were theirs (a VPN can explain "
                "one); if not, confirm the user compromised, revoke sessions and reset the "
                "password.",
                proposals=proposals,
            )
        )
    return findings, int(skipped or 0)


def _ends(by_id: dict[str, Record], pair: dict[str, Any]) -> dict[str, Any]:
    """Where and when each end of a travel pair signed in: place, IP and time."""
    ends: dict[str, Any] = {}
    for end in ("from", "to"):
        record = by_id.get(pair[end])
        fields = record.fields if record else {}
        ends[f"{end}_place"] = place_of(record) if record else None
        ends[f"{end}_ip"] = fields.get("ipAddress")
        ends[f"{end}_time"] = fields.get("createdDateTime")
    return ends


def legacy_authentication(store: Store, window: TimeWindow) -> list[Finding]:
    """Users signing in (or trying to) with legacy protocols that cannot do MFA."""
    rows = legacy_client_sign_ins(store, window.start, window.end, list(LEGACY_CLIENTS))
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
                evidence=sign_in_evidence(
                    store,
                    row["ids"][:MAX_EVIDENCE_PER_FINDING],
                    row["first_seen"],
                    row["last_seen"],
                ),
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


def anonymizer_sign_ins(store: Store, window: TimeWindow) -> list[Finding]:
    """Sign-ins from anonymizing networks (Tor, anonymous VPN) flagged by Identity Protection."""
    findings = []
    for row in anonymizer_sign_in_groups(store, window.start, window.end):
        succeeded = row["successes"] > 0
        proposals = []
        if succeeded and row["userId"]:
            proposals = compromised_user_proposals(
                affected_user(row), "signed in from an anonymizer"
            )
        detections = anonymizer_detections_of(store, row["ids"])
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
                evidence=sign_in_evidence(
                    store,
                    row["ids"][:MAX_EVIDENCE_PER_FINDING],
                    row["first_seen"],
                    row["last_seen"],
                ),
                response="Ask the user whether they use Tor or an anonymous VPN; if not, confirm "
                "compromised, revoke sessions and review what the session accessed. A sign-in "
                "risk policy requiring MFA would have challenged it.",
                proposals=proposals,
            )
        )
    return findings
