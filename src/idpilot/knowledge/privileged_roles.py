"""Directory roles idpilot treats as privileged, by role template id, with why each one is.

Versioned: bump `PRIVILEGED_ROLES_VERSION` whenever an entry is added, removed or re-tiered, so
reports can say which list they were judged against. Template ids are Microsoft's published
built-in role template ids ("Microsoft Entra built-in roles" permissions reference); the list
follows the roles Microsoft labels PRIVILEGED, plus Exchange and SharePoint Administrator, whose
blast radius (every mailbox, every site) makes them privileged in practice.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

PRIVILEGED_ROLES_VERSION = "2025.1"


class PrivilegeTier(StrEnum):
    """How much of the tenant a holder of the role controls."""

    tenant = "tenant"  # can take over the tenant (directly or by granting itself more)
    identity = "identity"  # can take over other identities (credentials, MFA, app secrets)
    workload = "workload"  # full control of a major workload (mail, sites, devices)
    read = "read"  # reads sensitive configuration or security data, tenant-wide


@dataclass(frozen=True)
class PrivilegedRole:
    """A built-in role idpilot flags as privileged, and the reason."""

    template_id: str
    display_name: str
    tier: PrivilegeTier
    why: str


_ROLES = [
    PrivilegedRole(
        "62e90394-69f5-4237-9190-012177145e10", "Global Administrator", PrivilegeTier.tenant,
        "Can manage every aspect of Entra ID and Microsoft services, including every other role.",
    ),
    PrivilegedRole(
        "e8611ab8-c189-46e8-94e1-60213ab1f814", "Privileged Role Administrator",
        PrivilegeTier.tenant,
        "Can assign any directory role, including Global Administrator, and manage PIM.",
    ),
    PrivilegedRole(
        "7be44c8a-adaf-4e2a-84d6-ab2649e08a13", "Privileged Authentication Administrator",
        PrivilegeTier.tenant,
        "Can reset passwords and authentication methods of any user, Global Administrators "
        "included.",
    ),
    PrivilegedRole(
        "194ae4cb-b126-40b2-bd5b-6091b380977d", "Security Administrator", PrivilegeTier.tenant,
        "Can change security configuration (Identity Protection, security defaults, "
        "Conditional Access policies read and write).",
    ),
    PrivilegedRole(
        "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9", "Conditional Access Administrator",
        PrivilegeTier.tenant,
        "Can create, change or disable every Conditional Access policy, so can switch MFA off.",
    ),
    PrivilegedRole(
        "8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2", "Hybrid Identity Administrator",
        PrivilegeTier.tenant,
        "Can configure federation and sync, so can make the tenant trust a foreign identity "
        "provider.",
    ),
    PrivilegedRole(
        "be2f45a1-457d-42af-a067-6ec1fa63bc45", "External Identity Provider Administrator",
        PrivilegeTier.tenant,
        "Can configure direct federation with identity providers, which then vouch for users.",
    ),
    PrivilegedRole(
        "8329153b-31d0-4727-b945-745eb3bc5f31", "Domain Name Administrator", PrivilegeTier.tenant,
        "Can add and federate domains, a path to signing in as users of that domain.",
    ),
    PrivilegedRole(
        "d29b2b05-8046-44ba-8758-1e26182fcf32", "Directory Synchronization Accounts",
        PrivilegeTier.tenant,
        "Used by Entra Connect; can write most directory objects and reset synced passwords.",
    ),
    PrivilegedRole(
        "e00e864a-17c5-4a4b-9c06-f5b95a8d5bd8", "Partner Tier2 Support", PrivilegeTier.tenant,
        "Can reset passwords of all users including administrators (delegated partners).",
    ),
    PrivilegedRole(
        "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3", "Application Administrator",
        PrivilegeTier.identity,
        "Can add credentials to any application and grant consent, so can act as any app, "
        "including apps holding high Graph permissions.",
    ),
    PrivilegedRole(
        "158c047a-c907-4556-b7ef-446551a6b5f7", "Cloud Application Administrator",
        PrivilegeTier.identity,
        "Like Application Administrator without app proxy: can add secrets to any app and "
        "impersonate it.",
    ),
    PrivilegedRole(
        "fe930be7-5e62-47db-91af-98c3a49a38b1", "User Administrator", PrivilegeTier.identity,
        "Can create and delete users, reset passwords of non-admins and manage groups, "
        "including groups that grant access.",
    ),
    PrivilegedRole(
        "c4e39bd9-1100-46d3-8c65-fb160da0071f", "Authentication Administrator",
        PrivilegeTier.identity,
        "Can reset passwords and authentication methods of non-admin users.",
    ),
    PrivilegedRole(
        "729827e3-9c14-49f7-bb1b-9608f156bbb8", "Helpdesk Administrator", PrivilegeTier.identity,
        "Can reset passwords of non-admins and Helpdesk Administrators, and invalidate "
        "refresh tokens.",
    ),
    PrivilegedRole(
        "966707d0-3269-4727-9be2-8c3a10f19b9d", "Password Administrator", PrivilegeTier.identity,
        "Can reset passwords of non-admins and Password Administrators.",
    ),
    PrivilegedRole(
        "cf1c38e5-3621-4004-a7cb-879624dced7c", "Application Developer", PrivilegeTier.identity,
        "Can register applications and consent for itself, even when users may not.",
    ),
    PrivilegedRole(
        "9360feb5-f418-4baa-8175-e2a00bac4301", "Directory Writers", PrivilegeTier.identity,
        "Can read and write basic directory information and user attributes, including "
        "some that grant access.",
    ),
    PrivilegedRole(
        "29232cdf-9323-42fd-ade2-1d097af3e4de", "Exchange Administrator", PrivilegeTier.workload,
        "Full control of Exchange Online: every mailbox, transport rules, mail forwarding.",
    ),
    PrivilegedRole(
        "f28a1f50-f6e7-4571-818b-6a12f2af6b6c", "SharePoint Administrator", PrivilegeTier.workload,
        "Full control of SharePoint Online and OneDrive: every site and file.",
    ),
    PrivilegedRole(
        "3a2c62db-5318-420d-8d74-23affee5d9d5", "Intune Administrator", PrivilegeTier.workload,
        "Full control of Intune: can push scripts and apps to every managed device.",
    ),
    PrivilegedRole(
        "7698a772-787b-4ac8-901f-60d6b08affd2", "Cloud Device Administrator",
        PrivilegeTier.workload,
        "Can enable, disable and delete devices and read BitLocker recovery keys.",
    ),
    PrivilegedRole(
        "f2ef992c-3afb-46b9-b7cf-a126ee74c451", "Global Reader", PrivilegeTier.read,
        "Can read everything a Global Administrator can, security configuration included.",
    ),
    PrivilegedRole(
        "5d6b6bb7-de71-4623-b4af-96380a352509", "Security Reader", PrivilegeTier.read,
        "Can read security reports, risk detections and Conditional Access configuration.",
    ),
    PrivilegedRole(
        "5f2222b1-57c3-48ba-8ad5-d4759f1fde6f", "Security Operator", PrivilegeTier.read,
        "Can read and respond to security alerts and risky users across the tenant.",
    ),
]  # fmt: skip

PRIVILEGED_ROLES: dict[str, PrivilegedRole] = {role.template_id: role for role in _ROLES}
"""Role template id (lower case) -> why it is privileged."""


def is_privileged(template_id: str | None) -> bool:
    """True when the role template id is on idpilot's privileged list."""
    return bool(template_id) and template_id.strip().lower() in PRIVILEGED_ROLES


def privileged_role(template_id: str | None) -> PrivilegedRole | None:
    """The privileged-role entry of a template id, or None."""
    if not template_id:
        return None
    return PRIVILEGED_ROLES.get(template_id.strip().lower())


def privileged_template_ids(*tiers: PrivilegeTier) -> list[str]:
    """Template ids of the privileged roles, optionally only those of some tiers."""
    return [r.template_id for r in _ROLES if not tiers or r.tier in tiers]
