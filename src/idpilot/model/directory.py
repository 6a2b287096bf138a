"""Directory objects: users, groups, the organization and its domains."""

from __future__ import annotations

from idpilot.model.base import GraphEntity, GraphRecord
from idpilot.model.enums import UserType
from idpilot.model.values import Bool, Int, Open, Timestamp


class DirectoryObject(GraphEntity):
    """A `directoryObject` as `$expand` returns it (member, owner, manager, principal)."""

    display_name: str | None = None
    user_principal_name: str | None = None
    app_id: str | None = None


class AssignedLicense(GraphRecord):
    """`assignedLicense`: a licence (SKU) and the service plans disabled in it."""

    sku_id: str | None = None
    disabled_plans: list[str] | None = None


class SignInActivity(GraphRecord):
    """`signInActivity`: when the user last signed in (interactive, non-interactive, success)."""

    last_sign_in_date_time: Timestamp = None
    last_sign_in_request_id: str | None = None
    last_non_interactive_sign_in_date_time: Timestamp = None
    last_non_interactive_sign_in_request_id: str | None = None
    last_successful_sign_in_date_time: Timestamp = None
    last_successful_sign_in_request_id: str | None = None


class ObjectIdentity(GraphRecord):
    """`objectIdentity`: one way the user signs in (issuer and the id it assigned)."""

    sign_in_type: str | None = None
    issuer: str | None = None
    issuer_assigned_id: str | None = None


class User(GraphEntity):
    """Graph `user`."""

    display_name: str | None = None
    user_principal_name: str | None = None
    mail: str | None = None
    given_name: str | None = None
    surname: str | None = None
    job_title: str | None = None
    department: str | None = None
    office_location: str | None = None
    city: str | None = None
    country: str | None = None
    usage_location: str | None = None
    company_name: str | None = None
    employee_id: str | None = None
    mobile_phone: str | None = None
    business_phones: list[str] | None = None
    preferred_language: str | None = None
    account_enabled: Bool = None
    user_type: Open[UserType] | None = None
    created_date_time: Timestamp = None
    deleted_date_time: Timestamp = None
    external_user_state: str | None = None
    on_premises_sync_enabled: Bool = None
    on_premises_sam_account_name: str | None = None
    on_premises_last_sync_date_time: Timestamp = None
    proxy_addresses: list[str] | None = None
    other_mails: list[str] | None = None
    identities: list[ObjectIdentity] | None = None
    assigned_licenses: list[AssignedLicense] | None = None
    sign_in_activity: SignInActivity | None = None
    manager: DirectoryObject | None = None


class Group(GraphEntity):
    """Graph `group` (with `members` and `owners` when listed with `$expand`)."""

    display_name: str | None = None
    description: str | None = None
    mail: str | None = None
    mail_enabled: Bool = None
    mail_nickname: str | None = None
    security_enabled: Bool = None
    group_types: list[str] | None = None
    membership_rule: str | None = None
    membership_rule_processing_state: str | None = None
    is_assignable_to_role: Bool = None
    visibility: str | None = None
    classification: str | None = None
    created_date_time: Timestamp = None
    deleted_date_time: Timestamp = None
    expiration_date_time: Timestamp = None
    renewed_date_time: Timestamp = None
    on_premises_sync_enabled: Bool = None
    proxy_addresses: list[str] | None = None
    members: list[DirectoryObject] | None = None
    owners: list[DirectoryObject] | None = None


class VerifiedDomain(GraphRecord):
    """`verifiedDomain` of an organization."""

    name: str | None = None
    type: str | None = None
    capabilities: str | None = None
    is_default: Bool = None
    is_initial: Bool = None


class Organization(GraphEntity):
    """Graph `organization`: the tenant itself."""

    display_name: str | None = None
    tenant_type: str | None = None
    country_letter_code: str | None = None
    created_date_time: Timestamp = None
    on_premises_sync_enabled: Bool = None
    verified_domains: list[VerifiedDomain] | None = None


class Domain(GraphEntity):
    """Graph `domain` (its `id` is the domain name)."""

    authentication_type: str | None = None
    is_default: Bool = None
    is_initial: Bool = None
    is_verified: Bool = None
    is_root: Bool = None
    is_admin_managed: Bool = None
    supported_services: list[str] | None = None
    password_validity_period_in_days: Int = None
    password_notification_window_in_days: Int = None


class AdministrativeUnit(GraphEntity):
    """Graph `administrativeUnit`, with `members` as `$expand=members` returns them."""

    display_name: str | None = None
    description: str | None = None
    visibility: str | None = None
    membership_type: str | None = None
    membership_rule: str | None = None
    membership_rule_processing_state: str | None = None
    is_member_management_restricted: Bool = None
    deleted_date_time: Timestamp = None
    members: list[DirectoryObject] | None = None
