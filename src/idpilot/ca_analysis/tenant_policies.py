"""The store's Conditional Access policies, compiled once, with what skills need to cite them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from idpilot.conditional_access import PolicySet
from idpilot.conditional_access.compile import CompiledPolicy
from idpilot.conditional_access.conditions import DeviceFilterCondition
from idpilot.conditional_access.locations import (
    CompiledLocation,
    LocationKind,
    compile_location,
)
from idpilot.conditional_access.named_location import parse_named_location
from idpilot.conditional_access.user_scope import UsersCondition
from idpilot.store import Store
from idpilot.store.ca_directory import StoreDirectory, load_named_locations, load_policies

T = TypeVar("T")
Principals = tuple[frozenset[str], frozenset[str], frozenset[str]]
"""Lower-cased user, group and role ids."""


@dataclass
class TenantPolicies:
    """Policies, named locations and the directory of one store, ready for the engine."""

    policies: list[dict[str, Any]]
    named_locations: list[dict[str, Any]]
    policy_set: PolicySet
    directory: StoreDirectory
    locations: dict[str, CompiledLocation] = field(default_factory=dict)
    _remembered: dict[str, Any] = field(default_factory=dict, repr=False)

    def remember(self, name: str, compute: Callable[[], T]) -> T:
        """What `compute` returns, computed once per loaded tenant (one request's worth): for
        findings several parts of one answer read (the break-glass accounts)."""
        if name not in self._remembered:
            self._remembered[name] = compute()
        return self._remembered[name]

    @classmethod
    def load(cls, store: Store) -> TenantPolicies:
        """Load and compile everything the store holds."""
        policies = load_policies(store)
        named = load_named_locations(store)
        locations = {}
        for raw in named:
            compiled = compile_location(parse_named_location(raw))
            locations[compiled.id] = compiled
        return cls(
            policies=policies,
            named_locations=named,
            policy_set=PolicySet.from_graph(policies, named),
            directory=StoreDirectory(store),
            locations=locations,
        )

    def policy(self, policy_id: str) -> dict[str, Any] | None:
        """The Graph JSON of a policy by id (case-insensitive)."""
        key = policy_id.lower()
        return next((p for p in self.policies if str(p.get("id", "")).lower() == key), None)

    def named_location(self, location_id: str) -> dict[str, Any] | None:
        """The Graph JSON of a named location by id (case-insensitive)."""
        key = location_id.lower()
        return next((n for n in self.named_locations if str(n.get("id", "")).lower() == key), None)

    def ip_locations(self) -> list[CompiledLocation]:
        """Compiled IP named locations."""
        return [loc for loc in self.locations.values() if loc.kind is LocationKind.ip]

    def referenced_principals(self) -> Principals:
        """Lower-cased user, group and role ids any policy includes or excludes."""
        return referenced_principals(self.policy_set.policies)

    def uses_device_filters(self) -> bool:
        """True when some policy filters devices (then device ids and names matter)."""
        return any(
            isinstance(condition, DeviceFilterCondition)
            for policy in self.policy_set.policies
            for condition in policy.conditions
        )


def referenced_principals(policies: Iterable[CompiledPolicy]) -> Principals:
    """Lower-cased user, group and role ids any of `policies` includes or excludes."""
    users: set[str] = set()
    groups: set[str] = set()
    roles: set[str] = set()
    for policy in policies:
        for condition in policy.conditions:
            if isinstance(condition, UsersCondition):
                users |= condition.include_users | condition.exclude_users
                groups |= condition.include_groups | condition.exclude_groups
                roles |= condition.include_roles | condition.exclude_roles
    return frozenset(users), frozenset(groups), frozenset(roles)


def policy_evidence_fields(policy: dict[str, Any]) -> dict[str, Any]:
    """The fields of a policy an answer may show."""
    return {
        "displayName": policy.get("displayName"),
        "state": policy.get("state"),
        "conditions": policy.get("conditions"),
        "grantControls": policy.get("grantControls"),
    }
