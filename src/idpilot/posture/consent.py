"""Application registration and consent settings (CISA SCuBA MS.AAD.5.x)."""

from __future__ import annotations

from idpilot.model.collections import Collection
from idpilot.model.tenant_policies import AuthorizationPolicy, GroupSetting
from idpilot.posture.base import Baseline, Outcome, check, failed_if, passed, unknown
from idpilot.posture.cis_controls import cis_control, cis_ids
from idpilot.posture.data import PostureData
from idpilot.posture.tenant_settings import setting_record
from idpilot.security.severity import Severity

AUTHORIZATION = Collection.authorization_policy
ADMIN_CONSENT = Collection.admin_consent_request_policy
GROUP_SETTINGS = Collection.group_settings
USER_CONSENT_PREFIX = "ManagePermissionGrantsForSelf."
"""Permission grant policies assigned to the default user role that let users consent."""
LOW_IMPACT_CONSENT = "ManagePermissionGrantsForSelf.microsoft-user-default-low"
"""User consent for verified publishers' apps asking only permissions classified low."""
PERMISSION_CLASSIFICATIONS = "servicePrincipals.delegatedPermissionClassifications"
"""Which delegated permissions the tenant classifies low (not in a snapshot)."""
CONSENT_SETTINGS_TEMPLATE = "dffd5d46-495d-40a9-8e21-954ff55e198a"
"""The "Consent Policy Settings" directory setting template."""


def _authorization(data: PostureData) -> AuthorizationPolicy | Outcome:
    return data.settings.singleton(AUTHORIZATION)


@check(
    "IDP-CON-001",
    "Only administrators can register applications",
    Severity.medium,
    Baseline.cisa_scuba,
    "MS.AAD.5.1v1 Only administrators SHALL be allowed to register applications",
    "Set 'Users can register applications' to No (authorizationPolicy "
    "defaultUserRolePermissions.allowedToCreateApps = false); developers get the Application "
    "Developer role.",
    controls=("MS.AAD.5.1v1", *cis_ids("5.1.2.2")),
)
def users_cannot_register_apps(data: PostureData) -> Outcome:
    policy = _authorization(data)
    if isinstance(policy, Outcome):
        return policy
    permissions = policy.default_user_role_permissions
    allowed = permissions.allowed_to_create_apps if permissions else None
    if allowed is None:
        return unknown([f"{AUTHORIZATION.value}.defaultUserRolePermissions.allowedToCreateApps"])
    record = setting_record(AUTHORIZATION, policy, f"allowedToCreateApps: {str(allowed).lower()}",
                            {"allowedToCreateApps": allowed})  # fmt: skip
    if allowed:
        return failed_if([record], "every user can register applications")
    return passed("users cannot register applications", [record])


@check(
    "IDP-CON-002",
    "Users cannot consent to applications",
    Severity.high,
    Baseline.cisa_scuba,
    "MS.AAD.5.2v1 Only administrators SHALL be allowed to consent to applications",
    "Set user consent to 'Do not allow user consent' (remove the ManagePermissionGrantsForSelf "
    "policies from the default user role) and enable the admin consent workflow.",
    controls=("MS.AAD.5.2v1", *cis_ids("5.1.5.1")),
)
def users_cannot_consent(data: PostureData) -> Outcome:
    policy = _authorization(data)
    if isinstance(policy, Outcome):
        return policy
    permissions = policy.default_user_role_permissions
    assigned = permissions.permission_grant_policies_assigned if permissions else None
    if assigned is None:
        return unknown(
            [f"{AUTHORIZATION.value}.defaultUserRolePermissions.permissionGrantPoliciesAssigned"]
        )
    consenting = sorted(p for p in assigned if p.startswith(USER_CONSENT_PREFIX))
    record = setting_record(
        AUTHORIZATION, policy, ", ".join(consenting) or "no user consent policy assigned",
        {"permissionGrantPoliciesAssigned": assigned},
    )  # fmt: skip
    if consenting == [LOW_IMPACT_CONSENT]:
        # SCuBA's option 2: verified publishers, permissions classified low. Whether the low
        # classification holds only harmless permissions is not in the snapshot.
        return unknown(
            [PERMISSION_CLASSIFICATIONS],
            "users may consent to permissions classified low; not in the snapshot: "
            + PERMISSION_CLASSIFICATIONS,
        )
    if consenting:
        return failed_if([record], "users may consent: " + ", ".join(consenting))
    return passed("no user consent policy is assigned to the default user role", [record])


@check(
    "IDP-CON-003",
    "The admin consent workflow is enabled with reviewers",
    Severity.medium,
    Baseline.cisa_scuba,
    "MS.AAD.5.3v1 An admin consent workflow SHALL be configured for applications",
    "Enable admin consent requests (Enterprise applications > Consent and permissions > Admin "
    "consent settings) and name the reviewers.",
    controls=("MS.AAD.5.3v1", *cis_ids("5.1.5.2")),
)
def admin_consent_workflow(data: PostureData) -> Outcome:
    lacking = data.settings.require(ADMIN_CONSENT)
    if lacking is not None:
        return lacking
    policy = data.settings.one(ADMIN_CONSENT)
    if policy is None or policy.is_enabled is None:
        return unknown([f"{ADMIN_CONSENT.value}.isEnabled"])
    reviewers = policy.reviewers or []
    record = setting_record(
        ADMIN_CONSENT, policy,
        f"isEnabled: {str(policy.is_enabled).lower()}, {len(reviewers)} reviewer(s)",
        {"isEnabled": policy.is_enabled, "reviewers": len(reviewers)},
        label="Admin consent request policy",
    )  # fmt: skip
    if policy.is_enabled and reviewers:
        return passed("admin consent requests go to named reviewers", [record])
    return failed_if([record], "admin consent workflow off or without reviewers")


@check(
    "IDP-CON-004",
    "Group owners cannot consent to applications for their groups",
    Severity.medium,
    Baseline.cisa_scuba,
    "MS.AAD.5.4v1 Group owners SHALL NOT be allowed to consent to applications",
    "Set EnableGroupSpecificConsent to false in the Consent Policy Settings directory setting.",
)
def group_owners_cannot_consent(data: PostureData) -> Outcome:
    lacking = data.settings.require(GROUP_SETTINGS)
    if lacking is not None:
        return lacking
    consent: GroupSetting | None = next(
        (
            s
            for s in data.settings.all(GROUP_SETTINGS)
            if s.template_id == CONSENT_SETTINGS_TEMPLATE
        ),
        None,
    )
    value = consent.value("EnableGroupSpecificConsent") if consent else None
    if consent is None or value is None:
        return unknown(
            [f"{GROUP_SETTINGS.value}[Consent Policy Settings].EnableGroupSpecificConsent"]
        )
    record = setting_record(GROUP_SETTINGS, consent, f"EnableGroupSpecificConsent: {value}",
                            {"EnableGroupSpecificConsent": value})  # fmt: skip
    if value.strip().lower() == "false":
        return passed("group-specific consent is off", [record])
    return failed_if([record], "group owners may consent to apps")


@check(
    "IDP-CON-005",
    "Non-admin users cannot create tenants",
    Severity.medium,
    Baseline.cis,
    cis_control("5.1.2.3"),
    "Set 'Restrict non-admin users from creating tenants' to Yes (authorizationPolicy "
    "defaultUserRolePermissions.allowedToCreateTenants = false).",
    controls=cis_ids("5.1.2.3"),
)
def users_cannot_create_tenants(data: PostureData) -> Outcome:
    """`allowedToCreateTenants` false in the default user role permissions."""
    policy = _authorization(data)
    if isinstance(policy, Outcome):
        return policy
    permissions = policy.default_user_role_permissions
    allowed = permissions.allowed_to_create_tenants if permissions else None
    if allowed is None:
        return unknown([f"{AUTHORIZATION.value}.defaultUserRolePermissions.allowedToCreateTenants"])
    said = f"allowedToCreateTenants: {str(allowed).lower()}"
    record = setting_record(AUTHORIZATION, policy, said, {"allowedToCreateTenants": allowed})
    if allowed:
        return failed_if([record], "every user can create tenants")
    return passed("users cannot create tenants", [record])
