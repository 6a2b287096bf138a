"""Authentication-method registration and lifecycle workflows."""

from __future__ import annotations

from typing import Any

from idpilot.model.base import GraphEntity, GraphRecord
from idpilot.model.enums import SignInUserType, WorkflowCategory
from idpilot.model.values import Bool, Int, Open, Timestamp


class UserRegistrationDetails(GraphEntity):
    """Graph `userRegistrationDetails`: which authentication methods a user has registered."""

    user_principal_name: str | None = None
    user_display_name: str | None = None
    user_type: Open[SignInUserType] | None = None
    is_admin: Bool = None
    is_mfa_registered: Bool = None
    is_mfa_capable: Bool = None
    is_passwordless_capable: Bool = None
    is_sspr_registered: Bool = None
    is_sspr_enabled: Bool = None
    is_sspr_capable: Bool = None
    is_system_preferred_authentication_method_enabled: Bool = None
    methods_registered: list[str] | None = None
    system_preferred_authentication_methods: list[str] | None = None
    user_preferred_method_for_secondary_authentication: str | None = None
    default_mfa_method: str | None = None
    last_updated_date_time: Timestamp = None


class WorkflowTaskArgument(GraphRecord):
    """`keyValuePair` argument of a workflow task."""

    name: str | None = None
    value: str | None = None


class WorkflowTask(GraphEntity):
    """Lifecycle workflows `task`."""

    display_name: str | None = None
    description: str | None = None
    category: str | None = None
    task_definition_id: str | None = None
    execution_sequence: Int = None
    is_enabled: Bool = None
    continue_on_error: Bool = None
    arguments: list[WorkflowTaskArgument] | None = None


class Workflow(GraphEntity):
    """Lifecycle workflows `workflow` (joiner, mover, leaver)."""

    display_name: str | None = None
    description: str | None = None
    category: Open[WorkflowCategory] | None = None
    is_enabled: Bool = None
    is_scheduling_enabled: Bool = None
    version: Int = None
    created_date_time: Timestamp = None
    last_modified_date_time: Timestamp = None
    deleted_date_time: Timestamp = None
    next_schedule_run_date_time: Timestamp = None
    execution_conditions: dict[str, Any] | None = None
    tasks: list[WorkflowTask] | None = None
