"""Proposed fixes for a Conditional Access failure, each proved by re-evaluating the sign-in.

A fix changes one fact of the recorded sign-in (a compliant device, a trusted location, MFA
done, a modern client) and asks the engine again; excluding the user from a failing policy is
offered last and flagged as weakening security.
"""

from __future__ import annotations

import copy
from typing import Any

from pydantic import BaseModel

from idpilot.ca_analysis.sign_in_patterns import LEGACY_CLIENTS
from idpilot.ca_analysis.tenant_policies import TenantPolicies
from idpilot.conditional_access import (
    ClientAppType,
    DeviceState,
    Evaluation,
    Outcome,
    PolicySet,
    SignInContext,
)
from idpilot.conditional_access.catalog import MFA_CONTROL
from idpilot.conditional_access.facts import Facts


class ProvedFix(BaseModel):
    """One change to the sign-in and what the engine says would happen then."""

    kind: str  # compliantDevice | trustedLocation | mfa | modernClient | excludeFromPolicy
    description: str
    outcome: str
    allowed: bool
    still_required: list[str] = []
    still_blocking: list[str] = []
    weakens_security: bool = False
    policy_id: str | None = None
    policy_name: str | None = None
    location_id: str | None = None
    address: str | None = None


def _proof(kind: str, description: str, evaluation: Evaluation, **extra: Any) -> ProvedFix:
    return ProvedFix(
        kind=kind,
        description=description,
        outcome=str(evaluation.outcome),
        allowed=evaluation.outcome is Outcome.allowed,
        still_required=list(evaluation.required_controls),
        still_blocking=list(evaluation.blocking_policy_ids),
        **extra,
    )


def prove_fixes(
    tenant: TenantPolicies,
    context: SignInContext,
    failing_policy_ids: list[str],
    trusted: tuple[str, str] | None,
) -> list[ProvedFix]:
    """Try each relevant change on the sign-in's context; exclusions last, flagged."""
    evaluate = tenant.policy_set.evaluate
    directory = tenant.directory
    fixes: list[ProvedFix] = []
    device = context.device or DeviceState()
    if device.is_compliant is not True:
        changed = context.model_copy(
            update={"device": device.model_copy(update={"is_compliant": True, "is_managed": True})}
        )
        fixes.append(
            _proof(
                "compliantDevice",
                "from a compliant (Intune-managed) device",
                evaluate(changed, directory),
            )
        )
    safe_changes: dict[str, Any] = {}
    if device.is_compliant is not True:
        safe_changes["device"] = device.model_copy(
            update={"is_compliant": True, "is_managed": True}
        )
    if trusted is not None:
        location_id, address = trusted
        facts = Facts(context, directory)
        inside = any(
            loc.trusted and loc.contains(facts)[0] is True for loc in tenant.ip_locations()
        )
        if not inside:
            changed = context.model_copy(update={"ip_address": address})
            fixes.append(
                _proof(
                    "trustedLocation",
                    "from a trusted location",
                    evaluate(changed, directory),
                    location_id=location_id,
                    address=address,
                )
            )
    if MFA_CONTROL not in context.satisfied_controls:
        safe_changes["satisfied_controls"] = {*context.satisfied_controls, MFA_CONTROL}
        changed = context.model_copy(
            update={"satisfied_controls": {*context.satisfied_controls, MFA_CONTROL}}
        )
        fixes.append(_proof("mfa", "after completing MFA", evaluate(changed, directory)))
    if context.client_app in LEGACY_CLIENTS:
        safe_changes["client_app"] = ClientAppType.browser
        changed = context.model_copy(update={"client_app": ClientAppType.browser})
        fixes.append(
            _proof(
                "modernClient",
                "with a modern client (browser or modern-auth app) instead of legacy",
                evaluate(changed, directory),
            )
        )
    if len(safe_changes) > 1 and not any(fix.allowed for fix in fixes):
        names = {
            "device": "a compliant device",
            "satisfied_controls": "MFA",
            "client_app": "a modern client",
        }
        fixes.append(
            _proof(
                "combined",
                "with " + " and ".join(names[key] for key in safe_changes),
                evaluate(context.model_copy(update=safe_changes), directory),
            )
        )
    for policy_id in failing_policy_ids:
        excluded = PolicySet.from_graph(
            _with_user_excluded(tenant.policies, policy_id, context.user_id),
            tenant.named_locations,
        )
        fixes.append(
            _proof(
                "excludeFromPolicy",
                "if the user were excluded from policy",
                excluded.evaluate(context, directory),
                weakens_security=True,
                policy_id=policy_id,
                policy_name=(tenant.policy(policy_id) or {}).get("displayName"),
            )
        )
    return fixes


def _with_user_excluded(
    policies: list[dict[str, Any]], policy_id: str, user_id: str
) -> list[dict[str, Any]]:
    changed = []
    for policy in policies:
        if str(policy.get("id", "")).lower() == policy_id.lower():
            policy = copy.deepcopy(policy)
            users = policy.setdefault("conditions", {}).setdefault("users", {}) or {}
            policy["conditions"]["users"] = users
            users["excludeUsers"] = [*(users.get("excludeUsers") or []), user_id]
        changed.append(policy)
    return changed
