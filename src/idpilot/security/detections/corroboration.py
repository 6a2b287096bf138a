"""Identity Protection risk detections that corroborate a sign-in finding: the same sign-ins,
or the same user or IP address within a day of the pattern."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from idpilot.model.records import Record
from idpilot.security.detections.base import DetectionType, Finding
from idpilot.store import Store
from idpilot.store.risk_detections import risk_detections_near

CORROBORATION_MARGIN = timedelta(days=1)
"""A risk detection this close to a finding's first or last sign-in corroborates it; Identity
Protection's offline detections arrive hours after the sign-in they flag."""
MAX_CORROBORATING = 10

SIGN_IN_DETECTIONS = frozenset(
    {
        DetectionType.password_spray,
        DetectionType.brute_force,
        DetectionType.impossible_travel,
        DetectionType.mfa_fatigue,
        DetectionType.legacy_authentication,
        DetectionType.anonymizer_sign_in,
    }
)


def corroborating_risk(store: Store, finding: Finding) -> list[Record]:
    """The risk detections about the finding's sign-ins, or about its user or IP addresses
    within `CORROBORATION_MARGIN` of it (empty for findings not built from sign-ins)."""
    if finding.detection not in SIGN_IN_DETECTIONS or finding.first_seen is None:
        return []
    sign_ins = [e for e in finding.evidence if e.kind == "signIn"]
    users = {str(e.fields["userId"]) for e in sign_ins if e.fields.get("userId")}
    if finding.subject_kind == "user" and finding.subject_id:
        users.add(finding.subject_id)
    ips = {str(e.fields["ipAddress"]) for e in sign_ins if e.fields.get("ipAddress")}
    if isinstance(finding.facts.get("ip"), str):
        ips.add(finding.facts["ip"])
    last = finding.last_seen or finding.first_seen
    rows = risk_detections_near(
        store,
        [e.id for e in sign_ins],
        sorted(users),
        sorted(ips),
        finding.first_seen - CORROBORATION_MARGIN,
        last + CORROBORATION_MARGIN,
        MAX_CORROBORATING,
    )
    return [_evidence(row) for row in rows]


def _evidence(row: dict[str, Any]) -> Record:
    when = row["activityDateTime"] or row["detectedDateTime"]
    fields = {k: _plain(v) for k, v in row.items() if v is not None and k != "id"}
    stamp = f"{when:%Y-%m-%d %H:%M}" if isinstance(when, datetime) else "undated"
    return Record(
        kind="riskDetection",
        id=row["id"],
        label=f"risk detection {row['riskEventType']} ({row['riskLevel']}) on "
        f"{row['userPrincipalName'] or row['userId']} at {stamp}",
        fields=fields,
    )


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value
