"""Groups: security, Microsoft 365, dynamic, nested, role-assignable, ownerless and empty."""

from __future__ import annotations

import random

from .ids import days_before, guid, iso
from .tenant import DOMAIN, INITIAL_DOMAIN, Tenant, group_ref, user_ref

PROJECT_NAMES = [
    "Phoenix",
    "Atlas",
    "Orion",
    "Nimbus",
    "Helix",
    "Aurora",
    "Falcon",
    "Vega",
    "Zephyr",
    "Quartz",
    "Summit",
    "Harbor",
    "Beacon",
    "Cascade",
    "Ember",
    "Lumen",
    "Meridian",
    "Nova",
    "Polaris",
    "Sierra",
    "Titan",
    "Voyager",
    "Willow",
    "Juniper",
    "Cobalt",
]
APP_AREAS = [
    "Salesforce",
    "Workday",
    "ServiceNow",
    "Tableau",
    "GitHub",
    "Jira",
    "Confluence",
    "Zoom",
    "Miro",
    "Figma",
    "DocuSign",
    "Box",
    "Okta-Bridge",
    "SAP-Concur",
    "Adobe-CC",
    "Slack",
    "Power-BI",
    "Dynamics-365",
    "Azure-DevOps",
    "VPN",
]


def _dynamic_rule(department: str) -> str:
    return f'(user.department -eq "{department}") and (user.accountEnabled -eq true)'


class GroupFactory:
    def __init__(self, rng: random.Random, tenant: Tenant) -> None:
        self.rng = rng
        self.tenant = tenant
        self.nicknames: set[str] = set()

    def make(
        self,
        key: str | None,
        name: str,
        *,
        description: str,
        kind: str = "security",  # security | unified | dynamic
        members: list[dict] | None = None,
        owners: list[dict] | None = None,
        rule: str | None = None,
        role_assignable: bool = False,
    ) -> dict:
        rng = self.rng
        nick = "".join(c for c in name.lower() if c.isalnum()) or "group"
        while nick in self.nicknames:
            nick += str(rng.randint(0, 9))
        self.nicknames.add(nick)
        unified = kind == "unified"
        created = days_before(rng.uniform(60, 1500))
        group = {
            "id": guid(rng),
            "deletedDateTime": None,
            "classification": None,
            "createdDateTime": iso(created),
            "description": description,
            "displayName": name,
            "expirationDateTime": None,
            "groupTypes": ["Unified"] if unified else (["DynamicMembership"] if rule else []),
            "isAssignableToRole": True if role_assignable else None,
            "mail": f"{nick}@{DOMAIN}" if unified else None,
            "mailEnabled": unified,
            "mailNickname": nick,
            "membershipRule": rule,
            "membershipRuleProcessingState": "On" if rule else None,
            "onPremisesSyncEnabled": None,
            "proxyAddresses": (
                [f"SMTP:{nick}@{DOMAIN}", f"smtp:{nick}@{INITIAL_DOMAIN}"] if unified else []
            ),
            "renewedDateTime": iso(created),
            "securityEnabled": not unified,
            "visibility": rng.choice(("Private", "Public")) if unified else None,
            "members": [self._ref(m) for m in members or []],
            "owners": [user_ref(o) for o in owners or []],
        }
        self.tenant.groups.append(group)
        if key:
            self.tenant.groups_by_key[key] = group
        return group

    @staticmethod
    def _ref(obj: dict) -> dict:
        return user_ref(obj) if "userPrincipalName" in obj else group_ref(obj)


def build_groups(rng: random.Random, tenant: Tenant) -> None:
    """Create the groups; the count scales to ~12% of users with a floor of 40."""
    f = GroupFactory(rng, tenant)
    p = tenant.personas
    members = [u for u in tenant.members() if u["department"]]
    guests = [u for u in tenant.users if u["userType"] == "Guest"]
    it_staff = [u for u in members if u["department"] == "IT"]
    admin = p["it_admin"]

    def enabled_in(department: str) -> list[dict]:
        return [u for u in members if u["department"] == department and u["accountEnabled"]]

    def sample(pool: list[dict], k: int) -> list[dict]:
        return rng.sample(pool, min(k, len(pool)))

    f.make(
        "breakglass_exclusion",
        "CA-Exclusion-BreakGlass",
        description="Emergency access accounts excluded from Conditional Access",
        members=[p["breakglass01"], p["breakglass02"]],
        owners=[admin],
    )
    f.make(
        "service_account_exclusion",
        "CA-Exclusion-ServiceAccounts",
        description="Service accounts that cannot perform MFA (temporary exclusion, 2023)",
        members=[p["spray_victim"]],
        owners=[admin],
    )
    tier0_members = [p["stale_guest"], *[u for u in it_staff if u is not admin][:2]]
    f.make(
        "privileged_security_operators",
        "PRV-Security-Operators",
        description="Role-assignable group holding the Security Administrator role",
        members=tier0_members,
        owners=[admin],
        role_assignable=True,
    )
    dyn = {}
    for department in ("Finance", "Sales", "Engineering", "Human Resources"):
        key = f"dynamic_{department.lower().replace(' ', '_')}"
        dyn[department] = f.make(
            key,
            f"DYN-{department.replace(' ', '')}-Enabled",
            description=f"All enabled {department} employees (dynamic)",
            members=enabled_in(department),
            owners=[admin],
            rule=_dynamic_rule(department),
        )
    auditors = [g for g in guests if g["mail"].endswith("@adatum.com")][:2]
    f.make(
        "finance_all",
        "Finance - All",
        description="Finance staff and external auditors; target of the Finance Portal policies",
        members=[dyn["Finance"], *auditors],
        owners=[p["finance_manager"]],
    )
    # Nested staff hierarchy, four levels: All Staff > Americas > Seattle > Seattle Engineering.
    seattle = [u for u in members if u["officeLocation"] == "Seattle HQ"]
    seattle_eng = f.make(
        "seattle_engineering",
        "Seattle Engineering",
        description="Engineers based at Seattle HQ",
        members=[u for u in seattle if u["department"] == "Engineering"],
        owners=sample(it_staff, 1),
    )
    staff_seattle = f.make(
        "staff_seattle",
        "Staff - Seattle",
        description="Everyone at Seattle HQ",
        members=[seattle_eng, *[u for u in seattle if u["department"] != "Engineering"]],
        owners=[admin],
    )
    americas = f.make(
        "staff_americas",
        "Staff - Americas",
        description="Americas staff",
        members=[staff_seattle, *[u for u in members if u["officeLocation"] == "New York"]],
        owners=[admin],
    )
    emea = f.make(
        "staff_emea",
        "Staff - EMEA",
        description="EMEA staff",
        members=[u for u in members if u["officeLocation"] in ("Paris office", "London", "Munich")],
        owners=[admin],
    )
    apac = f.make(
        "staff_apac",
        "Staff - APAC",
        description="APAC staff",
        members=[u for u in members if u["officeLocation"] in ("Bengaluru", "Tokyo")],
        owners=[admin],
    )
    f.make(
        "all_staff",
        "All Staff",
        description="Every Contoso employee (nested regional groups)",
        members=[americas, emea, apac],
        owners=[admin],
    )
    f.make(
        "contractors",
        "Contractors",
        description="External contractors with limited access",
        members=sample(guests, 6),
        owners=sample(it_staff, 1),
    )
    f.make(
        "marketing_team",
        "Marketing Team",
        kind="unified",
        description="Marketing team collaboration space",
        members=[u for u in members if u["department"] == "Marketing"] + sample(guests, 3),
        owners=[p["alice_other"]],
    )
    f.make(
        "project_phoenix",
        "Project Phoenix",
        kind="unified",
        description="Joint product launch with Fabrikam",
        members=sample(members, 14) + [g for g in guests if "fabrikam" in g["mail"]][:4],
        owners=sample(members, 2),
    )
    f.make(
        "ownerless",
        "Legacy File Share Access",
        description="Grants access to the retired \\\\fs01 share (owner left the company)",
        members=sample(members, 9),
        owners=[],
    )
    f.make(
        "empty",
        "Project Atlas (archived)",
        kind="unified",
        description="Archived project workspace",
        members=[],
        owners=sample(members, 1),
    )
    f.make(
        "it_admins",
        "IT Administrators",
        description="IT administration staff",
        members=it_staff,
        owners=[admin],
    )
    target = max(40, round(len(tenant.users) * 0.12))
    n = 0
    while len(tenant.groups) < target:
        n += 1
        if n % 2:
            area = APP_AREAS[(n // 2) % len(APP_AREAS)]
            suffix = f" {n // (2 * len(APP_AREAS)) + 1}" if n >= 2 * len(APP_AREAS) else ""
            f.make(
                None,
                f"SG-App-{area}-Users{suffix}",
                description=f"Users assigned to {area.replace('-', ' ')}",
                members=sample(members, rng.randint(4, 40)),
                owners=sample(it_staff, 1),
            )
        else:
            project = PROJECT_NAMES[(n // 2) % len(PROJECT_NAMES)]
            suffix = f" {n // (2 * len(PROJECT_NAMES)) + 1}" if n >= 2 * len(PROJECT_NAMES) else ""
            with_guests = sample(guests, 2) if rng.random() < 0.3 else []
            f.make(
                None,
                f"Project {project}{suffix} Team",
                kind="unified",
                description=f"Project {project} collaboration",
                members=sample(members, rng.randint(3, 25)) + with_guests,
                owners=sample(members, rng.randint(1, 2)),
            )
