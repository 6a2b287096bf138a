"""Whether a Conditional Access policy covers what a baseline asks, and what it leaves out.

A policy counts as coverage only when it is on (`enabled`: report-only enforces nothing), its
users are all users (or every role asked for), it excludes no one but emergency access
accounts (or groups holding only them), no role and no guest or external user type, its
resources are all resources (or the app or user action asked for) with none excluded, and no
condition narrows it: platforms, locations, client apps, device filter, risk levels or
authentication flows, unless that condition is the point of the control (a sign-in risk
policy's risk level, a device code policy's flow). Every narrowing is said, so a policy that
almost covers is named with what it leaves out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from idpilot.model.collections import Collection
from idpilot.model.records import Record
from idpilot.posture import _policies as ca
from idpilot.posture.accounts import break_glass_ids
from idpilot.posture.base import Outcome, failed_if, not_applicable, passed, unknown
from idpilot.posture.data import PostureData

ENABLED = "enabled"
REPORT_ONLY = "enabledForReportingButNotEnforced"
ALL_PLATFORMS = "all"
ALL_LOCATIONS = "All"
ALL_CLIENT_APPS = "all"
RISK_CONDITIONS = (
    "signInRiskLevels",
    "userRiskLevels",
    "servicePrincipalRiskLevels",
    "insiderRiskLevels",
    "agentIdRiskLevels",
)

GrantTest = Callable[[dict[str, Any]], bool]


@dataclass(frozen=True)
class Target:
    """What a control asks a policy to cover."""

    roles: frozenset[str] = frozenset()
    """Directory role template ids; empty means all users."""
    apps: frozenset[str] = frozenset()
    """Application ids that count as well as `All`; empty means all resources only."""
    user_action: str | None = None
    """A user action (`urn:user:registersecurityinfo`) instead of resources."""
    client_apps: frozenset[str] = frozenset()
    """Client app types the policy must include (or `all`); empty means it must be `all`."""
    intended: frozenset[str] = field(default_factory=frozenset)
    """Conditions that are the point of the control and do not narrow it."""


def _list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else []


def _emergency(data: PostureData) -> tuple[set[str], set[str]]:
    """The emergency access accounts, and the groups whose members are all such accounts
    (computed once per assessment: every policy of every check asks)."""
    cached = data.extra.get(_EMERGENCY_KEY)
    if cached is None:
        accounts = set(break_glass_ids(data))
        groups = {
            gid for gid, members in data.members_of_group.items() if members and members <= accounts
        }
        cached = data.extra[_EMERGENCY_KEY] = (accounts, groups)
    return cached


_EMERGENCY_KEY = "coverage.emergency"


def narrowings(policy: dict[str, Any], data: PostureData, target: Target) -> list[str]:
    """What the policy leaves out of `target`, in words; empty when it covers it all."""
    reasons = []
    state = policy.get("state")
    if state != ENABLED:
        reasons.append("report-only: nothing enforced" if state == REPORT_ONLY else f"{state}")
    conditions = policy.get("conditions") or {}
    if "users" not in target.intended:  # agent policies: users do not apply to agents
        reasons += _user_gaps(ca.users_condition(policy), data, target)
    reasons += _resource_gaps(ca.applications_condition(policy), target)
    reasons += _condition_gaps(conditions, target)
    return reasons


def _user_gaps(users: dict[str, Any], data: PostureData, target: Target) -> list[str]:
    reasons = []
    include_users = _list(users.get("includeUsers"))
    include_roles = set(_list(users.get("includeRoles")))
    if ca.ALL not in include_users:
        if not target.roles:
            reasons.append("users: not all users")
        elif missing := target.roles - include_roles:
            reasons.append(f"roles: {len(missing)} of the roles not included")
    emergency, safe_groups = _emergency(data)
    others = [u for u in _list(users.get("excludeUsers")) if u not in emergency]
    if others:
        reasons.append("excludes users: " + ", ".join(_user_names(data, others)))
    groups = [g for g in _list(users.get("excludeGroups")) if g not in safe_groups]
    if groups:
        names = [data.groups.get(g, {}).get("displayName") or g for g in groups]
        reasons.append("excludes groups: " + ", ".join(names))
    if _list(users.get("excludeRoles")):
        reasons.append(f"excludes {len(_list(users.get('excludeRoles')))} directory role(s)")
    guests = users.get("excludeGuestsOrExternalUsers")
    if isinstance(guests, dict) and guests.get("guestOrExternalUserTypes"):
        reasons.append(f"excludes guests or external users: {guests['guestOrExternalUserTypes']}")
    return reasons


def _user_names(data: PostureData, ids: Iterable[str]) -> list[str]:
    return [data.user_affected(uid).label for uid in ids]


def _resource_gaps(apps: dict[str, Any], target: Target) -> list[str]:
    reasons = []
    if target.user_action is not None:
        if target.user_action not in _list(apps.get("includeUserActions")):
            reasons.append(f"not on the user action {target.user_action}")
        return reasons
    include = set(_list(apps.get("includeApplications")))
    if ca.ALL not in include and not (target.apps & include):
        reasons.append("resources: not all resources")
    if _list(apps.get("excludeApplications")):
        reasons.append(f"excludes {len(_list(apps.get('excludeApplications')))} application(s)")
    if apps.get("applicationFilter"):
        reasons.append("resources narrowed by an application filter")
    return reasons


def _condition_gaps(conditions: dict[str, Any], target: Target) -> list[str]:
    reasons = []
    platforms = conditions.get("platforms") or {}
    included = [str(p).lower() for p in _list(platforms.get("includePlatforms"))]
    if platforms and (included != [ALL_PLATFORMS] or _list(platforms.get("excludePlatforms"))):
        reasons.append("platforms: " + _include_exclude(platforms, "Platforms"))
    locations = conditions.get("locations") or {}
    if (
        locations
        and "locations" not in target.intended
        and (
            _list(locations.get("includeLocations")) != [ALL_LOCATIONS]
            or _list(locations.get("excludeLocations"))
        )
    ):
        reasons.append("locations: " + _include_exclude(locations, "Locations"))
    client_apps = set(_list(conditions.get("clientAppTypes"))) or {ALL_CLIENT_APPS}
    if ALL_CLIENT_APPS not in client_apps:
        needed = target.client_apps or frozenset({"browser", "mobileAppsAndDesktopClients"})
        if missing := needed - client_apps:
            reasons.append("client apps: not " + ", ".join(sorted(missing)))
    devices = conditions.get("devices") or {}
    device_filter = devices.get("deviceFilter") or {}
    if device_filter.get("rule"):
        reasons.append(f"device filter: {device_filter.get('mode')} {device_filter['rule']}")
    if _list(devices.get("excludeDevices")) or _list(devices.get("excludeDeviceStates")):
        reasons.append("excludes device states")
    for risk in RISK_CONDITIONS:
        if risk not in target.intended and _list(conditions.get(risk)):
            reasons.append(f"only at {risk}: " + ", ".join(_list(conditions.get(risk))))
    flows = (conditions.get("authenticationFlows") or {}).get("transferMethods")
    if flows and "authenticationFlows" not in target.intended:
        reasons.append(f"only for authentication flows: {flows}")
    workloads = conditions.get("clientApplications") or {}
    identities = _list(workloads.get("includeServicePrincipals")) + _list(
        workloads.get("includeAgentIdServicePrincipals")
    )
    if identities and "clientApplications" not in target.intended:
        reasons.append("targets workload or agent identities, not users")
    return reasons


def _include_exclude(condition: dict[str, Any], noun: str) -> str:
    include = ", ".join(map(str, _list(condition.get(f"include{noun}")))) or "none"
    exclude = ", ".join(map(str, _list(condition.get(f"exclude{noun}"))))
    return f"includes {include}" + (f", excludes {exclude}" if exclude else "")


def _aims_at(policy: dict[str, Any], target: Target) -> bool:
    """Whether the policy is about the target's kind of resource (a user action or apps), so
    a policy on something else is not reported as a narrowed attempt."""
    actions = _list(ca.applications_condition(policy).get("includeUserActions"))
    return (target.user_action in actions) if target.user_action else not actions


def coverage(data: PostureData, target: Target, grant: GrantTest, what: str) -> Outcome:
    """Passed citing the policies whose grant does the job and that cover `target` whole;
    otherwise failed naming every policy with that grant and what it leaves out."""
    if not data.policies_known:
        return unknown([data.settings.named(Collection.conditional_access_policies.value)])
    if not data.policies and not data.users:
        return not_applicable("no Conditional Access policies or users in the snapshot")
    candidates = [p for p in data.policies if grant(p) and _aims_at(p, target)]
    covering = [p for p in candidates if not narrowings(p, data, target)]
    if covering:
        return passed(what, [data.policy_affected(p, what) for p in covering])
    narrowed = [data.policy_affected(p, "; ".join(narrowings(p, data, target))) for p in candidates]
    tenant = Record(kind="tenant", id="tenant", label="tenant", detail=f"no policy {what}")
    return failed_if(narrowed or [tenant], f"no enabled policy {what} without narrowing")
