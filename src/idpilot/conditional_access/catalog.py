"""Fixed Microsoft vocabulary the engine needs: app groups, strengths, controls, trust types."""

from __future__ import annotations

from enum import StrEnum

# --- Application groups -------------------------------------------------------------------------
# Only ids we are sure of; Microsoft's full "Office 365" group is larger and changes over time.
OFFICE_365_APP_IDS: frozenset[str] = frozenset(
    {
        "00000002-0000-0ff1-ce00-000000000000",  # Office 365 Exchange Online
        "00000003-0000-0ff1-ce00-000000000000",  # Office 365 SharePoint Online
        "00000004-0000-0ff1-ce00-000000000000",  # Skype for Business Online
        "00000005-0000-0ff1-ce00-000000000000",  # Yammer
        "1fec8e78-bce4-4aaf-ab1b-5451cc387264",  # Microsoft Teams
        "cc15fd57-2c6c-4117-a88c-83b1d56b4bbe",  # Microsoft Teams Services
        "5e3ce6c0-2b1f-4285-8d4b-75ee78787346",  # Microsoft Teams Web Client
        "d3590ed6-52b3-4102-aeff-aad2292ab01c",  # Microsoft Office (desktop/mobile apps)
        "4765445b-32c6-49b0-83e6-1d93765276ca",  # OfficeHome (Office 365 portal)
        "27922004-5251-4030-b22d-91ecd9a37ea4",  # Outlook Mobile
        "ab9b8c07-8f02-4f72-87fa-80105867a763",  # OneDrive SyncEngine
    }
)
"""App ids the `Office365` target stands for (a documented subset of Microsoft's group)."""

MICROSOFT_ADMIN_PORTALS_APP_IDS: frozenset[str] = frozenset(
    {
        "c44b4083-3bb0-49c1-b47d-974e53cbdf3c",  # Azure portal, also Microsoft Entra admin center
        "00000006-0000-0ff1-ce00-000000000000",  # Microsoft 365 admin center (Office 365 Portal)
        "497effe9-df71-4043-a8bb-14cf78c4b63b",  # Exchange admin center
    }
)
"""App ids the `MicrosoftAdminPortals` target stands for (a documented subset)."""


class ApplicationTarget(StrEnum):
    """Special values of includeApplications / excludeApplications."""

    all = "All"
    none = "None"
    office365 = "Office365"
    microsoft_admin_portals = "MicrosoftAdminPortals"


APP_GROUPS: dict[str, frozenset[str]] = {
    ApplicationTarget.office365.value.lower(): OFFICE_365_APP_IDS,
    ApplicationTarget.microsoft_admin_portals.value.lower(): MICROSOFT_ADMIN_PORTALS_APP_IDS,
}
"""Lower-cased group name -> member app ids."""

# --- Authentication strengths -------------------------------------------------------------------
MFA_STRENGTH_ID = "00000000-0000-0000-0000-000000000002"
PASSWORDLESS_MFA_STRENGTH_ID = "00000000-0000-0000-0000-000000000003"
PHISHING_RESISTANT_MFA_STRENGTH_ID = "00000000-0000-0000-0000-000000000004"

BUILT_IN_STRENGTH_NAMES: dict[str, str] = {
    MFA_STRENGTH_ID: "Multifactor authentication",
    PASSWORDLESS_MFA_STRENGTH_ID: "Passwordless MFA",
    PHISHING_RESISTANT_MFA_STRENGTH_ID: "Phishing-resistant MFA",
}

STRONGER_STRENGTHS: dict[str, frozenset[str]] = {
    MFA_STRENGTH_ID: frozenset(
        {MFA_STRENGTH_ID, PASSWORDLESS_MFA_STRENGTH_ID, PHISHING_RESISTANT_MFA_STRENGTH_ID}
    ),
    PASSWORDLESS_MFA_STRENGTH_ID: frozenset(
        {PASSWORDLESS_MFA_STRENGTH_ID, PHISHING_RESISTANT_MFA_STRENGTH_ID}
    ),
    PHISHING_RESISTANT_MFA_STRENGTH_ID: frozenset({PHISHING_RESISTANT_MFA_STRENGTH_ID}),
}
"""Built-in strength id -> strengths that satisfy it (itself and every stronger one).

Phishing-resistant MFA methods are a subset of passwordless MFA methods, which are a subset
of all MFA methods, so a stronger built-in strength satisfies a weaker one.
"""

# --- Satisfied-control vocabulary (SignInContext.satisfied_controls) ----------------------------
MFA_CONTROL = "mfa"
STRENGTH_PREFIX = "authenticationStrength:"
TERMS_OF_USE_PREFIX = "termsOfUse:"
CUSTOM_FACTOR_PREFIX = "customAuthenticationFactor:"


class BuiltInControl(StrEnum):
    """Graph `conditionalAccessGrantControl` values."""

    block = "block"
    mfa = "mfa"
    compliant_device = "compliantDevice"
    domain_joined_device = "domainJoinedDevice"
    approved_application = "approvedApplication"
    compliant_application = "compliantApplication"
    password_change = "passwordChange"
    unknown_future_value = "unknownFutureValue"


ENFORCED_GRANT_CONTROL_NAMES: dict[str, str] = {
    BuiltInControl.block: "Block",
    BuiltInControl.mfa: "Mfa",
    BuiltInControl.compliant_device: "RequireCompliantDevice",
    BuiltInControl.domain_joined_device: "RequireDomainJoinedDevice",
    BuiltInControl.approved_application: "RequireApprovedApp",
    BuiltInControl.compliant_application: "RequireCompliantApp",
    BuiltInControl.password_change: "PasswordChange",
}
"""builtInControls value -> the string sign-ins record in enforcedGrantControls."""

AUTHENTICATION_STRENGTH_ENFORCED_NAME = "RequireAuthenticationStrength"
TERMS_OF_USE_ENFORCED_NAME = "TermsOfUse"

INTERACTIVE_CONTROLS: frozenset[str] = frozenset(
    {BuiltInControl.mfa, BuiltInControl.password_change}
)
"""Built-in controls a user satisfies by interacting (prompts); terms of use, custom factors and
authentication strengths are interactive too. Block and device/app controls are not."""

ENFORCED_SESSION_CONTROL_NAMES: dict[str, str] = {
    "applicationEnforcedRestrictions": "AppEnforcedRestrictions",
    "cloudAppSecurity": "CloudAppSecurity",
    "signInFrequency": "SignInFrequency",
    "persistentBrowser": "PersistentBrowserSessionMode",
    "continuousAccessEvaluation": "ContinuousAccessEvaluation",
    "disableResilienceDefaults": "DisableResilienceDefaults",
    "secureSignInSession": "SecureSignInSession",
}
"""sessionControls property -> the string we report in enforced_session_controls."""


# --- Device trust types -------------------------------------------------------------------------
class TrustType(StrEnum):
    """Canonical device trust types, as the device object's `trustType` spells them."""

    azure_ad = "AzureAd"  # Microsoft Entra joined
    server_ad = "ServerAd"  # Microsoft Entra hybrid joined (domain joined)
    workplace = "Workplace"  # Microsoft Entra registered


_TRUST_TYPE_SPELLINGS: dict[str, TrustType] = {
    "azuread": TrustType.azure_ad,
    "azure ad joined": TrustType.azure_ad,
    "microsoft entra joined": TrustType.azure_ad,
    "serverad": TrustType.server_ad,
    "hybrid azure ad joined": TrustType.server_ad,
    "microsoft entra hybrid joined": TrustType.server_ad,
    "domain joined": TrustType.server_ad,
    "workplace": TrustType.workplace,
    "azure ad registered": TrustType.workplace,
    "microsoft entra registered": TrustType.workplace,
}


def normalize_trust_type(value: str | None) -> TrustType | None:
    """Map any spelling of a trust type (device object, sign-in log, portal) to `TrustType`."""
    if not value:
        return None
    return _TRUST_TYPE_SPELLINGS.get(value.strip().lower())
