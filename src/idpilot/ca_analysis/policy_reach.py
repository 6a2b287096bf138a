"""Which Conditional Access policies reach nobody: switched off, or unable to ever apply.

A policy "can never apply" when its configuration rules out every sign-in (it includes no
users, excludes everything it includes, targets a platform it also excludes) or when, in this
directory, no enabled user falls in its scope although it targets only named users and groups
(its groups are empty or absent). Role- and guest-targeted policies are not judged by today's
members: a role can be activated and a guest invited at any time.
"""

from __future__ import annotations

from typing import Any

from idpilot.conditional_access.compile import CompiledPolicy
from idpilot.conditional_access.conditions import ApplicationsCondition
from idpilot.conditional_access.policy import PolicyState
from idpilot.conditional_access.user_scope import UsersCondition

ACTIVE_STATES = frozenset({PolicyState.enabled.value, PolicyState.report_only.value})
DISABLED = PolicyState.disabled.value


def users_condition(policy: CompiledPolicy) -> UsersCondition | None:
    """The policy's compiled users condition, if it has one."""
    return next((c for c in policy.conditions if isinstance(c, UsersCondition)), None)


def apps_condition(policy: CompiledPolicy) -> ApplicationsCondition | None:
    """The policy's compiled applications condition, if it has one."""
    return next((c for c in policy.conditions if isinstance(c, ApplicationsCondition)), None)


def what_it_enforces(raw: dict[str, Any]) -> str:
    """The policy's grant and session controls in words ("block access", "require mfa or
    compliantDevice", "session: signInFrequency"), from its Graph JSON."""
    grant = raw.get("grantControls") or {}
    controls = list(grant.get("builtInControls") or [])
    strength = grant.get("authenticationStrength") or {}
    if strength:
        controls.append(f"authentication strength {strength.get('displayName') or 'custom'}")
    controls += [f"terms of use {t}" for t in grant.get("termsOfUse") or []]
    parts = []
    if "block" in controls:
        parts.append("block access")
    elif controls:
        joiner = " and " if str(grant.get("operator") or "OR").upper() == "AND" else " or "
        parts.append("require " + joiner.join(controls))
    session = [k for k, v in (raw.get("sessionControls") or {}).items() if v]
    if session:
        parts.append("session: " + ", ".join(sorted(session)))
    return "; ".join(parts) or "no control"


def switched_off(policies: list[CompiledPolicy], raw: dict[str, dict[str, Any]]) -> list[dict]:
    """The disabled policies, with what each would enforce when switched on."""
    return [
        {
            "id": p.id,
            "displayName": p.display_name,
            "enforces": what_it_enforces(raw.get(p.id) or {}),
        }
        for p in policies
        if p.state == DISABLED
    ]


def configuration_reasons(policy: CompiledPolicy, raw: dict[str, Any]) -> list[str]:
    """Why the policy's own configuration rules out every sign-in (empty when it does not)."""
    reasons = []
    users = users_condition(policy)
    if users is None:
        reasons.append("targets no users")
    else:
        included = users.include_users | users.include_groups | users.include_roles
        if not (users.include_all or users.include_guests or users.include_external):
            if not included:
                reasons.append("includes no users (None)")
            elif included <= (users.exclude_users | users.exclude_groups | users.exclude_roles):
                reasons.append("excludes every user, group and role it includes")
        elif users.include_all and users.exclude_guests and users.include_guests:
            reasons.append("includes and excludes guests")
    apps = apps_condition(policy)
    if apps is None:
        reasons.append("targets no applications")
    elif not (apps.include_all or apps.include_ids or apps.include_groups) and not (
        apps.user_actions or apps.auth_contexts
    ):
        reasons.append("targets no applications (None)")
    elif apps.include_ids and apps.include_ids <= apps.exclude_ids:
        reasons.append("excludes every application it includes")
    platforms = (raw.get("conditions") or {}).get("platforms") or {}
    include = {str(p).lower() for p in platforms.get("includePlatforms") or []}
    exclude = {str(p).lower() for p in platforms.get("excludePlatforms") or []}
    if include and ("all" in exclude or ("all" not in include and include <= exclude)):
        reasons.append("excludes every device platform it includes")
    return reasons


def nobody_in_scope(
    policy: CompiledPolicy,
    enabled_user_ids: list[str],
    scope: dict[str, bool | None],
    existing_groups: set[str],
) -> str | None:
    """Why no enabled user of the directory is in the scope of a policy that names only users
    and groups (None when someone is, or when the policy is not judged this way)."""
    users = users_condition(policy)
    if users is None or users.include_all or users.include_guests or users.include_external:
        return None
    if users.include_roles or not (users.include_users or users.include_groups):
        return None
    if any(scope.get(user_id) is not False for user_id in enabled_user_ids):
        return None
    absent = sorted(g for g in users.include_groups if g.lower() not in existing_groups)
    if absent:
        return "a group it includes does not exist, and no enabled user is in its scope"
    if users.include_groups:
        return "no enabled user is in its scope: the groups it includes have no enabled members"
    return "no enabled user is in its scope: the users it includes are disabled, absent or excluded"
