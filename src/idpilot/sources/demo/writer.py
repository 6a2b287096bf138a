"""Writes the snapshot folder: Graph list responses (.json) and JSON Lines (.jsonl) with orjson."""

from __future__ import annotations

from pathlib import Path
from typing import IO

import orjson

GRAPH = "https://graph.microsoft.com/v1.0/$metadata#"
CONTEXTS = {
    "users": "users",
    "groups": "groups(members(),owners())",
    "servicePrincipals": "servicePrincipals",
    "applications": "applications",
    "appRoleAssignments": "servicePrincipals('appRoleAssignedTo')/appRoleAssignedTo",
    "oauth2PermissionGrants": "oauth2PermissionGrants",
    "roleDefinitions": "roleManagement/directory/roleDefinitions",
    "roleAssignments": "roleManagement/directory/roleAssignments",
    "roleEligibilitySchedules": "roleManagement/directory/roleEligibilitySchedules",
    "signIns": "auditLogs/signIns",
    "directoryAudits": "auditLogs/directoryAudits",
    "riskyUsers": "identityProtection/riskyUsers",
    "riskDetections": "identityProtection/riskDetections",
    "riskyServicePrincipals": "identityProtection/riskyServicePrincipals",
    "servicePrincipalRiskDetections": "identityProtection/servicePrincipalRiskDetections",
    "conditionalAccessPolicies": "identity/conditionalAccess/policies",
    "namedLocations": "identity/conditionalAccess/namedLocations",
    "userRegistrationDetails": "reports/authenticationMethods/userRegistrationDetails",
    "lifecycleWorkflows": "identityGovernance/lifecycleWorkflows/workflows(tasks())",
    "organization": "organization",
    "domains": "domains",
    "authorizationPolicy": "policies/authorizationPolicy/$entity",
    "authenticationMethodsPolicy": "authenticationMethodsPolicy",
    "identitySecurityDefaultsEnforcementPolicy": (
        "policies/identitySecurityDefaultsEnforcementPolicy"
    ),
    "adminConsentRequestPolicy": "policies/adminConsentRequestPolicy/$entity",
    "permissionGrantPolicies": "policies/permissionGrantPolicies",
    "groupSettings": "groupSettings",
    "crossTenantAccessPolicyDefault": "policies/crossTenantAccessPolicy/default/$entity",
    "crossTenantAccessPolicyPartners": "policies/crossTenantAccessPolicy/partners",
    "roleManagementPolicies": "policies/roleManagementPolicies(rules())",
    "roleManagementPolicyAssignments": "policies/roleManagementPolicyAssignments",
    "authenticationStrengthPolicies": "policies/authenticationStrengthPolicies",
    "defaultAppManagementPolicy": "policies/defaultAppManagementPolicy/$entity",
    "subscribedSkus": "subscribedSkus",
    "roleAssignmentScheduleInstances": "roleManagement/directory/roleAssignmentScheduleInstances",
    "roleEligibilityScheduleInstances": "roleManagement/directory/roleEligibilityScheduleInstances",
    "administrativeUnits": "directory/administrativeUnits(members())",
}


def write_collection(out_dir: Path, name: str, items: list[dict]) -> Path:
    """`{name}.json` as a Graph list response."""
    path = out_dir / f"{name}.json"
    body = {"@odata.context": GRAPH + CONTEXTS[name], "value": items}
    path.write_bytes(orjson.dumps(body, option=orjson.OPT_INDENT_2))
    return path


def write_pages(out_dir: Path, name: str, pages: list[tuple[str, list[dict]]]) -> Path:
    """`{name}.json` as an array of Graph list responses, one per parent, each naming it in its
    `@odata.context` (`.../workflows('<id>')/runs`): records listed under a parent do not."""
    path = out_dir / f"{name}.json"
    body = [{"@odata.context": GRAPH + context, "value": items} for context, items in pages]
    path.write_bytes(orjson.dumps(body, option=orjson.OPT_INDENT_2))
    return path


def write_singleton(out_dir: Path, name: str, item: dict) -> Path:
    """`{name}.json` as a singleton GET returns it: the object with its `@odata.context`."""
    path = out_dir / f"{name}.json"
    body = {"@odata.context": GRAPH + CONTEXTS[name], **item}
    path.write_bytes(orjson.dumps(body, option=orjson.OPT_INDENT_2))
    return path


def write_json(path: Path, obj: dict) -> Path:
    path.write_bytes(orjson.dumps(obj, option=orjson.OPT_INDENT_2))
    return path


class JsonLines:
    """Streams objects to a .jsonl file, one per line, counting them."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.count = 0
        self._file: IO[bytes] = path.open("wb")

    def write(self, obj: dict) -> None:
        self._file.write(orjson.dumps(obj) + b"\n")
        self.count += 1

    def close(self) -> None:
        self._file.close()
