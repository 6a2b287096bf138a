"""A Conditional Access policy said in plain language: who, which apps, when, then what.

Pure: takes the parsed policy and the names of the objects it names (ids lower-cased; an id
without a name is shown as the id) and returns sentences for a person to read.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import Any

from pydantic import BaseModel

from idpilot.conditional_access.catalog import BUILT_IN_STRENGTH_NAMES, ApplicationTarget
from idpilot.conditional_access.policy import (
    ClientAppTarget,
    ConditionalAccessPolicy,
    Conditions,
    GuestsOrExternalUsers,
    UsersCondition,
)
from idpilot.model.enums import ConditionalAccessPolicyState

MAX_NAMED = 4
"""Objects named in one phrase; the rest are counted."""
STATE_WORDS = {
    ConditionalAccessPolicyState.enabled.value: "On: enforced.",
    ConditionalAccessPolicyState.report_only.value: "Report-only: sign-in logs record what it "
    "would do; it enforces nothing.",
    ConditionalAccessPolicyState.disabled.value: "Off: it does nothing.",
}
CONTROL_WORDS = {
    "block": "block access",
    "mfa": "require multifactor authentication",
    "compliantDevice": "require a compliant device",
    "domainJoinedDevice": "require a hybrid joined device",
    "approvedApplication": "require an approved client app",
    "compliantApplication": "require an app protection policy",
    "passwordChange": "require a password change",
}
CLIENT_WORDS = {
    ClientAppTarget.browser.value: "browsers",
    ClientAppTarget.mobile_apps_and_desktop_clients.value: "mobile apps and desktop clients",
    ClientAppTarget.exchange_active_sync.value: "Exchange ActiveSync (legacy)",
    ClientAppTarget.eas_supported.value: "Exchange ActiveSync (legacy)",
    ClientAppTarget.other.value: "other legacy clients (IMAP, POP, SMTP...)",
}
USER_WORDS = {
    "all": "all users",
    "none": "no user",
    "guestsorexternalusers": "guests and external users",
}
APP_WORDS = {
    ApplicationTarget.all.value.lower(): "all cloud apps",
    ApplicationTarget.none.value.lower(): "no app",
    ApplicationTarget.office365.value.lower(): "Office 365",
    ApplicationTarget.microsoft_admin_portals.value.lower(): "the Microsoft admin portals",
}
LOCATION_WORDS = {"all": "any location", "alltrusted": "trusted locations"}


class PolicySummary(BaseModel):
    """One policy in plain language: its name, state, and one sentence per part."""

    id: str
    name: str
    state: str
    sentences: list[str]


def _text(value: Any) -> str:
    return str(value.value if isinstance(value, Enum) else value)


def _names(ids: list[str], names: Mapping[str, str], words: Mapping[str, str], noun: str) -> str:
    """Up to MAX_NAMED names, then how many more ('Alice, Bob and 3 more users')."""
    shown = [words.get(i.lower()) or names.get(i.lower()) or i for i in ids]
    if len(shown) > MAX_NAMED:
        return f"{', '.join(shown[:MAX_NAMED])} and {len(shown) - MAX_NAMED} more {noun}"
    if len(shown) > 1:
        return f"{', '.join(shown[:-1])} and {shown[-1]}"
    return shown[0] if shown else ""


def _who_parts(
    user_ids: list[str],
    group_ids: list[str],
    role_ids: list[str],
    guests: GuestsOrExternalUsers | None,
    names: Mapping[str, str],
) -> list[str]:
    """One side (included or excluded) of a users condition as phrases: the users, members
    of the groups, holders of the roles, guests and external users."""
    parts = (
        _names(user_ids, names, USER_WORDS, "users"),
        group_ids and "members of " + _names(group_ids, names, {}, "groups"),
        role_ids and "holders of " + _names(role_ids, names, {}, "roles"),
        guests and "guests and external users",
    )
    return [part for part in parts if part]


def _who(users: UsersCondition | None, names: Mapping[str, str]) -> str:
    if users is None:
        return "Applies to: no user is named."
    included = _who_parts(
        users.include_users,
        users.include_groups,
        users.include_roles,
        users.include_guests_or_external_users,
        names,
    )
    excluded = _who_parts(
        users.exclude_users,
        users.exclude_groups,
        users.exclude_roles,
        users.exclude_guests_or_external_users,
        names,
    )
    sentence = "Applies to " + ("; ".join(included) if included else "no user")
    if excluded:
        sentence += ", except " + "; ".join(excluded)
    return sentence + "."


def _apps(conditions: Conditions, names: Mapping[str, str]) -> str:
    apps = conditions.applications
    if apps is None:
        return "For: no app is named."
    if apps.include_user_actions:
        return "For the user actions: " + ", ".join(apps.include_user_actions) + "."
    if apps.include_authentication_context_class_references:
        contexts = ", ".join(apps.include_authentication_context_class_references)
        return f"For the authentication contexts: {contexts}."
    sentence = "When signing in to " + (
        _names(apps.include_applications, names, APP_WORDS, "apps") or "no app"
    )
    if apps.exclude_applications:
        sentence += ", except " + _names(apps.exclude_applications, names, APP_WORDS, "apps")
    return sentence + "."


def _when(conditions: Conditions, names: Mapping[str, str]) -> list[str]:
    said: list[str] = []
    clients = [_text(c) for c in conditions.client_app_types if _text(c) != "all"]
    if clients:
        words = list(dict.fromkeys(CLIENT_WORDS.get(c, c) for c in clients))
        said.append("Only from " + ", ".join(words) + ".")
    if conditions.sign_in_risk_levels:
        levels = ", ".join(_text(level) for level in conditions.sign_in_risk_levels)
        said.append(f"Only when the sign-in risk is {levels}.")
    if conditions.user_risk_levels:
        levels = ", ".join(_text(level) for level in conditions.user_risk_levels)
        said.append(f"Only when the user risk is {levels}.")
    platforms = conditions.platforms
    if platforms and platforms.include_platforms:
        sentence = "On " + ", ".join(_text(p) for p in platforms.include_platforms) + " devices"
        if platforms.exclude_platforms:
            sentence += " except " + ", ".join(_text(p) for p in platforms.exclude_platforms)
        said.append(sentence + ".")
    locations = conditions.locations
    if locations and (locations.include_locations or locations.exclude_locations):
        sentence = "From " + (
            _names(locations.include_locations, names, LOCATION_WORDS, "locations")
            or "any location"
        )
        if locations.exclude_locations:
            sentence += ", except " + _names(
                locations.exclude_locations, names, LOCATION_WORDS, "locations"
            )
        said.append(sentence + ".")
    device_filter = conditions.devices.device_filter if conditions.devices else None
    if device_filter and device_filter.rule:
        mode = _text(device_filter.mode or "include")
        said.append(f"Devices matching the filter ({mode}): {device_filter.rule}.")
    return said


def _then(policy: ConditionalAccessPolicy) -> str:
    grant = policy.grant_controls
    if grant is None:
        return "Then: grants access with no extra requirement."
    controls = [CONTROL_WORDS.get(_text(c), _text(c)) for c in grant.built_in_controls]
    strength = grant.authentication_strength
    if strength is not None:
        name = strength.display_name or BUILT_IN_STRENGTH_NAMES.get(strength.id or "", "")
        controls.append(f"require the authentication strength {name or strength.id}")
    if grant.terms_of_use:
        controls.append("require accepting the terms of use")
    if "block access" in controls:
        return "Then: block access."
    if not controls:
        return "Then: grants access with no extra requirement."
    joiner = " and " if _text(grant.operator or "OR") == "AND" else " or "
    return "Then: " + joiner.join(controls) + "."


def _session(policy: ConditionalAccessPolicy) -> list[str]:
    session = policy.session_controls
    if session is None:
        return []
    parts = []
    frequency = session.sign_in_frequency
    if frequency is not None and frequency.is_enabled:
        extra = frequency.model_extra or {}
        value, unit = extra.get("value"), extra.get("type")
        every = f" every {value} {unit}" if value and unit else ""
        parts.append(f"ask to sign in again{every}")
    browser = session.persistent_browser
    if browser is not None and browser.is_enabled:
        mode = (browser.model_extra or {}).get("mode")
        parts.append(f"persistent browser sessions: {mode or 'set'}")
    if (
        session.application_enforced_restrictions
        and session.application_enforced_restrictions.is_enabled
    ):
        parts.append("app-enforced restrictions")
    if session.cloud_app_security and session.cloud_app_security.is_enabled:
        parts.append("Defender for Cloud Apps session control")
    return ["Session: " + "; ".join(parts) + "."] if parts else []


def policy_ids(policy: ConditionalAccessPolicy) -> list[str]:
    """The object ids a policy names (users, groups, roles, apps, locations) to be named."""
    found: list[str] = []
    conditions = policy.conditions
    if conditions is None:
        return found
    if conditions.users:
        users = conditions.users
        for ids in (
            users.include_users,
            users.exclude_users,
            users.include_groups,
            users.exclude_groups,
            users.include_roles,
            users.exclude_roles,
        ):
            found += ids
    if conditions.applications:
        found += conditions.applications.include_applications
        found += conditions.applications.exclude_applications
    if conditions.locations:
        found += conditions.locations.include_locations + conditions.locations.exclude_locations
    return found


def summarize_policy(policy: ConditionalAccessPolicy, names: Mapping[str, str]) -> PolicySummary:
    """The policy in plain language; `names` maps lower-cased ids to display names."""
    state = _text(policy.state or "unknown")
    sentences = [STATE_WORDS.get(state, f"State: {state}.")]
    conditions = policy.conditions or Conditions()
    sentences.append(_who(conditions.users, names))
    sentences.append(_apps(conditions, names))
    sentences += _when(conditions, names)
    sentences.append(_then(policy))
    sentences += _session(policy)
    return PolicySummary(
        id=policy.id, name=policy.display_name or policy.id, state=state, sentences=sentences
    )
