"""Workload identity risk: risky service principals, privileged apps, credentials and hygiene.

Findings reuse the posture checks on applications (one definition of each rule) and add the
Identity Protection detections and recent credential changes from the audit log.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

from idpilot.actions.proposals import (
    confirm_service_principal_compromised,
    remove_application_password,
    remove_service_principal_password,
)
from idpilot.knowledge.risk_events import RiskSubject, explain_risk_event
from idpilot.model.records import Record
from idpilot.posture import apps as app_checks
from idpilot.posture.base import CheckStatus
from idpilot.posture.data import PostureData, load_posture_data
from idpilot.security.detections.base import actor_of, modified_properties
from idpilot.security.detections.directory import CREDENTIAL_ACTIVITIES
from idpilot.store import Store
from idpilot.store.queries.audits import audits_since
from idpilot.store.queries.risk import risky_service_principals, service_principal_risk_detections

RECENT_CREDENTIAL_WINDOW = timedelta(days=30)
"""Credential additions this recent are listed with who made them."""

_KEY_ID = re.compile(r"KeyIdentifier=([0-9a-fA-F-]{36})")

_CHECKS = [
    ("highPrivilegePermissions", app_checks.high_privilege_apps),
    ("foreignPrivilegedApp", app_checks.foreign_privileged_apps),
    ("expiredCredentials", app_checks.expired_credentials),
    ("longLivedSecret", app_checks.long_lived_secrets),
    ("noOwner", app_checks.apps_without_owners),
    ("unused", app_checks.unused_apps),
]
_REMEDIATION = {
    "highPrivilegePermissions": "Review the need for each permission; remove it or replace it "
    "with a narrower one.",
    "foreignPrivilegedApp": "Confirm the vendor and the need; revoke the permissions or delete "
    "the service principal.",
    "expiredCredentials": "Remove the expired credentials.",
    "longLivedSecret": "Rotate to a secret valid at most 12 months, or better a certificate or "
    "managed identity.",
    "noOwner": "Assign two owners who answer for the app.",
    "unused": "Confirm with the owner, then remove its credentials or delete it.",
    "recentCredential": "Confirm with the app's owner that the credential was expected; remove "
    "it if not.",
    "riskyWorkload": "Investigate the detections; rotate credentials, then confirm compromised "
    "or dismiss.",
}


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def workload_identity_findings(store: Store, data: PostureData | None = None) -> dict[str, Any]:
    """Risky workload identities and app findings, each with a remediation and proposals."""
    data = data or load_posture_data(store)
    risky = risky_service_principals(store)
    detections = service_principal_risk_detections(store)
    for d in detections:
        info = explain_risk_event(d["riskEventType"], RiskSubject.workload)
        d["title"], d["meaning"] = info.title, info.meaning
    findings: list[dict[str, Any]] = []
    for r in risky:
        if r["riskState"] not in ("atRisk", "confirmedCompromised"):
            continue
        target = Record(kind="servicePrincipal", id=r["id"], label=r["displayName"] or "")
        findings.append(
            {
                "kind": "riskyWorkload",
                "severity": "high" if r["riskLevel"] == "high" else "medium",
                "object": {"kind": "servicePrincipal", "id": r["id"], "label": r["displayName"]},
                "detail": f"{r['riskLevel']} risk, {r['riskState']}",
                "detection_ids": [
                    d["id"] for d in detections if d["servicePrincipalId"] == r["id"]
                ],
                "proposals": [
                    confirm_service_principal_compromised(
                        [target], "risky workload identity"
                    ).as_fact()
                ],
            }
        )
    for kind, function in _CHECKS:
        outcome = function(data)
        if outcome.status is not CheckStatus.failed:
            continue
        for item in outcome.affected:
            findings.append(
                {
                    "kind": kind,
                    "severity": "high"
                    if kind in ("highPrivilegePermissions", "foreignPrivilegedApp")
                    else "low"
                    if kind in ("noOwner", "expiredCredentials")
                    else "medium",
                    "object": {"kind": item.kind, "id": item.id, "label": item.label},
                    "detail": item.detail,
                    "proposals": _credential_proposals(data, kind, item.kind, item.id),
                }
            )
    findings += _recent_credentials(store, data)
    for f in findings:
        f["remediation"] = _REMEDIATION[f["kind"]]
    order = {"critical": 0, "high": 1, "medium": 2, "low": 3}
    findings.sort(key=lambda f: (order[f["severity"]], f["kind"], f["object"]["label"] or ""))
    return {"risky": risky, "detections": detections, "findings": findings}


def _credential_proposals(data: PostureData, kind: str, obj_kind: str, obj_id: str) -> list:
    if kind != "expiredCredentials" or obj_kind != "application":
        return []
    app = data.applications[obj_id]
    target = Record(kind="application", id=obj_id, label=app["displayName"] or "")
    return [
        remove_application_password(target, cred["keyId"], "expired secret").as_fact()
        for cred in app.get("passwordCredentials") or []
        if cred.get("keyId") and str(cred.get("endDateTime") or "9999") < data.captured.isoformat()
    ]


def _recent_credentials(store: Store, data: PostureData) -> list[dict[str, Any]]:
    rows = audits_since(
        store, data.captured - RECENT_CREDENTIAL_WINDOW, list(CREDENTIAL_ACTIVITIES)
    )
    found = []
    for row in rows:
        import json

        targets = json.loads(row["targetResources"]) if isinstance(row["targetResources"], str) \
            else row["targetResources"] or []  # fmt: skip
        initiated = json.loads(row["initiatedBy"]) if isinstance(row["initiatedBy"], str) \
            else row["initiatedBy"]  # fmt: skip
        target = next((t for t in targets if isinstance(t, dict)), {})
        sp_id = target.get("id")
        privileged = sorted({p.name for p, _ in data.sp_permissions.get(sp_id, [])})
        key_id = None
        for value in modified_properties(target).values():
            match = _KEY_ID.search(str(value))
            if match:
                key_id = match.group(1)
        proposals = []
        if key_id and sp_id in data.service_principals:
            affected = Record(
                kind="servicePrincipal", id=sp_id, label=target.get("displayName") or ""
            )
            proposals.append(
                remove_service_principal_password(
                    affected, key_id, "unexpected credential"
                ).as_fact()
            )
        found.append(
            {
                "kind": "recentCredential",
                "severity": "critical" if privileged else "medium",
                "object": {
                    "kind": "servicePrincipal",
                    "id": sp_id,
                    "label": target.get("displayName"),
                },
                "detail": row["activityDisplayName"],
                "audit_id": row["id"],
                "when": row["activityDateTime"],
                "actor": actor_of(initiated),
                "key_id": key_id,
                "permissions": privileged,
                "proposals": proposals,
            }
        )
    return found
