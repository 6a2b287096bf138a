"""Turn parsed Graph policies into compiled policies: sets, ranges and parsed rules, built once."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from idpilot.conditional_access.conditions import (
    ALL,
    NONE,
    ApplicationsCondition,
    Check,
    DeviceFilterCondition,
    LocationsCondition,
    PlatformsCondition,
    SetCondition,
    client_app_values,
    compile_app_list,
    lowered,
    split_locations,
)
from idpilot.conditional_access.facts import Facts
from idpilot.conditional_access.grant import Grant, compile_grant, session_control_names
from idpilot.conditional_access.locations import CompiledLocation
from idpilot.conditional_access.policy import (
    ConditionalAccessPolicy,
    Conditions,
    PlatformTarget,
    PolicyState,
)
from idpilot.conditional_access.policy import UsersCondition as GraphUsers
from idpilot.conditional_access.user_scope import (
    GUESTS_OR_EXTERNAL_USERS,
    ExternalUsers,
    UsersCondition,
)


class Condition(Protocol):
    """A compiled condition of one policy."""

    name: str

    def check(self, facts: Facts, explain: bool) -> Check:
        """Check the condition; see `conditions` for the meaning of the tuple."""
        ...


@dataclass(frozen=True, slots=True)
class NeverCondition:
    """A condition that can never match (e.g. the policy targets no users)."""

    name: str
    reason: str

    def check(self, facts: Facts, explain: bool) -> Check:
        """Always False, with the stored reason."""
        return False, self.reason, ()


@dataclass(frozen=True, slots=True)
class CompiledPolicy:
    """A policy ready to evaluate: configured conditions in check order, grant, session."""

    id: str
    display_name: str
    state: str
    conditions: tuple[Condition, ...]
    grant: Grant
    session_controls: tuple[str, ...]


def compile_policy(
    policy: ConditionalAccessPolicy, locations: Mapping[str, CompiledLocation]
) -> CompiledPolicy:
    """Compile one parsed policy; unconfigured conditions are left out (they match anything)."""
    conditions = policy.conditions or Conditions()
    return CompiledPolicy(
        id=policy.id,
        display_name=policy.display_name or policy.id,
        state=str(policy.state) if policy.state else "",
        conditions=tuple(_conditions(conditions, locations)),
        grant=compile_grant(policy.grant_controls),
        session_controls=session_control_names(policy.session_controls),
    )


def _conditions(
    conditions: Conditions, locations: Mapping[str, CompiledLocation]
) -> list[Condition]:
    result: list[Condition] = [_users(conditions.users), _applications(conditions)]
    client_apps = client_app_values(conditions.client_app_types)
    if client_apps:
        result.append(
            SetCondition(
                "clientAppTypes",
                "client_app",
                "client app type",
                client_apps,
                _shown(conditions.client_app_types),
            )
        )
    platforms = conditions.platforms
    if platforms and (platforms.include_platforms or platforms.exclude_platforms):
        include = lowered(str(p) for p in platforms.include_platforms)
        include_all = PlatformTarget.all.value.lower() in include or not include
        exclude = lowered(str(p) for p in platforms.exclude_platforms)
        result.append(PlatformsCondition(include_all, include, exclude))
    where = conditions.locations
    if where and (where.include_locations or where.exclude_locations):
        inc_all, inc_trusted, inc_ids = split_locations(where.include_locations)
        exc_all, exc_trusted, exc_ids = split_locations(where.exclude_locations)
        trusted = tuple(lid for lid, loc in locations.items() if loc.trusted)
        result.append(
            LocationsCondition(
                inc_all or not (inc_trusted or inc_ids),
                inc_trusted,
                inc_ids,
                exc_all,
                exc_trusted,
                exc_ids,
                dict(locations),
                trusted,
            )
        )
    if conditions.sign_in_risk_levels:
        levels = conditions.sign_in_risk_levels
        result.append(_one_of("signInRiskLevels", "sign_in_risk", "sign-in risk", levels))
    if conditions.user_risk_levels:
        levels = conditions.user_risk_levels
        result.append(_one_of("userRiskLevels", "user_risk", "user risk", levels))
    devices = conditions.devices
    if devices and devices.device_filter and devices.device_filter.rule:
        device_filter = devices.device_filter
        result.append(DeviceFilterCondition.compile(device_filter.mode, device_filter.rule))
    flows = conditions.authentication_flows
    if flows and flows.transfer_methods:
        methods = flows.transfer_methods
        result.append(
            _one_of("authenticationFlows", "authentication_flow", "transfer method", methods)
        )
    return result


def _users(users: GraphUsers | None) -> Condition:
    if users is None:
        return NeverCondition("users", "policy targets no users")
    include = lowered(users.include_users)
    exclude = lowered(users.exclude_users)
    return UsersCondition(
        include_all=ALL in include,
        include_guests=GUESTS_OR_EXTERNAL_USERS in include,
        include_users=include - {ALL, NONE, GUESTS_OR_EXTERNAL_USERS},
        include_groups=lowered(users.include_groups),
        include_roles=lowered(users.include_roles),
        include_external=ExternalUsers.compile(users.include_guests_or_external_users),
        exclude_guests=GUESTS_OR_EXTERNAL_USERS in exclude,
        exclude_users=exclude - {GUESTS_OR_EXTERNAL_USERS},
        exclude_groups=lowered(users.exclude_groups),
        exclude_roles=lowered(users.exclude_roles),
        exclude_external=ExternalUsers.compile(users.exclude_guests_or_external_users),
    )


def _applications(conditions: Conditions) -> Condition:
    apps = conditions.applications
    if apps is None:
        return NeverCondition("applications", "policy targets no resources")
    include_ids, include_groups, include_all = compile_app_list(apps.include_applications)
    exclude_ids, exclude_groups, _ = compile_app_list(apps.exclude_applications)
    return ApplicationsCondition(
        include_all=include_all,
        include_ids=include_ids,
        include_groups=include_groups,
        exclude_ids=exclude_ids,
        exclude_groups=exclude_groups,
        user_actions=lowered(apps.include_user_actions),
        auth_contexts=lowered(apps.include_authentication_context_class_references),
    )


def is_state(policy: CompiledPolicy, state: PolicyState) -> bool:
    """Whether the compiled policy is in the given Graph state."""
    return policy.state == state.value


def _one_of(name: str, fact: str, label: str, configured: list) -> SetCondition:
    """The condition that the sign-in's `fact` is one of the `configured` Graph values
    (compared lower-cased; shown as Graph spells them)."""
    return SetCondition(name, fact, label, lowered(str(v) for v in configured), _shown(configured))


def _shown(values: list) -> str:
    return ", ".join(str(value) for value in values)
