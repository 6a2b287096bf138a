"""Which built-in directory roles can do what an admin asks about ("who can reset passwords?").

Version 1 (2026-11). Template ids of Microsoft's built-in roles; each capability lists the
roles whose permissions include it (Global Administrator can do all of them). The phrases are
what admins type, matched as whole words in lower case.
"""

from __future__ import annotations

import re
from functools import cache

VERSION = 1
GLOBAL_ADMINISTRATOR = "62e90394-69f5-4237-9190-012177145e10"
_USER_ADMIN = "fe930be7-5e62-47db-91af-98c3a49a38b1"
_HELPDESK_ADMIN = "729827e3-9c14-49f7-bb1b-9608f156bbb8"
_PASSWORD_ADMIN = "966707d0-3269-4727-9be2-8c3a10f19b9d"
_AUTHENTICATION_ADMIN = "c4e39bd9-1100-46d3-8c65-fb160da0071f"
_PRIVILEGED_AUTHENTICATION_ADMIN = "7be44c8a-adaf-4e2a-84d6-ab2649e08a13"
_GROUPS_ADMIN = "fdd7a751-b60b-444a-984c-02652fe8fa1c"
_APPLICATION_ADMIN = "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3"
_CLOUD_APPLICATION_ADMIN = "158c047a-c907-4556-b7ef-446551a6b5f7"
_CONDITIONAL_ACCESS_ADMIN = "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9"
_SECURITY_ADMIN = "194ae4cb-b126-40b2-bd5b-6091b380977d"
_PRIVILEGED_ROLE_ADMIN = "e8611ab8-c189-46e8-94e1-60213ab1f814"
_EXCHANGE_ADMIN = "29232cdf-9323-42fd-ade2-1d097af3e4de"
_SHAREPOINT_ADMIN = "f28a1f50-f6e7-4571-818b-6a12f2af6b6c"
_INTUNE_ADMIN = "3a2c62db-5318-420d-8d74-23affee5d9d5"
_LICENSE_ADMIN = "4d6ac14f-3453-41d0-bef9-a3e0c569773a"
_HYBRID_IDENTITY_ADMIN = "8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2"

_CAPABILITIES: dict[tuple[str, ...], tuple[str, ...]] = {
    ("manage users", "create users", "delete users", "disable users", "edit users"): (
        _USER_ADMIN,
    ),
    ("reset passwords", "reset password", "reset a password", "reset user passwords"): (
        _USER_ADMIN, _HELPDESK_ADMIN, _PASSWORD_ADMIN, _AUTHENTICATION_ADMIN,
        _PRIVILEGED_AUTHENTICATION_ADMIN,
    ),
    ("reset mfa", "manage mfa", "authentication methods", "reset authentication"): (
        _AUTHENTICATION_ADMIN, _PRIVILEGED_AUTHENTICATION_ADMIN,
    ),
    ("manage groups", "create groups", "delete groups", "change group membership"): (
        _GROUPS_ADMIN, _USER_ADMIN,
    ),
    ("manage apps", "manage applications", "app registrations", "enterprise apps",
     "grant consent", "admin consent"): (_APPLICATION_ADMIN, _CLOUD_APPLICATION_ADMIN),
    ("conditional access", "change policies", "manage policies"): (
        _CONDITIONAL_ACCESS_ADMIN, _SECURITY_ADMIN,
    ),
    ("assign roles", "manage roles", "grant roles", "manage pim", "configure pim",
     "pim settings"): (_PRIVILEGED_ROLE_ADMIN,),
    ("exchange", "mailboxes", "mailbox"): (_EXCHANGE_ADMIN,),
    ("sharepoint", "onedrive"): (_SHAREPOINT_ADMIN,),
    ("intune", "manage devices", "devices"): (_INTUNE_ADMIN,),
    ("assign licenses", "assign licences", "manage licenses", "manage licences"): (
        _LICENSE_ADMIN, _USER_ADMIN,
    ),
    ("security settings", "identity protection"): (_SECURITY_ADMIN,),
    ("entra connect", "directory sync", "hybrid identity"): (_HYBRID_IDENTITY_ADMIN,),
}  # fmt: skip


_FILLERS = (
    r"(?:\s+(?:other|others'?|other people'?s|people'?s|peoples'?|users'?|user'?s|someone'?s|"
    r"somebody'?s|another|the|a|an|their|all|any|staff|employees'?|colleagues'?|admin|"
    r"administrator|administrative|directory|privileged|entra|new|employee'?s|user'?s|"
    r"person'?s|colleague'?s|member'?s))"
)


@cache
def _said(name: str) -> re.Pattern[str]:
    """A capability's words as written, with whose thing it is allowed between the verb and
    the object ("reset other people's passwords" says "reset passwords")."""
    verb, _, rest = name.partition(" ")
    if not rest:
        return re.compile(rf"\b{re.escape(name)}\b")
    return re.compile(rf"\b{re.escape(verb)}{_FILLERS}{{0,2}}\s+{re.escape(rest)}\b")


def roles_able_to(text: str) -> tuple[list[str], list[str]]:
    """(capability phrases found in the text, template ids of the roles able to do them)."""
    lowered = text.lower()
    phrases: list[str] = []
    roles: list[str] = []
    for names, templates in _CAPABILITIES.items():
        hit = next((n for n in names if _said(n).search(lowered)), None)
        if hit:
            phrases.append(hit)
            roles.extend(t for t in templates if t not in roles)
    if roles:
        roles.insert(0, GLOBAL_ADMINISTRATOR)
    return phrases, roles
