"""The first lines of an answer that compares people: what they share and what only one of them
has, from the facts of the same skill run for each ("does Eve have the same admin rights as
Priya?" answers "No. Both hold ...; only Priya holds ...")."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from idpilot.copilot.composer import escape_markdown
from idpilot.skills.base import SkillResult

_RISK_ORDER = ("none", "hidden", "low", "medium", "high")


def _name(facts: Any) -> str:
    user = facts.user
    return str(getattr(user, "displayName", None) or getattr(user, "userPrincipalName", None) or "")


def _roles(facts: Any) -> set[str]:
    return {f"{grant.role} ({grant.assignment})" for grant in facts.roles}


def _methods(facts: Any) -> set[str]:
    return set(facts.auth_methods.methods) if facts.auth_methods else set()


def _cause(facts: Any) -> set[str]:
    explained = (facts.primary or {}).get("explanation") or {}
    code = explained.get("code")
    if code is None:
        return set()
    return {f"{code} {explained.get('title') or ''}".strip()}


_COMPARED: dict[str, tuple[str, Callable[[Any], set[str]]]] = {
    "user_roles": ("role grants", _roles),
    "user_details": ("registered sign-in methods", _methods),
    "signin_troubleshoot": ("causes of the latest failures", _cause),
}
"""Per skill: what its answers are compared on, and how to read it from the facts."""


def _risk_lead(named: list[tuple[str, Any]]) -> str:
    """Who is at higher risk now, by Identity Protection's risk level and state."""
    lines = []
    ranked = []
    for name, facts in named:
        state = facts.risky_user
        level = (state.riskLevel if state else None) or "none"
        where = (state.riskState if state else None) or "not listed by Identity Protection"
        ranked.append((_RISK_ORDER.index(level) if level in _RISK_ORDER else 0, name))
        count = len(facts.detections)
        lines.append(f"{name}: {level} risk, {where}, {count} detection{'s' * (count != 1)}")
    top = max(score for score, _ in ranked)
    worst = [name for score, name in ranked if score == top]
    verdict = (
        f"**{worst[0]}** is at higher risk now."
        if len(worst) == 1 and top > 0
        else "Neither is at higher risk than the other now."
    )
    return verdict + " " + "; ".join(lines) + "."


_METHOD_WORDS = re.compile(
    r"\b(?:methods?|mfa|2fa|authenticator|fido2?|passkeys?|hello|registered|registration|"
    r"sms|phone|security\s+keys?|passwordless)\b",
    re.I,
)
"""A question about people's sign-in methods: what their rundowns are compared on."""


def _listed(items: set[str]) -> str:
    """Tenant text (role names, method names) listed, escaped for the answer's markdown."""
    return ", ".join(escape_markdown(item) for item in sorted(items))


def comparison_lead(results: list[SkillResult], prompt: str) -> str:
    """The comparison's lead, or "" when the results are not one skill's answers about
    different people (or that skill's answers are not compared, or not on what `prompt`
    asks)."""
    skills = {r.skill for r in results}
    if (
        len(results) < 2
        or len(skills) != 1
        or any(r.status != "ok" or r.facts is None for r in results)
    ):
        return ""
    skill = skills.pop()
    if skill != "risky_user_summary" and skill not in _COMPARED:
        return ""  # the same question of two periods ("this week vs last") is not compared here
    named = [(escape_markdown(_name(r.facts)), r.facts) for r in results]
    if len({name for name, _ in named}) < len(named) or not all(name for name, _ in named):
        return ""
    if skill == "risky_user_summary":
        return _risk_lead(named)
    if skill == "user_details" and not _METHOD_WORDS.search(prompt):
        return ""
    what, read = _COMPARED[skill]
    sets = [(name, read(facts)) for name, facts in named]
    shared = set.intersection(*(s for _, s in sets))
    same = all(s == sets[0][1] for _, s in sets)
    parts = [
        f"**{'Yes' if same else 'No'}**: the {what} are {'the same' if same else 'not the same'}."
    ]
    if shared:
        parts.append(f"Shared: {_listed(shared)}.")
    for name, own in sets:
        only = own - shared
        if only:
            parts.append(f"Only {name}: {_listed(only)}.")
        elif not own:
            parts.append(f"{name}: none.")
    return " ".join(parts)
