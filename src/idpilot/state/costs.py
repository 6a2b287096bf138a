"""What a prompt costs, in capacity units: one table for the CLI and the API.

A prompt costs `PROMPT_UNITS` for being read and planned (charged before any work, so a prompt
over the limit is refused at no cost), each skill that ran its `SKILL_UNITS` (by skill name;
`DEFAULT_SKILL_UNITS` for one not listed, a plugin's included), and the model calls one unit
per `TOKENS_PER_UNIT` tokens begun. `idpilot usage` shows the sum per user and UTC day.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from idpilot.copilot.trace import Trace

PROMPT_UNITS = 1
"""Reading and planning one prompt (charged first, before any skill runs)."""
DEFAULT_SKILL_UNITS = 1
"""A skill not in `SKILL_UNITS`: one lookup over the store."""
TOKENS_PER_UNIT = 1_000
"""Model tokens (prompt and completion) per unit; a call's tokens begun count as a unit."""
INVALID_STEP = "invalid"
"""A model's call that failed validation ran nothing and costs nothing."""

SKILL_UNITS: dict[str, int] = {
    # whole-tenant analyses: every policy, every sign-in, every check
    "posture_assessment": 3,
    "detect_threats": 3,
    "ca_coverage": 3,
    "ca_whatif": 2,
    "signin_summary": 2,
    "workload_identity_risk": 2,
    "script_analysis": 2,
    "actor_activity": 2,
    "audit_history": 2,
    "policy_changes": 2,
    "policy_draft": 3,  # replays every recorded sign-in against the draft
    "report": 3,  # runs several whole-tenant skills
    "tenant_changes": 2,
    "kql_write": 2,
    # one object and its records
    "user_details": 1,
    "user_roles": 1,
    "group_details": 1,
    "group_rule": 1,
    "membership_path": 1,
    "app_details": 1,
    "role_holders": 1,
    "risky_users": 1,
    "risky_user_summary": 1,
    "signin_troubleshoot": 1,
    "explain_error": 1,
    "who_changed": 1,
    "list_users": 1,
    "list_groups": 1,
    "lifecycle_workflows": 1,
    "kql_tables": 1,
    "docs_answer": 1,
}
"""Units per skill run, by skill name."""


def skill_units(skill: str) -> int:
    """What one run of `skill` costs."""
    return SKILL_UNITS.get(skill, DEFAULT_SKILL_UNITS)


def model_units(tokens: int) -> int:
    """What `tokens` model tokens cost (every thousand begun is a unit; none cost nothing)."""
    return -(-max(tokens, 0) // TOKENS_PER_UNIT)


def answer_units(trace: Trace) -> int:
    """What an answer cost: the prompt, each skill that ran, and its model calls' tokens."""
    skills = sum(skill_units(step.tool) for step in trace.steps if step.status != INVALID_STEP)
    return PROMPT_UNITS + skills + model_units(trace.total_tokens)
