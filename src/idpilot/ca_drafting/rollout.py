"""The phased rollout of a drafted policy: each phase's Graph request and its undo, never sent."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from idpilot.actions import GraphRequest, HttpMethod, conditional_access_policy_request
from idpilot.conditional_access.policy import PolicyState

REPORT_ONLY_DAYS = 14
"""How long to watch report-only results before enforcing (two weeks of business cycles)."""


class RolloutPhase(BaseModel):
    """One step of the rollout: what to do, the request that does it, the one that undoes it."""

    name: str
    action: str
    request: GraphRequest | None = None
    rollback: GraphRequest | None = None


def _state(state: PolicyState) -> dict[str, Any]:
    return {"state": state.value}


def rollout_phases(create: GraphRequest, affected_users: int, excluded: int) -> list[RolloutPhase]:
    """Create report-only, watch, pilot, enforce: each phase's request and rollback."""
    return [
        RolloutPhase(
            name="1. Create in report-only",
            action="Create the policy in report-only state: sign-ins record what it would do; it "
            "enforces nothing.",
            request=create,
            rollback=conditional_access_policy_request(HttpMethod.delete),
        ),
        RolloutPhase(
            name="2. Watch",
            action=f"For {REPORT_ONLY_DAYS} days, read its reportOnlyFailure and "
            f"reportOnlyInterrupted results in the sign-in logs; the replay found "
            f"{affected_users} user(s) it would affect. Make sure each can satisfy the control "
            "(registered methods, compliant devices) before enforcing.",
        ),
        RolloutPhase(
            name="3. Check the exclusions",
            action=f"Confirm the {excluded} excluded object(s) are the intended ones and that "
            "break-glass sign-ins are monitored (an alert on every use).",
        ),
        RolloutPhase(
            name="4. Enforce",
            action="Switch the policy on once the report-only results show no one who cannot "
            "satisfy it.",
            request=conditional_access_policy_request(
                HttpMethod.patch, _state(PolicyState.enabled)
            ),
            rollback=conditional_access_policy_request(
                HttpMethod.patch, _state(PolicyState.report_only)
            ),
        ),
    ]
