"""Skill `workload_identity_risk`: risky service principals, privileged apps, credential hygiene."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field

from idpilot.model.collections import Collection
from idpilot.model.records import Record
from idpilot.skills.base import NextStep, SkillFacts, SkillResult, Slot, define_skill, slot
from idpilot.skills.builtin._admin_common import resolve_reference
from idpilot.skills.builtin._security_common import ProposalFact, add_plain, plain
from idpilot.skills.registry import SkillRegistry
from idpilot.store import Store

if TYPE_CHECKING:
    from idpilot.posture.data import PostureData

NAME = "workload_identity_risk"
MAX_FINDINGS = 40
"""Findings listed in the answer; the rest are counted."""


class WorkloadIdentityRiskInput(BaseModel):
    """One app ("is BladeScan risky?"), or every service principal and app registration."""

    application: str | None = slot(
        Slot.application,
        "One app to answer about (name, appId or service principal id); every app when absent.",
        default=None,
        only_sure=True,
    )


# The rows below are the plain data `security.workload.workload_identity_findings` returns
# (that engine is imported only when the skill runs); times are ISO strings, as `plain` makes
# them.


class RiskyWorkload(SkillFacts):
    """A service principal Identity Protection lists as risky."""

    id: str
    appId: str | None
    displayName: str | None
    riskLevel: str | None
    riskState: str | None
    riskDetail: str | None
    riskLastUpdatedDateTime: str | None


class WorkloadRiskDetection(SkillFacts):
    """A service principal risk detection, explained from the risk event catalogue."""

    id: str
    servicePrincipalId: str | None
    riskEventType: str | None
    riskLevel: str | None
    riskState: str | None
    detectionTimingType: str | None
    activityDateTime: str | None
    ipAddresses: str | None
    """The detection's IP addresses as the store keeps them (JSON text)."""
    title: str
    meaning: str


class FindingObject(SkillFacts):
    """The application or service principal a finding is about."""

    kind: str
    """`application` or `servicePrincipal`."""
    id: str | None
    label: str | None


class CredentialActor(SkillFacts):
    """Who added a credential (`security.detections.base.actor_of`): a user, an app or
    unknown, with the fields Graph gives for that kind."""

    kind: str
    """`user`, `servicePrincipal` or `unknown`."""
    id: str | None = None
    displayName: str | None = None
    userPrincipalName: str | None = None
    ipAddress: str | None = None
    appId: str | None = None


class WorkloadFinding(SkillFacts):
    """A workload identity finding: what, how severe, the remediation and its proposals."""

    kind: str
    """`riskyWorkload`, `recentCredential`, or a posture check on applications
    (`highPrivilegePermissions`, `expiredCredentials`, `noOwner`...)."""
    severity: str
    object: FindingObject
    detail: str | None
    proposals: list[ProposalFact]
    remediation: str
    detection_ids: list[str] = Field(default_factory=list)
    """A risky workload's detections."""
    audit_id: str | None = None
    """A recent credential's audit event, with when, who, its key id and the Graph
    application permissions the service principal holds."""
    when: str | None = None
    actor: CredentialActor | None = None
    key_id: str | None = None
    permissions: list[str] = Field(default_factory=list)


class AskedApp(SkillFacts):
    """The one app the question asked about: every list below is about it only."""

    id: str
    label: str


class WorkloadIdentityRiskFacts(SkillFacts):
    """Workload identity findings, most severe first (the first `MAX_FINDINGS`)."""

    application: AskedApp | None = None

    risky: list[RiskyWorkload]
    detections: list[WorkloadRiskDetection]
    findings: list[WorkloadFinding]
    total: int
    more: int
    proposals: list[ProposalFact]


def workload_identity_risk(store: Store, params: WorkloadIdentityRiskInput) -> SkillResult:
    """Risky workload identities, high-privilege apps, recent or stale credentials, no owners."""
    from idpilot.posture.data import load_posture_data
    from idpilot.security.workload import workload_identity_findings

    data = load_posture_data(store)
    found = workload_identity_findings(store, data)
    result = SkillResult(skill=NAME)
    asked = None
    if params.application:
        resolution = resolve_reference(store, params.application, "servicePrincipal")
        if resolution.match is None:
            return resolution.unresolved(NAME, "application")
        asked = AskedApp(id=resolution.match.id, label=resolution.match.label)
        found = _about_one_app(data, found, asked.id)
        if not found["risky"]:  # a risky one is cited by its risk record
            itself = {"kind": "servicePrincipal", "id": asked.id, "label": asked.label}
            result.add_evidence(_object_evidence(data, itself))
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
    result.facts = WorkloadIdentityRiskFacts(
        application=asked,
        risky=plain(found["risky"]),
        detections=plain(found["detections"]),
        findings=plain(findings),
        total=len(found["findings"]),
        more=max(0, len(found["findings"]) - MAX_FINDINGS),
        proposals=[p for f in findings for p in f["proposals"]],
    )
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


def _about_one_app(data: PostureData, found: dict[str, Any], sp_id: str) -> dict[str, Any]:
    """The findings about one service principal and its app registration (the same appId)."""
    app_id = (data.service_principals.get(sp_id) or {}).get("appId")
    about = {sp_id} | {
        object_id
        for object_id, app in data.applications.items()
        if app_id and app.get("appId") == app_id
    }
    return {
        **found,
        "risky": [r for r in found["risky"] if r["id"] == sp_id],
        "detections": [d for d in found["detections"] if d.get("servicePrincipalId") == sp_id],
        "findings": [f for f in found["findings"] if f["object"]["id"] in about],
    }


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
            facts=WorkloadIdentityRiskFacts,
            reads=(
                Collection.risky_service_principals,
                Collection.service_principal_risk_detections,
                Collection.service_principals,
            ),
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
