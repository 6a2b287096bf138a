"""Where `idpilot sync` reads each collection of the snapshot contract in Microsoft Graph.

One `Endpoint` per collection: the API version, the path and query, how it is read (a delta
query, a time window of log events, a list, a setting's single object, or one list per record
of another collection: a service principal's assignments, a workflow's versions, runs and task
reports, a run's user results, a user result's task results), the least-privileged
application permission it needs and the licence Microsoft documents for it. A 403 names both
(`permissions.explain_forbidden`), and `--dry-run` lists them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from urllib.parse import quote

from idpilot.model.collections import Collection

BATCH_LIMIT = 20
"""Graph's JSON batching takes at most 20 requests per `$batch`."""


class ReadMode(StrEnum):
    """How the records of a collection are read."""

    delta = "delta"  # users/delta, groups/delta: a full round, then changes (the deltaLink kept)
    log = "log"  # sign-ins, audits: events in a time window, overlapping the last one
    listing = "list"  # a list, paged by @odata.nextLink, read whole each time
    singleton = "singleton"  # one object (a tenant-wide setting)
    per_parent = "perParent"  # one list per record of another collection ($batch)


class Licence(StrEnum):
    """A licence Microsoft documents as needed to read a collection."""

    p1 = "Microsoft Entra ID P1"
    p2 = "Microsoft Entra ID P2"
    workload_id = "Microsoft Entra Workload ID Premium"
    governance = "Microsoft Entra ID Governance"


@dataclass(frozen=True)
class Endpoint:
    """The Graph request that reads one collection."""

    collection: Collection
    path: str
    permission: str
    mode: ReadMode = ReadMode.listing
    version: str = "v1.0"
    query: str = ""
    event_filter: str = ""
    """For a log: what its `$filter` adds to the time window."""
    licence: Licence | None = None
    small: bool = False
    """A setting or a short list: its first page is asked for in a `$batch` with others."""
    parent: Collection | None = None
    """Per parent: the collection under each of whose records the list is read."""
    parent_keys: tuple[tuple[str, str], ...] = ()
    """Per parent: each `{placeholder}` of the path and the parent record's property that
    fills it."""
    stamped: bool = False
    """Per parent: each record gets the placeholders' values as properties (Graph's records
    listed under a workflow or run do not name it; ingest ties them by these)."""

    def parent_path(self, parent: dict[str, Any]) -> str | None:
        """The path of the list under one parent record (None when it lacks a key)."""
        path = self.path
        for placeholder, prop in self.parent_keys:
            value = parent.get(prop)
            if not isinstance(value, str) or not value:
                return None
            path = path.replace("{" + placeholder + "}", quote(value, safe=""))
        return path

    def stamp(self, parent: dict[str, Any]) -> dict[str, str]:
        """The properties each record listed under `parent` gets (none unless `stamped`)."""
        if not self.stamped:
            return {}
        return {placeholder: parent[prop] for placeholder, prop in self.parent_keys}

    def url(self, base: str) -> str:
        """The first request's URL under `base` (e.g. https://graph.microsoft.com)."""
        url = f"{base.rstrip('/')}/{self.version}/{self.path}"
        return f"{url}?{self.query}" if self.query else url

    def relative(self) -> str:
        """The request as a `$batch` item names it (no version, no host)."""
        return f"/{self.path}?{self.query}" if self.query else f"/{self.path}"


# Group properties asked of groups/delta; members and owners come as `members@delta`.
_GROUP_SELECT = (
    "id,displayName,description,mail,mailEnabled,mailNickname,securityEnabled,groupTypes,"
    "membershipRule,membershipRuleProcessingState,isAssignableToRole,visibility,"
    "createdDateTime,renewedDateTime,expirationDateTime,classification,onPremisesSyncEnabled,"
    "proxyAddresses,deletedDateTime,members,owners"
)
_DIRECTORY_ROLE_SCOPE = "$filter=scopeId eq '/' and scopeType eq 'DirectoryRole'"
_WORKFLOW = "identityGovernance/lifecycleWorkflows/workflows/{workflowId}"
_OF_WORKFLOW = (("workflowId", "id"),)
_OF_RUN = (("workflowId", "workflowId"), ("runId", "id"))
_C = Collection
_SMALL = True


def _history(
    collection: Collection, path: str, parent: Collection, keys: tuple[tuple[str, str], ...]
) -> Endpoint:
    """A lifecycle workflow's history list, read under each parent record (v1.0, documented
    paths): LifecycleWorkflows.Read.All reads them all, and each record is stamped with the
    ids of the parents it was listed under."""
    return Endpoint(
        collection,
        path,
        "LifecycleWorkflows.Read.All",
        ReadMode.per_parent,
        licence=Licence.governance,
        parent=parent,
        parent_keys=keys,
        stamped=True,
    )


ENDPOINTS: tuple[Endpoint, ...] = (
    Endpoint(_C.organization, "organization", "Organization.Read.All", small=_SMALL),
    Endpoint(_C.users, "users/delta", "User.Read.All", ReadMode.delta),
    Endpoint(
        _C.groups,
        "groups/delta",
        "GroupMember.Read.All",
        ReadMode.delta,
        query=f"$select={_GROUP_SELECT}",
    ),
    Endpoint(
        _C.service_principals, "servicePrincipals", "Application.Read.All", query="$expand=owners"
    ),
    Endpoint(_C.applications, "applications", "Application.Read.All", query="$expand=owners"),
    Endpoint(
        _C.app_role_assignments,
        "servicePrincipals/{servicePrincipalId}/appRoleAssignedTo",
        "Application.Read.All",
        ReadMode.per_parent,
        parent=_C.service_principals,
        parent_keys=(("servicePrincipalId", "id"),),
    ),
    Endpoint(
        _C.oauth2_permission_grants,
        "oauth2PermissionGrants",
        "DelegatedPermissionGrant.Read.All",
        small=_SMALL,
    ),
    Endpoint(
        _C.role_definitions,
        "roleManagement/directory/roleDefinitions",
        "RoleManagement.Read.Directory",
        small=_SMALL,
    ),
    Endpoint(
        _C.role_assignments,
        "roleManagement/directory/roleAssignments",
        "RoleManagement.Read.Directory",
        small=_SMALL,
    ),
    Endpoint(
        _C.role_eligibility_schedules,
        "roleManagement/directory/roleEligibilitySchedules",
        "RoleEligibilitySchedule.Read.Directory",
        licence=Licence.p2,
        small=_SMALL,
    ),
    Endpoint(
        _C.role_assignment_schedule_instances,
        "roleManagement/directory/roleAssignmentScheduleInstances",
        "RoleAssignmentSchedule.Read.Directory",
        licence=Licence.p2,
        small=_SMALL,
    ),
    Endpoint(
        _C.role_eligibility_schedule_instances,
        "roleManagement/directory/roleEligibilityScheduleInstances",
        "RoleEligibilitySchedule.Read.Directory",
        licence=Licence.p2,
        small=_SMALL,
    ),
    # Beta: its sign-ins carry the Conditional Access details the skills read
    # (authenticationRequirement, per-policy results, interactive and non-interactive).
    Endpoint(
        _C.sign_ins,
        "auditLogs/signIns",
        "AuditLog.Read.All",
        ReadMode.log,
        version="beta",
        event_filter="signInEventTypes/any(t: t eq 'interactiveUser' or t eq 'nonInteractiveUser')",
        licence=Licence.p1,
    ),
    Endpoint(_C.directory_audits, "auditLogs/directoryAudits", "AuditLog.Read.All", ReadMode.log),
    Endpoint(
        _C.risky_users,
        "identityProtection/riskyUsers",
        "IdentityRiskyUser.Read.All",
        licence=Licence.p2,
    ),
    Endpoint(
        _C.risk_detections,
        "identityProtection/riskDetections",
        "IdentityRiskEvent.Read.All",
        licence=Licence.p2,
    ),
    Endpoint(
        _C.risky_service_principals,
        "identityProtection/riskyServicePrincipals",
        "IdentityRiskyServicePrincipal.Read.All",
        licence=Licence.workload_id,
        small=_SMALL,
    ),
    Endpoint(
        _C.service_principal_risk_detections,
        "identityProtection/servicePrincipalRiskDetections",
        "IdentityRiskyServicePrincipal.Read.All",
        licence=Licence.workload_id,
        small=_SMALL,
    ),
    Endpoint(
        _C.conditional_access_policies,
        "identity/conditionalAccess/policies",
        "Policy.Read.All",
        licence=Licence.p1,
        small=_SMALL,
    ),
    Endpoint(
        _C.named_locations,
        "identity/conditionalAccess/namedLocations",
        "Policy.Read.All",
        small=_SMALL,
    ),
    Endpoint(
        _C.user_registration_details,
        "reports/authenticationMethods/userRegistrationDetails",
        "AuditLog.Read.All",
        licence=Licence.p1,
    ),
    Endpoint(
        _C.lifecycle_workflows,
        "identityGovernance/lifecycleWorkflows/workflows",
        "LifecycleWorkflows.Read.All",
        licence=Licence.governance,
        small=_SMALL,
    ),
    # A workflow's history, listed under it (v1.0, documented paths). LifecycleWorkflows.Read.All
    # reads them all; LifecycleWorkflows-Reports.Read.All alone would not list the workflows.
    _history(_C.workflow_versions, f"{_WORKFLOW}/versions", _C.lifecycle_workflows, _OF_WORKFLOW),
    _history(_C.workflow_runs, f"{_WORKFLOW}/runs", _C.lifecycle_workflows, _OF_WORKFLOW),
    _history(
        _C.workflow_task_reports, f"{_WORKFLOW}/taskReports", _C.lifecycle_workflows, _OF_WORKFLOW
    ),
    _history(
        _C.workflow_user_results,
        f"{_WORKFLOW}/runs/{{runId}}/userProcessingResults",
        _C.workflow_runs,
        _OF_RUN,
    ),
    _history(
        _C.workflow_task_results,
        f"{_WORKFLOW}/runs/{{runId}}/userProcessingResults/{{userProcessingResultId}}"
        "/taskProcessingResults",
        _C.workflow_user_results,
        (("workflowId", "workflowId"), ("runId", "runId"), ("userProcessingResultId", "id")),
    ),
    Endpoint(_C.domains, "domains", "Domain.Read.All", small=_SMALL),
    Endpoint(
        _C.authorization_policy,
        "policies/authorizationPolicy",
        "Policy.Read.All",
        ReadMode.singleton,
        small=_SMALL,
    ),
    Endpoint(
        _C.authentication_methods_policy,
        "policies/authenticationMethodsPolicy",
        "Policy.Read.All",
        ReadMode.singleton,
        small=_SMALL,
    ),
    Endpoint(
        _C.security_defaults_policy,
        "policies/identitySecurityDefaultsEnforcementPolicy",
        "Policy.Read.All",
        ReadMode.singleton,
        small=_SMALL,
    ),
    Endpoint(
        _C.admin_consent_request_policy,
        "policies/adminConsentRequestPolicy",
        "Policy.Read.All",
        ReadMode.singleton,
        small=_SMALL,
    ),
    Endpoint(
        _C.permission_grant_policies,
        "policies/permissionGrantPolicies",
        "Policy.Read.PermissionGrant",
        small=_SMALL,
    ),
    Endpoint(_C.group_settings, "groupSettings", "Directory.Read.All", small=_SMALL),
    Endpoint(
        _C.cross_tenant_access_default,
        "policies/crossTenantAccessPolicy/default",
        "Policy.Read.All",
        ReadMode.singleton,
        small=_SMALL,
    ),
    Endpoint(
        _C.cross_tenant_access_partners,
        "policies/crossTenantAccessPolicy/partners",
        "Policy.Read.All",
        small=_SMALL,
    ),
    Endpoint(
        _C.role_management_policies,
        "policies/roleManagementPolicies",
        "RoleManagementPolicy.Read.Directory",
        query=f"{_DIRECTORY_ROLE_SCOPE}&$expand=rules",
        small=_SMALL,
    ),
    Endpoint(
        _C.role_management_policy_assignments,
        "policies/roleManagementPolicyAssignments",
        "RoleManagementPolicy.Read.Directory",
        query=_DIRECTORY_ROLE_SCOPE,
        small=_SMALL,
    ),
    Endpoint(
        _C.authentication_strength_policies,
        "policies/authenticationStrengthPolicies",
        "Policy.Read.All",
        small=_SMALL,
    ),
    Endpoint(
        _C.default_app_management_policy,
        "policies/defaultAppManagementPolicy",
        "Policy.Read.All",
        ReadMode.singleton,
        small=_SMALL,
    ),
    Endpoint(_C.subscribed_skus, "subscribedSkus", "LicenseAssignment.Read.All", small=_SMALL),
    Endpoint(
        _C.administrative_units,
        "directory/administrativeUnits",
        "AdministrativeUnit.Read.All",
        query="$expand=members",
        small=_SMALL,
    ),
)
"""Every collection of the snapshot contract, in the order a sync reads them."""

BY_COLLECTION: dict[Collection, Endpoint] = {e.collection: e for e in ENDPOINTS}

NOT_SYNCED: dict[Collection, str] = {}
"""Collections of the contract a sync does not read (a snapshot folder may hold them), and why."""


def log_filter(endpoint: Endpoint, start: str, end: str) -> str:
    """The `$filter` of a log collection's time window `[start, end]` (both inclusive: the
    overlap with the last window is removed by id)."""
    field = endpoint.collection.event_time_field
    window = f"{field} ge {start} and {field} le {end}"
    return f"{window} and {endpoint.event_filter}" if endpoint.event_filter else window


def required_permissions() -> list[str]:
    """Every application permission a full sync asks for, once each, sorted."""
    return sorted({endpoint.permission for endpoint in ENDPOINTS})
