"""What a detection finds: a typed Finding with severity, cited evidence and a response."""

from __future__ import annotations

import contextlib
import json
from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field

from idpilot.model.records import Record, text_leaves
from idpilot.security.severity import Severity
from idpilot.store import Store
from idpilot.store.queries.sign_in_bursts import SIGN_IN_EVIDENCE_COLUMNS, sign_in_evidence_rows

MAX_EVIDENCE_PER_FINDING = 60
"""Sign-ins cited per finding; a spray of thousands is summarised by counts beyond this."""


class DetectionType(StrEnum):
    """The detections idpilot runs over sign-in and audit logs."""

    password_spray = "passwordSpray"
    brute_force = "bruteForce"
    impossible_travel = "impossibleTravel"
    mfa_fatigue = "mfaFatigue"
    legacy_authentication = "legacyAuthentication"
    anonymizer_sign_in = "anonymizerSignIn"
    role_outside_pim = "privilegedRoleOutsidePim"
    high_privilege_consent = "highPrivilegeConsent"
    privileged_credential = "privilegedServicePrincipalCredential"
    security_info_new_location = "securityInfoFromNewLocation"


class Finding(BaseModel):
    """One suspicious pattern: what, how bad, on whom, the records, and what to do."""

    detection: DetectionType
    severity: Severity
    subject_kind: str
    subject_id: str | None
    subject_label: str
    first_seen: datetime | None
    last_seen: datetime | None
    facts: dict[str, Any] = Field(default_factory=dict)
    evidence: list[Record] = Field(default_factory=list)
    response: str
    proposals: list[dict[str, Any]] = Field(default_factory=list)
    corroboration: list[Record] = Field(default_factory=list)
    """Identity Protection risk detections that back the finding (same sign-ins, user or IP)."""


def involves(finding: Finding, names: set[str]) -> bool:
    """Whether the finding is about, targets, or was acted on by one of `names`.

    `names` are exact values (object ids, userPrincipalNames, an IP address), compared without
    case with the finding's subject and every value of its facts and records: a password spray
    involves each account it tried, a role assigned outside PIM its actor and its member.
    """
    wanted = {n.lower() for n in names if n}
    found = [finding.subject_id or "", finding.subject_label]
    found += text_leaves(finding.facts)
    for record in finding.evidence:
        found.append(record.id)
        found += text_leaves(record.fields)
    return any(value.lower() in wanted for value in found)


def sign_in_evidence(
    store: Store, ids: list[str], first: datetime | None = None, last: datetime | None = None
) -> list[Record]:
    """Evidence records for sign-ins, in time order, with the fields answers print; `first`
    and `last` (inclusive), when the caller knows them, bound when they happened (the lookup
    then reads only those days' blocks)."""
    if not ids:
        return []
    rows = sign_in_evidence_rows(store, ids, first, last)
    names = SIGN_IN_EVIDENCE_COLUMNS
    found = []
    for row in rows:
        fields = {k: v for k, v in zip(names, row, strict=True) if v is not None}
        when = fields["createdDateTime"]
        fields["createdDateTime"] = when.isoformat()
        outcome = "success" if fields.get("errorCode") == 0 else f"error {fields.get('errorCode')}"
        found.append(
            Record(
                kind="signIn",
                id=fields.pop("id"),
                label=f"sign-in {when:%Y-%m-%d %H:%M} by {fields.get('userPrincipalName')} "
                f"from {fields.get('ipAddress')} ({outcome})",
                fields=fields,
            )
        )
    return found


def place_of(sign_in: Record) -> str | None:
    """Where a sign-in came from, as "City, CC" (either part alone when the other is missing)."""
    parts = [sign_in.fields.get("city"), sign_in.fields.get("country")]
    return ", ".join(str(p) for p in parts if p) or None


def places_of(sign_ins: list[Record]) -> list[dict[str, Any]]:
    """The distinct IPs and places of these sign-ins, in order of first appearance."""
    found: dict[tuple[Any, Any], dict[str, Any]] = {}
    for record in sign_ins:
        key = (record.fields.get("ipAddress"), place_of(record))
        entry = found.setdefault(key, {"ip": key[0], "place": key[1], "sign_in_ids": []})
        entry["sign_in_ids"].append(record.id)
    return list(found.values())


def audit_evidence(row: dict[str, Any], actor: dict[str, Any]) -> Record:
    """Evidence for a directoryAudit row, with the actor and targets that answers print."""
    targets = row.get("targetResources") or []
    fields: dict[str, Any] = {
        "activityDisplayName": row["activityDisplayName"],
        "activityDateTime": _iso(row["activityDateTime"]),
        "initiatedBy": actor,
        "targets": [
            {k: t.get(k) for k in ("id", "displayName", "type", "userPrincipalName") if t.get(k)}
            for t in targets
            if isinstance(t, dict)
        ],
    }
    return Record(
        kind="directoryAudit",
        id=row["id"],
        label=f"audit {row['activityDisplayName']} at {_iso(row['activityDateTime'])[:16]}",
        fields=fields,
    )


def _iso(value: Any) -> str:
    return value.isoformat() if isinstance(value, datetime) else str(value)


def actor_of(initiated_by: Any) -> dict[str, Any]:
    """Who performed an audited action: kind, id, name and IP address."""
    if not isinstance(initiated_by, dict):
        return {"kind": "unknown"}
    user = initiated_by.get("user")
    if isinstance(user, dict) and (user.get("id") or user.get("userPrincipalName")):
        return {
            "kind": "user",
            "id": user.get("id"),
            "displayName": user.get("displayName"),
            "userPrincipalName": user.get("userPrincipalName"),
            "ipAddress": user.get("ipAddress"),
        }
    app = initiated_by.get("app")
    if isinstance(app, dict):
        return {
            "kind": "servicePrincipal",
            "id": app.get("servicePrincipalId"),
            "displayName": app.get("displayName") or app.get("servicePrincipalName"),
            "appId": app.get("appId"),
        }
    return {"kind": "unknown"}


def modified_properties(target: dict[str, Any]) -> dict[str, Any]:
    """A target's modifiedProperties as name -> decoded new value (Graph JSON-encodes them)."""
    found: dict[str, Any] = {}
    for prop in target.get("modifiedProperties") or []:
        if not isinstance(prop, dict) or not prop.get("displayName"):
            continue
        value = prop.get("newValue")
        if isinstance(value, str):
            with contextlib.suppress(ValueError):
                value = json.loads(value)
        found[prop["displayName"]] = value
    return found


def user_finding(
    detection: DetectionType,
    severity: Severity,
    user_id: str,
    upn: str | None,
    **details: Any,
) -> Finding:
    """A finding about one user, the subject most sign-in detections report on."""
    return Finding(
        detection=detection,
        severity=severity,
        subject_kind="user",
        subject_id=user_id,
        subject_label=upn or str(user_id),
        **details,
    )
