"""Skill `ca_whatif`: which Conditional Access policies apply to a hypothetical sign-in, and why."""

from __future__ import annotations

from pydantic import BaseModel

from idpilot.conditional_access import ClientAppType, DevicePlatform, RiskLevel
from idpilot.knowledge.countries import country_code
from idpilot.skills.base import NextStep, SkillResult, Slot, define_skill, slot
from idpilot.skills.registry import SkillRegistry
from idpilot.skills.resolve import resolve
from idpilot.store import Store
from idpilot.store.directory import user_by_id
from idpilot.store.queries.apps import service_principal_summary

NAME = "ca_whatif"


class WhatIfInput(BaseModel):
    """A hypothetical sign-in: who, to what, and from where and what."""

    user: str = slot(Slot.user, "The user: object id, userPrincipalName or display name.")
    app: str | None = slot(Slot.application, "The application (name or appId).", default=None)
    platform: DevicePlatform | None = slot(Slot.stated, "The device platform.", default=None)
    ip_address: str | None = slot(Slot.ip_address, "The IP address signed in from.", default=None)
    country: str | None = slot(Slot.stated, "The country (ISO 3166 alpha-2).", default=None)
    client_app: ClientAppType | None = slot(Slot.stated, "The client app type.", default=None)
    device_compliant: bool | None = slot(
        Slot.stated, "The device is marked compliant (or managed).", default=None
    )
    sign_in_risk: RiskLevel | None = slot(Slot.stated, "The sign-in risk level.", default=None)
    user_risk: RiskLevel | None = slot(Slot.stated, "The user risk level.", default=None)
    mfa: bool = slot(Slot.stated, "The user completed MFA.", default=False)
    trusted_location: bool = slot(
        Slot.stated, "From a trusted location (the office network).", default=False
    )


def ca_whatif(store: Store, params: WhatIfInput) -> SkillResult:
    """Evaluate Conditional Access for a hypothetical sign-in, like Entra's What If tool."""
    from idpilot.ca_analysis.evidence import (
        ReasonObjects,
        cite_named_location,
        cite_policy,
        cite_service_principal,
        cite_user,
        trusted_sample,
    )
    from idpilot.ca_analysis.roles import role_facts
    from idpilot.ca_analysis.scenario import (
        Scenario,
        decided_outcome,
        fact_words,
        ordered_policies,
    )
    from idpilot.ca_analysis.tenant_policies import TenantPolicies
    from idpilot.ca_analysis.words import WhatIfWords

    resolution = resolve(store, params.user, "user")
    if resolution.match is None:
        return resolution.unresolved(NAME, "user")
    user = user_by_id(store, resolution.match.id)
    assert user is not None
    result = SkillResult(skill=NAME)
    user_ref = cite_user(result, user)
    app_id = app_name = app_ref = None
    if params.app:
        app_resolution = resolve(store, params.app, "servicePrincipal")
        if app_resolution.match is None:
            return app_resolution.unresolved(NAME, "application")
        sp = service_principal_summary(store, app_resolution.match.id)
        app_id, app_name = sp["appId"], sp["displayName"]
        app_ref = cite_service_principal(result, sp)
    tenant = TenantPolicies.load(store)
    scenario = Scenario.merge(
        WhatIfWords(),
        platform=params.platform,
        ip_address=params.ip_address,
        country=(country_code(params.country) or params.country.upper())
        if params.country
        else None,
        client_app=params.client_app,
        device_compliant=params.device_compliant,
        sign_in_risk=params.sign_in_risk,
        user_risk=params.user_risk,
        mfa=params.mfa,
    )
    if params.trusted_location and not scenario.ip_address:
        sample = trusted_sample(tenant)
        if sample:
            scenario.trusted_location_id, scenario.ip_address = sample
            cite_named_location(result, tenant, sample[0], sample=sample[1])
    if app_id is None:
        scenario.assumptions.append("application: not named (policies on specific apps undecided)")
    context = scenario.context(user["id"], app_id)
    evaluation = tenant.policy_set.evaluate(context, tenant.directory)
    objects = ReasonObjects(store, tenant, result)
    policies = ordered_policies(evaluation, objects)
    decided = decided_outcome(evaluation, objects)
    for policy in policies:
        cite_policy(result, tenant, policy["id"])
    missing = sorted({fact for p in policies if p["applies"] for fact in p["missing_facts"]})
    result.facts = {
        "user": {"id": user_ref, "displayName": user.get("displayName")},
        "app": {"id": app_ref, "displayName": app_name, "appId": app_id} if app_ref else None,
        "scenario": scenario.model_dump(mode="json"),
        "outcome": str(evaluation.outcome),
        "required_controls": list(evaluation.required_controls),
        "blocking_policy_ids": list(evaluation.blocking_policy_ids),
        "decided": decided,
        "policies": policies,
        "applying": [p for p in policies if p["applies"]],
        "not_applying": [p for p in policies if not p["applies"]],
        "missing_facts": missing,
        "roles": role_facts(store, result, tenant, context, evaluation),
        "missing_words": [fact_words(fact) for fact in missing],
    }
    if missing:
        result.next_steps.append(
            NextStep(
                action="The outcome depends on facts the question did not give: "
                + ", ".join(fact_words(fact) for fact in missing)
                + ". Ask again with them (e.g. device compliance, IP or country).",
            )
        )
    name = user.get("displayName") or user["id"]
    result.followups = [
        f"What happens if {name} signs in from a compliant device?",
        f"Why did {name} fail to sign in recently?",
        "Where are the gaps in our Conditional Access policies?",
    ]
    return result


def _country(value: str | None) -> str | None:
    """An ISO code from a code or a name ("FR", "France", "the UK")."""
    return (country_code(value) or value.upper()) if value else None


def register(registry: SkillRegistry) -> None:
    """Register `ca_whatif`."""
    registry.add(
        define_skill(
            ca_whatif,
            name=NAME,
            keywords={
                "what if": 3.0,
                "would": 1.5,
                "be allowed": 1.5,
                "what happens if": 3.5,
                "what would happen": 3.0,
                "would happen": 2.0,
                "would be blocked": 2.5,
                "would it be blocked": 2.5,
                "would they be blocked": 2.5,
                "be blocked": 1.0,
                "whatif": 3.0,
                "which policies apply": 3.0,
                "what policies apply": 3.0,
                "policies apply": 2.0,
                "conditional access": 1.0,
                "signs in": 1.0,
                "sign in from": 1.5,
                "signs in from": 1.5,
                "unmanaged": 1.0,
                "iphone": 0.5,
                "android": 0.5,
            },
        )
    )
