"""Skill `script_analysis`: a suspicious script analysed statically, and where its
indicators appear in this tenant (sign-ins from its IPs, its apps and their credentials,
its users, audit events that name its values). Nothing in the script is run."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from idpilot.model.collections import Collection
from idpilot.model.records import Record
from idpilot.script_analysis.model import IndicatorKind, ScriptAnalysis, Verdict
from idpilot.skills.base import NextStep, SkillFacts, SkillResult, Slot, define_skill, slot
from idpilot.skills.registry import SkillRegistry
from idpilot.store import Store

NAME = "script_analysis"
AUDIT_LIMIT = 10


class TenantLink(SkillFacts):
    """One place the tenant's records show an indicator of the script."""

    kind: str
    """The indicator's kind (`ip`, `appId`, `user`, `tenantId`, ...)."""
    value: str
    what: str
    """What the record shows, in words (the template adds the citation)."""
    record_id: str
    when: datetime | None = None


class ScriptAnalysisFacts(SkillFacts):
    """The static analysis and the tenant records its indicators lead to."""

    analysis: ScriptAnalysis
    tenant: list[TenantLink]
    tenant_checked: bool

    def handed_over_text(self) -> str:
        """The decoded script and its indicators: the script's own content, not the tenant's."""
        return "\n".join([self.analysis.decoded, *(i.value for i in self.analysis.indicators)])


class ScriptAnalysisInput(BaseModel):
    """The script to analyse, as the caller hands it over."""

    script: str = slot(Slot.script, "The script, command line or base64 blob to analyse.")
    name: str = slot(Slot.stated, "The file name, whose extension names the language.", default="")


def script_result(analysis: ScriptAnalysis, store: Store | None) -> SkillResult:
    """The skill's result for an analysis, linked to the tenant when a store is given."""
    result = SkillResult(skill=NAME)
    links = _tenant_links(analysis, store, result) if store is not None else []
    result.facts = ScriptAnalysisFacts(
        analysis=analysis, tenant=links, tenant_checked=store is not None
    )
    for step in analysis.what_to_do:
        result.next_steps.append(NextStep(action=step))
    for link in links:
        if link.kind == IndicatorKind.ip.value:
            result.next_steps.append(
                NextStep(
                    action=f"Review the sign-ins from {link.value} and revoke the sessions of "
                    "the accounts that signed in from it.",
                    evidence_ids=[link.record_id],
                )
            )
    if analysis.verdict is not Verdict.benign:
        result.followups.append("Which risky sign-ins happened in the last 7 days?")
    return result


def script_analysis(store: Store, params: ScriptAnalysisInput) -> SkillResult:
    """Analyse a suspicious script statically and find its indicators in this tenant."""
    from idpilot.script_analysis import analyse_bytes  # the analyser loads when it runs

    analysis = analyse_bytes(params.script.encode("utf-8"), name=params.name or "the script")
    return script_result(analysis, store)


def _tenant_links(analysis: ScriptAnalysis, store: Store, result: SkillResult) -> list[TenantLink]:
    from idpilot.store.queries import script_indicators as queries

    def values(*kinds: IndicatorKind) -> list[str]:
        return [i.value.split("/")[0] for i in analysis.indicators if i.kind in kinds]

    links: list[TenantLink] = []
    for row in queries.sign_ins_from_ips(store, values(IndicatorKind.ip)):
        result.add_evidence(
            Record(
                kind="signIn",
                id=row["latest_id"],
                label=f"latest sign-in from {row['ip']}",
                fields={
                    "ipAddress": row["ip"],
                    "userPrincipalName": row["latest_upn"],
                    "appDisplayName": row["latest_app"],
                    "errorCode": row["latest_error"],
                },
            )
        )
        links.append(
            TenantLink(
                kind=IndicatorKind.ip.value,
                value=row["ip"],
                what=(
                    f"the IP this script contacts signed in as {row['latest_upn']} to "
                    f"{row['latest_app']} ({row['sign_ins']} sign-ins by {row['users']} "
                    f"account(s), {row['successes']} successful, "
                    f"first {row['first_seen']:%Y-%m-%d})"
                ),
                record_id=row["latest_id"],
                when=row["last_seen"],
            )
        )
    app_ids = values(IndicatorKind.app_id, IndicatorKind.guid)
    for row in queries.apps_with_app_ids(store, app_ids):
        result.add_evidence(
            Record(
                kind=row["kind"],
                id=row["id"],
                label=row["displayName"] or row["appId"],
                detail=f"appId {row['appId']}",
                fields={"appId": row["appId"], "displayName": row["displayName"]},
            )
        )
        credentials = f"{row['secrets']} secret(s) and {row['certificates']} certificate(s)"
        links.append(
            TenantLink(
                kind=IndicatorKind.app_id.value,
                value=row["appId"],
                what=f"the app id the script uses is this tenant's {row['kind']} "
                f"{row['displayName']}, with {credentials}",
                record_id=row["id"],
            )
        )
    for row in queries.users_named(store, values(IndicatorKind.user)):
        result.add_evidence(
            Record(
                kind="user",
                id=row["id"],
                label=row["displayName"] or row["userPrincipalName"],
                detail=row["userPrincipalName"] or "",
                fields={"userPrincipalName": row["userPrincipalName"]},
            )
        )
        links.append(
            TenantLink(
                kind=IndicatorKind.user.value,
                value=row["userPrincipalName"],
                what=f"the script names {row['userPrincipalName']}, a user of this tenant",
                record_id=row["id"],
            )
        )
    tenant = set(queries.tenant_ids(store))
    for value in values(IndicatorKind.tenant_id):
        if value.lower() in tenant:
            result.add_evidence(Record(kind="organization", id=value.lower(), label="this tenant"))
            links.append(
                TenantLink(
                    kind=IndicatorKind.tenant_id.value,
                    value=value,
                    what="the tenant id the script targets is this tenant's",
                    record_id=value.lower(),
                )
            )
    searched = values(IndicatorKind.app_id, IndicatorKind.guid, IndicatorKind.domain)
    for row in queries.audits_naming(store, searched, AUDIT_LIMIT):
        fields = {"activityDateTime": str(row["activityDateTime"])}
        if initiator := row["actor_upn"] or row["actor_app"]:
            fields["initiatedBy"] = initiator  # the actor the answer names, held by its record
        result.add_evidence(
            Record(
                kind="directoryAudit",
                id=row["id"],
                label=row["activityDisplayName"] or "",
                fields=fields,
            )
        )
        actor = initiator or "an unknown actor"
        links.append(
            TenantLink(
                kind="audit",
                value=row["value"],
                what=f"{row['activityDisplayName']} by {actor} names {row['value']}",
                record_id=row["id"],
                when=row["activityDateTime"],
            )
        )
    return links


def register(registry: SkillRegistry) -> None:
    """Register `script_analysis`."""
    registry.add(
        define_skill(
            script_analysis,
            name=NAME,
            facts=ScriptAnalysisFacts,
            reads=(
                Collection.sign_ins,
                Collection.directory_audits,
            ),
            keywords={
                "script": 3.0,
                "powershell": 3.0,
                "base64": 3.0,
                "deobfuscate": 4.0,
                "encodedcommand": 4.0,
                "malicious script": 5.0,
            },
        )
    )
