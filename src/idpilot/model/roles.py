"""Directory roles: definitions, active assignments and PIM eligibility."""

from __future__ import annotations

from idpilot.model.base import GraphEntity, GraphRecord
from idpilot.model.directory import DirectoryObject
from idpilot.model.values import Bool, Timestamp


class RolePermission(GraphRecord):
    """`unifiedRolePermission`: the resource actions a role allows."""

    allowed_resource_actions: list[str] | None = None
    excluded_resource_actions: list[str] | None = None
    condition: str | None = None


class UnifiedRoleDefinition(GraphEntity):
    """Graph `unifiedRoleDefinition` (a built-in or custom directory role)."""

    display_name: str | None = None
    description: str | None = None
    template_id: str | None = None
    version: str | None = None
    is_built_in: Bool = None
    is_enabled: Bool = None
    resource_scopes: list[str] | None = None
    role_permissions: list[RolePermission] | None = None


class UnifiedRoleAssignment(GraphEntity):
    """Graph `unifiedRoleAssignment`: an active role held at a scope."""

    principal_id: str | None = None
    role_definition_id: str | None = None
    directory_scope_id: str | None = None
    app_scope_id: str | None = None
    condition: str | None = None
    principal: DirectoryObject | None = None
    role_definition: UnifiedRoleDefinition | None = None


class ExpirationPattern(GraphRecord):
    """`expirationPattern`: when an eligibility ends (`noExpiration`, `afterDateTime`, ...)."""

    type: str | None = None
    end_date_time: Timestamp = None
    duration: str | None = None


class RequestSchedule(GraphRecord):
    """`requestSchedule`: when an eligibility starts and ends."""

    start_date_time: Timestamp = None
    expiration: ExpirationPattern | None = None


class UnifiedRoleEligibilitySchedule(GraphEntity):
    """Graph `unifiedRoleEligibilitySchedule`: a role a principal may activate through PIM."""

    principal_id: str | None = None
    role_definition_id: str | None = None
    directory_scope_id: str | None = None
    app_scope_id: str | None = None
    member_type: str | None = None
    status: str | None = None
    created_using: str | None = None
    created_date_time: Timestamp = None
    modified_date_time: Timestamp = None
    schedule_info: RequestSchedule | None = None
    principal: DirectoryObject | None = None
    role_definition: UnifiedRoleDefinition | None = None
