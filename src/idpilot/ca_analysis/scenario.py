"""Turning an admin's hypothetical ("from an unmanaged iPhone in France") into a SignInContext."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from idpilot.ca_analysis.evidence import ReasonObjects
from idpilot.ca_analysis.words import WhatIfWords
from idpilot.conditional_access import (
    ClientAppType,
    ConditionCheck,
    DevicePlatform,
    DeviceState,
    Evaluation,
    PolicyEvaluation,
    RiskLevel,
    SignInContext,
)
from idpilot.conditional_access.catalog import MFA_CONTROL, BuiltInControl
from idpilot.conditional_access.result import AppliedPolicyResult, Outcome

DEFAULT_CLIENT_APP = ClientAppType.browser
"""Entra's What If tool also assumes a browser when no client app is chosen, and no risk."""
NOT_APPLIED = frozenset(
    {
        AppliedPolicyResult.not_applied,
        AppliedPolicyResult.report_only_not_applied,
        AppliedPolicyResult.not_enabled,
        AppliedPolicyResult.unknown,
    }
)
RESULT_ORDER = {
    AppliedPolicyResult.failure: 0,
    AppliedPolicyResult.success: 1,
    AppliedPolicyResult.report_only_failure: 2,
    AppliedPolicyResult.report_only_interrupted: 3,
    AppliedPolicyResult.report_only_success: 4,
}


class Scenario(BaseModel):
    """The hypothetical sign-in, as the admin described it plus stated assumptions."""

    platform: DevicePlatform | None = None
    ip_address: str | None = None
    trusted_location_id: str | None = None
    site_location_id: str | None = None
    """The named location of the office in the stated city, whose address the sign-in uses."""
    outside_locations: bool = False
    """The address stands for a network no named location covers (home, a hotel)."""
    city: str | None = None
    country: str | None = None
    client_app: ClientAppType | None = None
    device_compliant: bool | None = None
    device_trust_type: str | None = None
    """How the device is joined, as Graph's trustType: "ServerAd" (hybrid joined), "AzureAd"
    (Entra joined) or "Workplace" (registered); None when not said."""
    sign_in_risk: RiskLevel | None = None
    user_risk: RiskLevel | None = None
    mfa: bool = False
    assumptions: list[str] = Field(default_factory=list)

    @classmethod
    def merge(cls, words: WhatIfWords, **explicit: Any) -> Scenario:
        """Explicit values win over what the words said."""
        values = {
            "platform": words.platform,
            "country": words.country,
            "client_app": words.client_app,
            "device_compliant": words.device_compliant,
            "sign_in_risk": words.sign_in_risk,
            "user_risk": words.user_risk,
            "mfa": words.mfa,
        }
        # None means "not said"; for the mfa flag, False is its default, so also "not said".
        values.update(
            {k: v for k, v in explicit.items() if v is not None and not (k == "mfa" and v is False)}
        )
        scenario = cls(**values)
        if scenario.client_app is None:
            scenario.client_app = DEFAULT_CLIENT_APP
            scenario.assumptions.append("client app: browser (not stated)")
        if scenario.sign_in_risk is None:
            scenario.sign_in_risk = RiskLevel.none
            scenario.assumptions.append("sign-in risk: none (not stated)")
        if scenario.user_risk is None:
            scenario.user_risk = RiskLevel.none
            scenario.assumptions.append("user risk: none (not stated)")
        return scenario

    def context(self, user_id: str, app_id: str | None) -> SignInContext:
        """The SignInContext the engine evaluates."""
        device = None
        said = (self.device_compliant, self.platform, self.device_trust_type)
        if any(value is not None for value in said):
            device = DeviceState(
                is_compliant=self.device_compliant,
                is_managed=self.device_compliant,
                trust_type=self.device_trust_type,
                operating_system=self.platform.value if self.platform else None,
            )
        return SignInContext(
            user_id=user_id,
            app_id=app_id,
            client_app=self.client_app,
            platform=self.platform,
            ip_address=self.ip_address,
            country=self.country,
            country_known=self.country is not None,
            device=device,
            sign_in_risk=self.sign_in_risk,
            user_risk=self.user_risk,
            satisfied_controls={MFA_CONTROL} if self.mfa else set(),
        )


def check_facts(check: ConditionCheck, objects: ReasonObjects | None = None) -> dict[str, Any]:
    """One condition check as template facts: the reason names objects, `cites` cites them."""
    if objects is None:
        return {**check.model_dump(exclude={"refs"}), "reason": check.text(), "cites": []}
    return {
        "condition": check.condition,
        "matched": check.matched,
        "reason": check.text(objects.name),
        "cites": objects.cites(check),
    }


def policy_facts(
    evaluation: PolicyEvaluation, objects: ReasonObjects | None = None
) -> dict[str, Any]:
    """One policy's evaluation as template facts (objects named and cited when given)."""
    applies = evaluation.result not in NOT_APPLIED
    if objects is not None:
        objects.prepare(evaluation.checks)
    checks = [check_facts(c, objects) for c in evaluation.checks]
    first_miss = next((c for c in checks if c["matched"] is False), None)
    return {
        "id": evaluation.policy_id,
        "displayName": evaluation.display_name,
        "state": evaluation.state,
        "result": str(evaluation.result),
        "applies": applies,
        "report_only": evaluation.state == "enabledForReportingButNotEnforced",
        "checks": checks,
        "undecided": applies and any(c["matched"] is None for c in checks),
        "why_not": first_miss["reason"] if first_miss else None,
        "why_not_cites": first_miss["cites"] if first_miss else [],
        "grant_controls": list(evaluation.enforced_grant_controls),
        "unsatisfied_controls": list(evaluation.unsatisfied_controls),
        "missing_facts": list(evaluation.missing_facts),
    }


def ordered_policies(
    evaluation: Evaluation, objects: ReasonObjects | None = None
) -> list[dict[str, Any]]:
    """Applying policies first (failures first), then the rest by name."""
    if objects is not None:
        objects.prepare(c for p in evaluation.policies for c in p.checks)
    return sorted(
        (policy_facts(p, objects) for p in evaluation.policies),
        key=lambda p: (
            not p["applies"],
            RESULT_ORDER.get(AppliedPolicyResult(p["result"]), 9),
            p["displayName"] or "",
        ),
    )


FACT_WORDS = {
    "ip_address": "the IP address",
    "country": "the country",
    "app_id": "the application",
    "platform": "the device platform",
    "client_app": "the client app",
    "sign_in_risk": "the sign-in risk",
    "user_risk": "the user risk",
    "user.userType": "whether the user is a guest",
    "device.isCompliant": "whether the device is compliant",
    "device.trustType": "how the device is joined",
}
"""How an answer names a fact the question did not give."""


def fact_words(fact: str) -> str:
    """Plain words for a missing fact (`device.extensionAttribute1` stays as it is)."""
    return FACT_WORDS.get(fact, fact)


def decided_outcome(evaluation: Evaluation, objects: ReasonObjects | None = None) -> dict[str, Any]:
    """The outcome from decided conditions only, and the policies whose effect hangs on facts.

    An enforced policy whose conditions and controls are all decided counts toward the outcome;
    one that needs a fact the sign-in lacks is listed under `depends` with the conditions still
    open and the facts they need, never presented as the outcome.
    """
    blocking: list[str] = []
    required: dict[str, None] = {}
    depends: list[dict[str, Any]] = []
    for policy in evaluation.policies:
        if policy.result is not AppliedPolicyResult.failure:
            continue
        blocks = BuiltInControl.block in policy.unsatisfied_controls
        if not policy.missing_facts:
            if blocks:
                blocking.append(policy.policy_id)
            else:
                required.update(dict.fromkeys(policy.unsatisfied_controls))
            continue
        open_checks = [c for c in policy.checks if c.matched is None]
        if objects is not None:
            objects.prepare(open_checks)
        depends.append(
            {
                "id": policy.policy_id,
                "displayName": policy.display_name,
                "blocks": blocks,
                "controls": list(policy.unsatisfied_controls),
                "conditions": [check_facts(c, objects) for c in open_checks],
                "facts": [fact_words(f) for f in policy.missing_facts],
            }
        )
    outcome = Outcome.combined(blocked=bool(blocking), controls_required=bool(required))
    return {
        "outcome": str(outcome),
        "blocking_policy_ids": blocking,
        "required_controls": list(required),
        "depends": depends,
    }
