"""Applications, service principals, their credentials, roles and grants."""

from __future__ import annotations

from typing import Any

from idpilot.model.base import GraphEntity, GraphRecord
from idpilot.model.directory import DirectoryObject
from idpilot.model.enums import ConsentType, ServicePrincipalType, SignInAudience
from idpilot.model.values import Bool, Open, Timestamp


class PasswordCredential(GraphRecord):
    """`passwordCredential`: a client secret (the secret itself is never returned)."""

    key_id: str | None = None
    display_name: str | None = None
    hint: str | None = None
    custom_key_identifier: str | None = None
    secret_text: str | None = None
    start_date_time: Timestamp = None
    end_date_time: Timestamp = None


class KeyCredential(GraphRecord):
    """`keyCredential`: a certificate or key."""

    key_id: str | None = None
    display_name: str | None = None
    custom_key_identifier: str | None = None
    type: str | None = None
    usage: str | None = None
    key: str | None = None
    start_date_time: Timestamp = None
    end_date_time: Timestamp = None


class AppRole(GraphRecord):
    """`appRole`: a role an application defines (assignable to users, groups or apps)."""

    id: str | None = None
    allowed_member_types: list[str] | None = None
    description: str | None = None
    display_name: str | None = None
    is_enabled: Bool = None
    origin: str | None = None
    value: str | None = None


class PermissionScope(GraphRecord):
    """`permissionScope`: a delegated permission an API exposes."""

    id: str | None = None
    admin_consent_description: str | None = None
    admin_consent_display_name: str | None = None
    user_consent_description: str | None = None
    user_consent_display_name: str | None = None
    is_enabled: Bool = None
    type: str | None = None
    value: str | None = None


class ResourceAccess(GraphRecord):
    """`resourceAccess`: one permission an application requires (`Scope` or `Role`)."""

    id: str | None = None
    type: str | None = None


class RequiredResourceAccess(GraphRecord):
    """`requiredResourceAccess`: the permissions an application requires from one API."""

    resource_app_id: str | None = None
    resource_access: list[ResourceAccess] | None = None


class Application(GraphEntity):
    """Graph `application` (the app registration)."""

    app_id: str | None = None
    display_name: str | None = None
    description: str | None = None
    sign_in_audience: Open[SignInAudience] | None = None
    publisher_domain: str | None = None
    created_date_time: Timestamp = None
    deleted_date_time: Timestamp = None
    identifier_uris: list[str] | None = None
    tags: list[str] | None = None
    app_roles: list[AppRole] | None = None
    password_credentials: list[PasswordCredential] | None = None
    key_credentials: list[KeyCredential] | None = None
    required_resource_access: list[RequiredResourceAccess] | None = None
    owners: list[DirectoryObject] | None = None


class ServicePrincipal(GraphEntity):
    """Graph `servicePrincipal` (an application's identity in this tenant)."""

    app_id: str | None = None
    display_name: str | None = None
    app_display_name: str | None = None
    service_principal_type: Open[ServicePrincipalType] | None = None
    app_owner_organization_id: str | None = None
    account_enabled: Bool = None
    app_role_assignment_required: Bool = None
    publisher_name: str | None = None
    sign_in_audience: Open[SignInAudience] | None = None
    homepage: str | None = None
    logout_url: str | None = None
    deleted_date_time: Timestamp = None
    service_principal_names: list[str] | None = None
    reply_urls: list[str] | None = None
    tags: list[str] | None = None
    info: dict[str, Any] | None = None
    app_roles: list[AppRole] | None = None
    oauth2_permission_scopes: list[PermissionScope] | None = None
    password_credentials: list[PasswordCredential] | None = None
    key_credentials: list[KeyCredential] | None = None
    owners: list[DirectoryObject] | None = None


class AppRoleAssignment(GraphEntity):
    """Graph `appRoleAssignment`: an app role granted to a user, group or service principal."""

    app_role_id: str | None = None
    principal_id: str | None = None
    principal_type: str | None = None
    principal_display_name: str | None = None
    resource_id: str | None = None
    resource_display_name: str | None = None
    created_date_time: Timestamp = None
    deleted_date_time: Timestamp = None


class OAuth2PermissionGrant(GraphEntity):
    """Graph `oAuth2PermissionGrant`: delegated permissions consented for a client app."""

    client_id: str | None = None
    consent_type: Open[ConsentType] | None = None
    principal_id: str | None = None
    resource_id: str | None = None
    scope: str | None = None

    @property
    def scopes(self) -> list[str]:
        """The granted delegated permissions (Graph writes them space-separated)."""
        return (self.scope or "").split()
