"""Typed records shaped like Microsoft Graph v1.0 (pydantic), no I/O, and two shared types.

`Record` (`records.py`) refers to one tenant object wherever idpilot cites or names one;
`TimeWindow` (`windows.py`) is a time window from the prompt's phrase to SQL parameters.

Every model reads a Graph object as Graph returns it and serialises back to the same object
(`model_dump(by_alias=True, exclude_unset=True)`): camelCase aliases, unknown properties kept in
`model_extra`, evolvable enums (`Open[...]`) keep values they do not know as strings, timestamps
are aware datetimes that remember Graph's text, and documentation placeholders ("Boolean") in
typed fields read as None (`GraphRecord.placeholders` keeps them).

Names are re-exported lazily (PEP 562): importing `idpilot.model.enums` does not build every
Graph record model, which keeps a cold `idpilot ask` short.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from idpilot.model.applications import (
        Application,
        AppRole,
        AppRoleAssignment,
        KeyCredential,
        OAuth2PermissionGrant,
        PasswordCredential,
        PermissionScope,
        RequiredResourceAccess,
        ResourceAccess,
        ServicePrincipal,
    )
    from idpilot.model.audits import (
        AuditActivityInitiator,
        AuditAppIdentity,
        AuditUserIdentity,
        DirectoryAudit,
        KeyValue,
        ModifiedProperty,
        TargetResource,
    )
    from idpilot.model.base import ODATA_TYPE, GraphEntity, GraphRecord
    from idpilot.model.collections import Collection
    from idpilot.model.directory import (
        AssignedLicense,
        DirectoryObject,
        Domain,
        Group,
        ObjectIdentity,
        Organization,
        SignInActivity,
        User,
        VerifiedDomain,
    )
    from idpilot.model.enums import (
        AppliedConditionalAccessPolicyResult,
        AuthenticationRequirement,
        ConditionalAccessPolicyState,
        ConditionalAccessStatus,
        ConsentType,
        CountryLookupMethod,
        DetectionTimingType,
        OperationResult,
        RiskActivity,
        RiskDetail,
        RiskEventType,
        RiskLevel,
        RiskState,
        ServicePrincipalType,
        SignInAudience,
        SignInUserType,
        TokenIssuerType,
        UserType,
        WorkflowCategory,
    )
    from idpilot.model.governance import (
        UserRegistrationDetails,
        Workflow,
        WorkflowTask,
        WorkflowTaskArgument,
    )
    from idpilot.model.policies import (
        COUNTRY_NAMED_LOCATION,
        IP_NAMED_LOCATION,
        ConditionalAccessPolicy,
        IpRange,
        NamedLocation,
    )
    from idpilot.model.records import Record
    from idpilot.model.registry import parse_record, record_model
    from idpilot.model.risk import (
        RiskDetection,
        RiskyServicePrincipal,
        RiskyUser,
        ServicePrincipalRiskDetection,
    )
    from idpilot.model.roles import (
        ExpirationPattern,
        RequestSchedule,
        RolePermission,
        UnifiedRoleAssignment,
        UnifiedRoleDefinition,
        UnifiedRoleEligibilitySchedule,
    )
    from idpilot.model.sign_ins import (
        AppliedConditionalAccessPolicy,
        DeviceDetail,
        GeoCoordinates,
        MfaDetail,
        SignIn,
        SignInLocation,
        SignInStatus,
    )
    from idpilot.model.values import (
        Bool,
        Float,
        GraphDateTime,
        Int,
        Open,
        Timestamp,
        is_placeholder,
        parse_graph_datetime,
    )
    from idpilot.model.windows import TimeWindow

# Each public name -> the module that defines it.
_SOURCES = {
    "Application": "idpilot.model.applications",
    "AppRole": "idpilot.model.applications",
    "AppRoleAssignment": "idpilot.model.applications",
    "KeyCredential": "idpilot.model.applications",
    "OAuth2PermissionGrant": "idpilot.model.applications",
    "PasswordCredential": "idpilot.model.applications",
    "PermissionScope": "idpilot.model.applications",
    "RequiredResourceAccess": "idpilot.model.applications",
    "ResourceAccess": "idpilot.model.applications",
    "ServicePrincipal": "idpilot.model.applications",
    "AuditActivityInitiator": "idpilot.model.audits",
    "AuditAppIdentity": "idpilot.model.audits",
    "AuditUserIdentity": "idpilot.model.audits",
    "DirectoryAudit": "idpilot.model.audits",
    "KeyValue": "idpilot.model.audits",
    "ModifiedProperty": "idpilot.model.audits",
    "TargetResource": "idpilot.model.audits",
    "ODATA_TYPE": "idpilot.model.base",
    "GraphEntity": "idpilot.model.base",
    "GraphRecord": "idpilot.model.base",
    "Collection": "idpilot.model.collections",
    "AssignedLicense": "idpilot.model.directory",
    "DirectoryObject": "idpilot.model.directory",
    "Domain": "idpilot.model.directory",
    "Group": "idpilot.model.directory",
    "ObjectIdentity": "idpilot.model.directory",
    "Organization": "idpilot.model.directory",
    "SignInActivity": "idpilot.model.directory",
    "User": "idpilot.model.directory",
    "VerifiedDomain": "idpilot.model.directory",
    "AppliedConditionalAccessPolicyResult": "idpilot.model.enums",
    "AuthenticationRequirement": "idpilot.model.enums",
    "ConditionalAccessPolicyState": "idpilot.model.enums",
    "ConditionalAccessStatus": "idpilot.model.enums",
    "ConsentType": "idpilot.model.enums",
    "CountryLookupMethod": "idpilot.model.enums",
    "DetectionTimingType": "idpilot.model.enums",
    "OperationResult": "idpilot.model.enums",
    "RiskActivity": "idpilot.model.enums",
    "RiskDetail": "idpilot.model.enums",
    "RiskEventType": "idpilot.model.enums",
    "RiskLevel": "idpilot.model.enums",
    "RiskState": "idpilot.model.enums",
    "ServicePrincipalType": "idpilot.model.enums",
    "SignInAudience": "idpilot.model.enums",
    "SignInUserType": "idpilot.model.enums",
    "TokenIssuerType": "idpilot.model.enums",
    "UserType": "idpilot.model.enums",
    "WorkflowCategory": "idpilot.model.enums",
    "UserRegistrationDetails": "idpilot.model.governance",
    "Workflow": "idpilot.model.governance",
    "WorkflowTask": "idpilot.model.governance",
    "WorkflowTaskArgument": "idpilot.model.governance",
    "COUNTRY_NAMED_LOCATION": "idpilot.model.policies",
    "IP_NAMED_LOCATION": "idpilot.model.policies",
    "ConditionalAccessPolicy": "idpilot.model.policies",
    "IpRange": "idpilot.model.policies",
    "NamedLocation": "idpilot.model.policies",
    "Record": "idpilot.model.records",
    "parse_record": "idpilot.model.registry",
    "record_model": "idpilot.model.registry",
    "RiskDetection": "idpilot.model.risk",
    "RiskyServicePrincipal": "idpilot.model.risk",
    "RiskyUser": "idpilot.model.risk",
    "ServicePrincipalRiskDetection": "idpilot.model.risk",
    "ExpirationPattern": "idpilot.model.roles",
    "RequestSchedule": "idpilot.model.roles",
    "RolePermission": "idpilot.model.roles",
    "UnifiedRoleAssignment": "idpilot.model.roles",
    "UnifiedRoleDefinition": "idpilot.model.roles",
    "UnifiedRoleEligibilitySchedule": "idpilot.model.roles",
    "AppliedConditionalAccessPolicy": "idpilot.model.sign_ins",
    "DeviceDetail": "idpilot.model.sign_ins",
    "GeoCoordinates": "idpilot.model.sign_ins",
    "MfaDetail": "idpilot.model.sign_ins",
    "SignIn": "idpilot.model.sign_ins",
    "SignInLocation": "idpilot.model.sign_ins",
    "SignInStatus": "idpilot.model.sign_ins",
    "Bool": "idpilot.model.values",
    "Float": "idpilot.model.values",
    "GraphDateTime": "idpilot.model.values",
    "Int": "idpilot.model.values",
    "Open": "idpilot.model.values",
    "Timestamp": "idpilot.model.values",
    "is_placeholder": "idpilot.model.values",
    "parse_graph_datetime": "idpilot.model.values",
    "TimeWindow": "idpilot.model.windows",
}


def __getattr__(name: str) -> Any:
    """Import a re-exported name from its module on first use."""
    module = _SOURCES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__all__ = [
    "COUNTRY_NAMED_LOCATION",
    "IP_NAMED_LOCATION",
    "ODATA_TYPE",
    "AppRole",
    "AppRoleAssignment",
    "Application",
    "AppliedConditionalAccessPolicy",
    "AppliedConditionalAccessPolicyResult",
    "AssignedLicense",
    "AuditActivityInitiator",
    "AuditAppIdentity",
    "AuditUserIdentity",
    "AuthenticationRequirement",
    "Bool",
    "Collection",
    "ConditionalAccessPolicy",
    "ConditionalAccessPolicyState",
    "ConditionalAccessStatus",
    "ConsentType",
    "CountryLookupMethod",
    "DetectionTimingType",
    "DeviceDetail",
    "DirectoryAudit",
    "DirectoryObject",
    "Domain",
    "ExpirationPattern",
    "Float",
    "GeoCoordinates",
    "GraphDateTime",
    "GraphEntity",
    "GraphRecord",
    "Group",
    "Int",
    "IpRange",
    "KeyCredential",
    "KeyValue",
    "MfaDetail",
    "ModifiedProperty",
    "NamedLocation",
    "OAuth2PermissionGrant",
    "ObjectIdentity",
    "Open",
    "OperationResult",
    "Organization",
    "PasswordCredential",
    "PermissionScope",
    "Record",
    "RequestSchedule",
    "RequiredResourceAccess",
    "ResourceAccess",
    "RiskActivity",
    "RiskDetail",
    "RiskDetection",
    "RiskEventType",
    "RiskLevel",
    "RiskState",
    "RiskyServicePrincipal",
    "RiskyUser",
    "RolePermission",
    "ServicePrincipal",
    "ServicePrincipalRiskDetection",
    "ServicePrincipalType",
    "SignIn",
    "SignInActivity",
    "SignInAudience",
    "SignInLocation",
    "SignInStatus",
    "SignInUserType",
    "TargetResource",
    "TimeWindow",
    "Timestamp",
    "TokenIssuerType",
    "UnifiedRoleAssignment",
    "UnifiedRoleDefinition",
    "UnifiedRoleEligibilitySchedule",
    "User",
    "UserRegistrationDetails",
    "UserType",
    "VerifiedDomain",
    "Workflow",
    "WorkflowCategory",
    "WorkflowTask",
    "WorkflowTaskArgument",
    "is_placeholder",
    "parse_graph_datetime",
    "parse_record",
    "record_model",
]
