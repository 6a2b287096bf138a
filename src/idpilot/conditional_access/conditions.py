"""Compiled policy conditions, each checked against one sign-in's facts.

Every check returns `(matched, reason, missing_facts)`: matched is True/False, or None when the
sign-in lacks a fact needed to decide. Reasons are only built when `explain` is True, so the same
code serves the fast replay path and the explaining path. Within a condition the include list is
an OR, exclusions beat inclusions, and a definite "not included" wins over unknowns.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from idpilot.conditional_access.catalog import APP_GROUPS, ApplicationTarget
from idpilot.conditional_access.device_filter import (
    DeviceFilterSyntaxError,
    Node,
    attributes_of,
    evaluate_device_filter,
    parse_device_filter,
)
from idpilot.conditional_access.facts import Facts
from idpilot.conditional_access.locations import CompiledLocation
from idpilot.conditional_access.policy import (
    ClientAppTarget,
    FilterMode,
)

Check = tuple[bool | None, str, tuple[str, ...]]
NO_MISSING: tuple[str, ...] = ()
ALL = "all"
NONE = "none"
ALL_TRUSTED = "alltrusted"


def lowered(values: Iterable[str]) -> frozenset[str]:
    """Lower-cased set of ids for case-insensitive matching."""
    return frozenset(value.lower() for value in values)


def combine(included: bool | None, excluded: bool | None) -> bool | None:
    """Include/exclude in three-valued logic: not included or excluded -> False."""
    if included is False or excluded is True:
        return False
    if included is None or excluded is None:
        return None
    return True


@dataclass(frozen=True, slots=True)
class ApplicationsCondition:
    """Target resources: cloud apps (with All/None/groups), user actions or auth contexts.

    A sign-in names a client app (appId) and the resource its token is for (resourceId).
    Conditional Access protects the resource: a policy on Windows Azure Service Management API
    covers Azure CLI and PowerShell sign-ins, and excluding a client app does not exempt the
    resources it calls. So the resource (or the client when no resource is known) decides
    exclusion, and either one being included makes the sign-in targeted.
    """

    include_all: bool
    include_ids: frozenset[str]
    include_groups: tuple[tuple[str, frozenset[str]], ...]
    exclude_ids: frozenset[str]
    exclude_groups: tuple[tuple[str, frozenset[str]], ...]
    user_actions: frozenset[str]
    auth_contexts: frozenset[str]
    name: str = "applications"

    def check(self, facts: Facts, explain: bool) -> Check:
        """Check whether the sign-in's app, user action or authentication context is targeted."""
        context = facts.context
        if self.user_actions:
            action = (context.user_action or "").lower()
            hit = action in self.user_actions
            why = (
                f"user action {context.user_action or '(none)'} is {'' if hit else 'not '}targeted"
            )
            return hit, why if explain else "", NO_MISSING
        if self.auth_contexts:
            ref = (context.authentication_context or "").lower()
            hit = ref in self.auth_contexts
            shown = context.authentication_context or "(none)"
            why = f"authentication context {shown} is {'' if hit else 'not '}targeted"
            return hit, why if explain else "", NO_MISSING
        if not (self.include_all or self.include_ids or self.include_groups):
            return False, "policy targets no applications (None)" if explain else "", NO_MISSING
        resource = (context.resource_id or "").lower()
        client = (context.app_id or "").lower()
        if not (resource or client):
            if self.include_all and not (self.exclude_ids or self.exclude_groups):
                return True, "all apps are included" if explain else "", NO_MISSING
            return None, "the sign-in does not say which app" if explain else "", ("app_id",)
        # The resource decides exclusion (excluding a client app does not exempt the resources
        # it calls); inclusion is by the resource or the client app (admin portal groups).
        decider = resource or client
        excluded = _in_app_list(decider, self.exclude_ids, self.exclude_groups)
        if excluded:
            return (
                False,
                f"app {{application:{decider}}} is excluded ({excluded})" if explain else "",
                NO_MISSING,
            )
        if self.include_all:
            return (
                True,
                f"all apps are included (app {{application:{decider}}})" if explain else "",
                NO_MISSING,
            )
        for app in dict.fromkeys(a for a in (resource, client) if a):
            included = _in_app_list(app, self.include_ids, self.include_groups)
            if included:
                return (
                    True,
                    f"app {{application:{app}}} is included ({included})" if explain else "",
                    NO_MISSING,
                )
        shown = " / ".join(f"{{application:{a}}}" for a in dict.fromkeys((client, resource)) if a)
        return False, f"app {shown} is not among the included apps" if explain else "", NO_MISSING


def _in_app_list(
    app: str, ids: frozenset[str], groups: Iterable[tuple[str, frozenset[str]]]
) -> str:
    if app in ids:
        return "by id"
    for group_name, members in groups:
        if app in members:
            return f"member of {group_name}"
    return ""


def compile_app_list(
    values: Iterable[str],
) -> tuple[frozenset[str], tuple[tuple[str, frozenset[str]], ...], bool]:
    """Split an app list into plain ids, named groups (Office365, ...) and the All flag."""
    ids: set[str] = set()
    groups: list[tuple[str, frozenset[str]]] = []
    include_all = False
    for value in values:
        key = value.lower()
        if key == ApplicationTarget.all.value.lower():
            include_all = True
        elif key == ApplicationTarget.none.value.lower():
            continue
        elif key in APP_GROUPS:
            groups.append((value, APP_GROUPS[key]))
        else:
            ids.add(key)
    return frozenset(ids), tuple(groups), include_all


@dataclass(frozen=True, slots=True)
class SetCondition:
    """A context value that must be in a configured set (client app, risk, transfer method)."""

    name: str
    fact: str  # SignInContext attribute and the missing-fact name
    label: str
    values: frozenset[str]
    shown: str = ""  # the configured values as Graph spells them, for reasons

    def check(self, facts: Facts, explain: bool) -> Check:
        """Check the context value against the configured set."""
        value = getattr(facts.context, self.fact)
        if value is None:
            why = f"the sign-in does not say its {self.label}" if explain else ""
            return None, why, (self.fact,)
        hit = value.lower() in self.values
        if not explain:
            return hit, "", NO_MISSING
        wanted = self.shown or ", ".join(sorted(self.values))
        return hit, f"{self.label} {value} is {'' if hit else 'not '}in [{wanted}]", NO_MISSING


def client_app_values(values: Iterable[str]) -> frozenset[str] | None:
    """Lower-cased client app targets, or None when the condition means all client apps."""
    result = set()
    for value in values:
        key = str(value).lower()
        if key == ClientAppTarget.all.value.lower():
            return None
        if key == ClientAppTarget.eas_supported.value.lower():
            key = ClientAppTarget.exchange_active_sync.value.lower()
        result.add(key)
    return frozenset(result) or None


@dataclass(frozen=True, slots=True)
class PlatformsCondition:
    """Device platforms, include (or all) minus exclude."""

    include_all: bool
    include: frozenset[str]
    exclude: frozenset[str]
    name: str = "platforms"

    def check(self, facts: Facts, explain: bool) -> Check:
        """Check the sign-in's device platform."""
        platform = facts.context.platform
        if platform is None:
            if self.include_all and not self.exclude:
                return True, "all platforms are included" if explain else "", NO_MISSING
            return None, "the sign-in does not say its platform" if explain else "", ("platform",)
        key = platform.value.lower()
        if key in self.exclude:
            return False, f"platform {platform.value} is excluded" if explain else "", NO_MISSING
        if self.include_all or key in self.include:
            return True, f"platform {platform.value} is included" if explain else "", NO_MISSING
        return False, f"platform {platform.value} is not included" if explain else "", NO_MISSING


@dataclass(frozen=True, slots=True)
class LocationsCondition:
    """Network locations: All, AllTrusted or named location ids, included and excluded."""

    include_all: bool
    include_trusted: bool
    include_ids: tuple[str, ...]
    exclude_all: bool
    exclude_trusted: bool
    exclude_ids: tuple[str, ...]
    locations: dict[str, CompiledLocation]
    trusted_ids: tuple[str, ...]
    name: str = "locations"

    def check(self, facts: Facts, explain: bool) -> Check:
        """Check the sign-in's IP address and country against the named locations."""
        excluded, ex_which, ex_missing = self._any(
            facts, self.exclude_all, self.exclude_trusted, self.exclude_ids
        )
        if excluded is True:
            return (
                False,
                f"sign-in is in excluded location {ex_which}" if explain else "",
                NO_MISSING,
            )
        if self.include_all:
            included, which, missing = True, "All", ()
        else:
            included, which, missing = self._any(
                facts, False, self.include_trusted, self.include_ids
            )
        matched = combine(included, excluded)
        if not explain:
            return matched, "", (*missing, *ex_missing) if matched is None else NO_MISSING
        if included is False:
            why = "sign-in is not in any included location"
        elif included is None:
            why = "cannot tell whether the sign-in is in an included location"
        else:
            why = f"sign-in is in included location {which}"
        if excluded is None:
            why += f"; cannot tell whether it is in an excluded location ({self._excluded()})"
        return matched, why, (*missing, *ex_missing) if matched is None else NO_MISSING

    def _excluded(self) -> str:
        """The excluded locations, for reasons: trusted ones by that word, named ones as refs."""
        shown = ["all locations"] if self.exclude_all else []
        if self.exclude_trusted:
            shown.append("the trusted locations")
        shown += [f"{{namedLocation:{location_id}}}" for location_id in self.exclude_ids]
        return ", ".join(shown)

    def _any(
        self, facts: Facts, everything: bool, trusted: bool, ids: tuple[str, ...]
    ) -> tuple[bool | None, str, tuple[str, ...]]:
        if everything:
            return True, "All", NO_MISSING
        missing: list[str] = []
        candidates = (*self.trusted_ids, *ids) if trusted else ids
        for location_id in candidates:
            hit, fact = self._contains(facts, location_id)
            if hit:
                label = "AllTrusted via " if trusted and location_id in self.trusted_ids else ""
                return True, f"{label}{{namedLocation:{location_id}}}", NO_MISSING
            if hit is None and fact:
                missing.append(fact)
        if missing:
            return None, "", tuple(dict.fromkeys(missing))
        return False, "", NO_MISSING

    def _contains(self, facts: Facts, location_id: str) -> tuple[bool | None, str | None]:
        location = self.locations.get(location_id)
        if location is None:
            return None, f"namedLocation:{location_id}"
        cache = facts.location_cache
        if location_id in cache:
            hit = cache[location_id]
            return hit, None if hit is not None else location.contains(facts)[1]
        hit, fact = location.contains(facts)
        cache[location_id] = hit
        return hit, fact


def split_locations(values: Iterable[str]) -> tuple[bool, bool, tuple[str, ...]]:
    """Split a location list into the All flag, the AllTrusted flag and lower-cased ids."""
    everything = trusted = False
    ids: list[str] = []
    for value in values:
        key = value.lower()
        if key == ALL:
            everything = True
        elif key == ALL_TRUSTED:
            trusted = True
        else:
            ids.append(key)
    return everything, trusted, tuple(ids)


@dataclass(frozen=True, slots=True)
class DeviceFilterCondition:
    """A device filter rule in include or exclude mode."""

    mode: str
    rule: str
    node: Node | None
    error: str | None
    name: str = "devices"

    @classmethod
    def compile(cls, mode: str | None, rule: str) -> DeviceFilterCondition:
        """Parse the rule once; a malformed rule is kept as an error reported by every check."""
        try:
            return cls(str(mode or FilterMode.include), rule, parse_device_filter(rule), None)
        except DeviceFilterSyntaxError as error:
            return cls(str(mode or FilterMode.include), rule, None, str(error))

    def check(self, facts: Facts, explain: bool) -> Check:
        """Evaluate the rule over the device facts and apply the mode."""
        if self.node is None:
            return None, f"device filter rule is malformed: {self.error}", ("deviceFilter.rule",)
        device = facts.device()
        hit = evaluate_device_filter(self.node, device)
        include_mode = self.mode == FilterMode.include
        if hit is None:
            missing = tuple(
                f"device.{a}" for a in sorted(attributes_of(self.node)) if device.get(a) is None
            )
            why = f"cannot evaluate device filter {self.rule!r} without {', '.join(missing)}"
            return None, why if explain else "", missing
        matched = hit if include_mode else not hit
        if not explain:
            return matched, "", NO_MISSING
        verb = "matches" if hit else "does not match"
        return matched, f"device {verb} {self.mode} filter {self.rule!r}", NO_MISSING
