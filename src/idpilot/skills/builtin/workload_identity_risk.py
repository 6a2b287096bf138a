"""Skill `workload_identity_risk`: risky service principals, privileged apps, credential hygiene."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from idpilot.model.records import Record
from idpilot.skills.base import NextStep, SkillResult, define_skill
from idpilot.skills.builtin._security_common import add_plain, plain
from idpilot.skills.registry import SkillRegistry
from idpilot.store import Store

if TYPE_CHECKING:
    from idpilot.posture.data import PostureData

NAME = "workload_identity_risk"
MAX_FINDINGS = 40
"""Findings listed in the answer; the rest are counted."""


class WorkloadIdentityRiskInput(BaseModel):
    """No input: covers every service principal and app registration."""


def workload_identity_risk(store: Store, params: WorkloadIdentityRiskInput) -> SkillResult:
    """Risky workload identities, high-privilege apps, recent or stale credentials, no owners."""
    from idpilot.posture.data import load_posture_data
    from idpilot.security.workload import workload_identity_findings

    data = load_posture_data(store)
    found = workload_identity_findings(store, data)
    result = SkillResult(skill=NAME)
    risky_ids = {r["id"] for r in found["risky"]}
    for r in found["risky"]:
        add_plain(result, "riskyServicePrincipal", r["id"], f"risk state of {r['displayName']}", r)
    for d in found["detections"]:
        add_plain(
            result, "servicePrincipalRiskDetection", d["id"], f"{d['riskEventType']} detection", d
        )
    findings = found["findings"][:MAX_FINDINGS]
    for f in findings:
        obj = f["object"]
        if obj["id"] and obj["id"] not in risky_ids:
            result.add_evidence(_object_evidence(data, obj))
        if f.get("audit_id"):
            add_plain(
                result,
                "directoryAudit",
                f["audit_id"],
                f"audit {f['detail']}",
                {
                    "actor": f["actor"],
                    "keyId": f["key_id"],
                    "target": obj["label"],
                    "when": f["when"],
                },
            )
    result.facts = {
        "risky": plain(found["risky"]),
        "detections": plain(found["detections"]),
        "findings": plain(findings),
        "total": len(found["findings"]),
        "more": max(0, len(found["findings"]) - MAX_FINDINGS),
        "proposals": [p for f in findings for p in f["proposals"]],
    }
    result.next_steps = [
        NextStep(
            action=f["remediation"],
            why=f"{f['kind']}: {f['object']['label']}",
            evidence_ids=[i for i in (f["object"]["id"], f.get("audit_id")) if i],
        )
        for f in findings[:5]
        if f["severity"] in ("critical", "high")
    ]
    result.followups = [
        "Anything suspicious in the last 24 hours?",
        "Run a security posture assessment",
        "Which users are at risk right now?",
    ]
    return result


def _object_evidence(data: PostureData, obj: dict[str, Any]) -> Record:
    source = (
        data.service_principals.get(obj["id"])
        if obj["kind"] == "servicePrincipal"
        else data.applications.get(obj["id"])
    ) or {}
    keys = [
        c.get("keyId")
        for c in (source.get("passwordCredentials") or []) + (source.get("keyCredentials") or [])
        if isinstance(c, dict)
    ]
    return Record(
        kind=obj["kind"],
        id=obj["id"],
        label=f"{obj['kind']} {obj['label']}",
        fields=plain(
            {
                "displayName": source.get("displayName") or obj["label"],
                "appId": source.get("appId"),
                "keyIds": keys,
            }
        ),
    )


def register(registry: SkillRegistry) -> None:
    """Register `workload_identity_risk`."""
    registry.add(
        define_skill(
            workload_identity_risk,
            name=NAME,
            keywords={
                "workload identity": 4.0,
                "workload identities": 4.0,
                "service principal": 3.0,
                "service principals": 3.0,
                "app registrations": 3.0,
                "applications": 1.5,
                "apps": 1.5,
                "app secrets": 3.0,
                "secrets": 2.5,
                "certificates": 2.0,
                "credentials": 1.5,
                "app permissions": 3.0,
                "graph permissions": 3.0,
                "dangerous": 2.0,
                "high-privilege": 2.0,
                "high privilege": 2.0,
                "overprivileged": 3.0,
                "over-privileged": 3.0,
                "risky apps": 3.5,
                "risky service principals": 4.0,
                "oauth apps": 3.0,
                "third-party apps": 3.0,
                "enterprise apps": 2.5,
                "expired secrets": 3.5,
            },
        )
    )
