"""Turning an admin's hypothetical ("from an unmanaged iPhone in France") into a SignInContext."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from idpilot.conditional_access import (
    ClientAppType,
    DevicePlatform,
    DeviceState,
    Evaluation,
    PolicyEvaluation,
    RiskLevel,
    SignInContext,
)
from idpilot.conditional_access.catalog import MFA_CONTROL
from idpilot.conditional_access.result import AppliedPolicyResult
from idpilot.skills.ca.words import WhatIfWords

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
    country: str | None = None
    client_app: ClientAppType | None = None
    device_compliant: bool | None = None
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
        if self.device_compliant is not None or self.platform is not None:
            device = DeviceState(
                is_compliant=self.device_compliant,
                is_managed=self.device_compliant,
                operating_system=self.platform.value if self.platform else None,
            )
        return SignInContext(
            user_id=user_id,
            app_id=app_id,
            client_app=self.client_app,
            platform=self.platform,
            ip_address=self.ip_address,
            country=self.country,
            device=device,
            sign_in_risk=self.sign_in_risk,
            user_risk=self.user_risk,
            satisfied_controls={MFA_CONTROL} if self.mfa else set(),
        )


def policy_facts(evaluation: PolicyEvaluation) -> dict[str, Any]:
    """One policy's evaluation as template facts."""
    applies = evaluation.result not in NOT_APPLIED
    first_miss = next((c for c in evaluation.checks if c.matched is False), None)
    return {
        "id": evaluation.policy_id,
        "displayName": evaluation.display_name,
        "state": evaluation.state,
        "result": str(evaluation.result),
        "applies": applies,
        "report_only": evaluation.state == "enabledForReportingButNotEnforced",
        "checks": [c.model_dump() for c in evaluation.checks],
        "why_not": first_miss.reason if first_miss else None,
        "grant_controls": list(evaluation.enforced_grant_controls),
        "unsatisfied_controls": list(evaluation.unsatisfied_controls),
        "missing_facts": list(evaluation.missing_facts),
    }


def ordered_policies(evaluation: Evaluation) -> list[dict[str, Any]]:
    """Applying policies first (failures first), then the rest by name."""
    return sorted(
        (policy_facts(p) for p in evaluation.policies),
        key=lambda p: (
            not p["applies"],
            RESULT_ORDER.get(AppliedPolicyResult(p["result"]), 9),
            p["displayName"] or "",
        ),
    )
