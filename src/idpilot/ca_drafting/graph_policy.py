"""A read description and the accounts to leave out, written as Graph conditionalAccessPolicy
JSON (the body of POST /identity/conditionalAccess/policies), report-only first."""

from __future__ import annotations

from typing import Any

from idpilot.ca_drafting.description import PolicyDescription, UserScope
from idpilot.ca_drafting.exclusions import ExcludedObject
from idpilot.conditional_access.catalog import BUILT_IN_STRENGTH_NAMES, BuiltInControl
from idpilot.model.enums import ConditionalAccessPolicyState

ODATA_TYPE = "#microsoft.graph.conditionalAccessPolicy"
DRAFT_PREFIX = "DRAFT: "
MAX_NAME = 120
ALL = "All"
GUESTS = "GuestsOrExternalUsers"
REPORT_ONLY = ConditionalAccessPolicyState.report_only.value


def draft_name(description: PolicyDescription) -> str:
    """The draft's display name: the admin's words, marked as a draft."""
    words = description.text.strip().rstrip(".")
    words = words[:1].upper() + words[1:]
    return (DRAFT_PREFIX + words)[:MAX_NAME]


def policy_body(description: PolicyDescription, excluded: list[ExcludedObject]) -> dict[str, Any]:
    """The Graph request body for the described policy, in report-only state."""
    conditions: dict[str, Any] = {
        "users": _users(description, excluded),
        "applications": {
            "includeApplications": list(description.applications),
            "excludeApplications": [],
            "includeUserActions": list(description.user_actions),
        },
        "clientAppTypes": list(description.client_app_types) or ["all"],
        "signInRiskLevels": list(description.sign_in_risk_levels),
        "userRiskLevels": list(description.user_risk_levels),
    }
    if description.platforms:
        conditions["platforms"] = {
            "includePlatforms": list(description.platforms),
            "excludePlatforms": [],
        }
    if description.outside_trusted_locations:
        conditions["locations"] = {"includeLocations": [ALL], "excludeLocations": ["AllTrusted"]}
    if description.device_code_flow:
        conditions["authenticationFlows"] = {"transferMethods": "deviceCodeFlow"}
    return {
        "@odata.type": ODATA_TYPE,
        "displayName": draft_name(description),
        "state": REPORT_ONLY,
        "conditions": conditions,
        "grantControls": _grant(description),
    }


def _users(description: PolicyDescription, excluded: list[ExcludedObject]) -> dict[str, Any]:
    include_users: list[str] = []
    include_roles: list[str] = []
    if description.scope is UserScope.all_users:
        include_users = [ALL]
    elif description.scope is UserScope.guests:
        include_users = [GUESTS]
    else:
        include_roles = list(description.role_template_ids)
    exclude_users = [o.id for o in excluded if o.kind == "user"]
    if description.exclude_guests:
        exclude_users.append(GUESTS)
    return {
        "includeUsers": include_users,
        "excludeUsers": exclude_users,
        "includeGroups": [],
        "excludeGroups": [o.id for o in excluded if o.kind == "group"],
        "includeRoles": include_roles,
        "excludeRoles": [],
    }


def _grant(description: PolicyDescription) -> dict[str, Any]:
    if description.block:
        return {"operator": "OR", "builtInControls": [BuiltInControl.block.value]}
    controls = list(description.built_in_controls)
    operator = "OR"
    if BuiltInControl.password_change.value in controls:
        # Graph accepts a password change only together with MFA, both required.
        operator = "AND"
        if BuiltInControl.mfa.value not in controls and not description.authentication_strength_id:
            controls.insert(0, BuiltInControl.mfa.value)
    grant: dict[str, Any] = {"operator": operator, "builtInControls": controls}
    if strength := description.authentication_strength_id:
        grant["authenticationStrength"] = {
            "id": strength,
            "displayName": BUILT_IN_STRENGTH_NAMES.get(strength, strength),
        }
    return grant
