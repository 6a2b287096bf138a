"""Graph `directoryAudit`: who did what to which directory objects."""

from __future__ import annotations

from idpilot.model.base import GraphEntity, GraphRecord
from idpilot.model.enums import OperationResult
from idpilot.model.values import Open, Timestamp


class AuditUserIdentity(GraphRecord):
    """`userIdentity` of an audit initiator."""

    id: str | None = None
    display_name: str | None = None
    user_principal_name: str | None = None
    ip_address: str | None = None


class AuditAppIdentity(GraphRecord):
    """`appIdentity` of an audit initiator."""

    app_id: str | None = None
    display_name: str | None = None
    service_principal_id: str | None = None
    service_principal_name: str | None = None


class AuditActivityInitiator(GraphRecord):
    """`auditActivityInitiator`: the user or the app that performed the activity."""

    user: AuditUserIdentity | None = None
    app: AuditAppIdentity | None = None


class ModifiedProperty(GraphRecord):
    """`modifiedProperty`: a property's old and new value (JSON text, as Graph writes them)."""

    display_name: str | None = None
    old_value: str | None = None
    new_value: str | None = None


class TargetResource(GraphRecord):
    """`targetResource`: an object the activity changed."""

    id: str | None = None
    display_name: str | None = None
    type: str | None = None
    user_principal_name: str | None = None
    group_type: str | None = None
    modified_properties: list[ModifiedProperty] | None = None


class KeyValue(GraphRecord):
    """`keyValue`."""

    key: str | None = None
    value: str | None = None


class DirectoryAudit(GraphEntity):
    """Graph `directoryAudit`."""

    activity_date_time: Timestamp = None
    activity_display_name: str | None = None
    category: str | None = None
    correlation_id: str | None = None
    logged_by_service: str | None = None
    operation_type: str | None = None
    result: Open[OperationResult] | None = None
    result_reason: str | None = None
    initiated_by: AuditActivityInitiator | None = None
    target_resources: list[TargetResource] | None = None
    additional_details: list[KeyValue] | None = None
