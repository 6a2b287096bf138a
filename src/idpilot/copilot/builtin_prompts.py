"""Built-in prompts: starting points an admin picks instead of typing, one per common task.

`<user>`, `<group>`, `<app>`, `<role>` and `<code>` are for the client to fill (the page asks for
them); the rest is sent as written. Each names the skill that answers it.
"""

from __future__ import annotations

import re

from pydantic import BaseModel

_PLACEHOLDER = re.compile(r"<(\w+)>")


class BuiltinPrompt(BaseModel):
    """One built-in prompt: an id, a title, the prompt text and the skill that answers it."""

    id: str
    title: str
    prompt: str
    skill: str

    @property
    def inputs(self) -> list[str]:
        """The placeholders the prompt needs filled, in order (`user`, `group` ...)."""
        return _PLACEHOLDER.findall(self.prompt)


BUILTIN_PROMPTS: tuple[BuiltinPrompt, ...] = (
    BuiltinPrompt(
        id="user-overview",
        title="Tell me about a user",
        prompt="Tell me about <user>",
        skill="user_details",
    ),
    BuiltinPrompt(
        id="sign-in-failure",
        title="Why did a sign-in fail?",
        prompt="Why did <user> fail to sign in today?",
        skill="signin_troubleshoot",
    ),
    BuiltinPrompt(
        id="risk-summary",
        title="Summarize a user's risk",
        prompt="Summarize the risk for <user> and tell me what to do",
        skill="risky_user_summary",
    ),
    BuiltinPrompt(
        id="risky-users", title="Risky users", prompt="Which users are risky?", skill="risky_users"
    ),
    BuiltinPrompt(
        id="threats",
        title="Anything suspicious?",
        prompt="Anything suspicious in the last 24 hours?",
        skill="detect_threats",
    ),
    BuiltinPrompt(
        id="ca-gaps",
        title="Conditional Access gaps",
        prompt="Where are the gaps in our Conditional Access policies?",
        skill="ca_coverage",
    ),
    BuiltinPrompt(
        id="posture",
        title="Posture assessment",
        prompt="Run a posture assessment",
        skill="posture_assessment",
    ),
    BuiltinPrompt(
        id="group-members",
        title="Members and owners of a group",
        prompt="Who are the members and owners of <group>?",
        skill="group_details",
    ),
    BuiltinPrompt(
        id="role-holders",
        title="Who holds a role?",
        prompt="Who holds <role>?",
        skill="role_holders",
    ),
    BuiltinPrompt(
        id="error-code",
        title="Explain a sign-in error",
        prompt="What does error <code> mean?",
        skill="explain_error",
    ),
    BuiltinPrompt(
        id="recent-changes",
        title="Recent policy changes",
        prompt="Which Conditional Access policies changed in the last week?",
        skill="policy_changes",
    ),
    BuiltinPrompt(
        id="write-kql",
        title="Write a KQL query",
        prompt="Write KQL for the top 10 IPs by failed sign-ins in the last 7 days",
        skill="kql_write",
    ),
)
