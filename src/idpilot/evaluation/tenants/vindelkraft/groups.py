"""Vindelkraft's groups: department teams, nesting, a dynamic rule, exclusions, an ownerless one."""

from __future__ import annotations

from datetime import timedelta

from idpilot.evaluation.tenants.vindelkraft._core import CAPTURED, Record, Tenant, iso
from idpilot.evaluation.tenants.vindelkraft.people import ascii_fold, expanded

DYNAMIC_CITY = "München"
DYNAMIC_RULE = f'(user.city -eq "{DYNAMIC_CITY}") and (user.accountEnabled -eq true)'


def _group_ref(group: Record) -> Record:
    return {
        "@odata.type": "#microsoft.graph.group",
        "id": group["id"],
        "displayName": group["displayName"],
    }


def make_group(
    tenant: Tenant,
    name: str,
    description: str,
    members: list[Record],
    owners: list[Record],
    *,
    unified: bool = False,
    role_assignable: bool = False,
    rule: str | None = None,
) -> Record:
    """A group as Graph returns it with `$expand=members,owners`."""
    nickname = ascii_fold(name).replace(" ", "").replace("&", "").replace("–", "-")[:40]
    group_types = (["Unified"] if unified else []) + (["DynamicMembership"] if rule else [])
    group: Record = {
        "id": tenant.new_id(),
        "displayName": name,
        "description": description,
        "mail": f"{nickname.lower()}@vindelkraft.eu" if unified else None,
        "mailEnabled": unified,
        "mailNickname": nickname,
        "securityEnabled": not unified or role_assignable,
        "groupTypes": group_types,
        "membershipRule": rule,
        "membershipRuleProcessingState": "On" if rule else None,
        "isAssignableToRole": role_assignable or None,
        "visibility": "Private" if unified else None,
        "createdDateTime": iso(CAPTURED - timedelta(days=tenant.rng.randrange(120, 1500))),
        "members": [m if "@odata.type" in m else expanded(m) for m in members],
        "owners": [expanded(o) for o in owners],
    }
    return tenant.add("groups", group)


def build_groups(tenant: Tenant) -> dict[str, Record]:
    """Every group, keyed by a short name the other modules use."""
    users = [u for u in tenant.records("users") if u.get("userType") == "Member"]
    staff = [u for u in users if u.get("department") and u.get("city")]
    by_key: dict[str, Record] = {}
    teams: dict[str, Record] = {}
    for department in sorted({u["department"] for u in staff if u["department"]}):
        people = [
            u for u in staff if u["department"] == department and u is not tenant.user("svc_scada")
        ]
        if not people:
            continue
        teams[department] = make_group(
            tenant, f"{department} Team", f"Everyone in {department}", people, [people[0]]
        )
    by_key["finance_team"] = teams["Finance & Controlling"]
    by_key["shared_services"] = teams["Shared Services"]
    by_key["finance_apps"] = make_group(
        tenant,
        "Finance Apps Users",
        "Who may use Kvitto Expenses and Lønn Payroll",
        [_group_ref(teams["Finance & Controlling"]), _group_ref(teams["Shared Services"])],
        [tenant.user("linnea")],
    )
    field = [u for u in staff if u["department"] == "Field Service"]
    bergen = make_group(
        tenant,
        "Field Service Bergen",
        "Technicians based in Bergen",
        [u for u in field if u["city"] == "Bergen"],
        [tenant.user("oystein")],
    )
    brazil = make_group(
        tenant,
        "Field Service São Paulo",
        "Technicians based in São Paulo",
        [u for u in field if u["city"] == "São Paulo"],
        [tenant.user("joao")],
    )
    by_key["field_all"] = make_group(
        tenant,
        "Field Service All",
        "Every field technician, through the site groups",
        [_group_ref(bergen), _group_ref(brazil)],
        [tenant.user("oystein")],
    )
    by_key["field_bergen"] = bergen
    travellers = [u for u in staff if u["department"] == "Sales" and u["city"] == "Malmö"][:3]
    by_key["ca_travel"] = make_group(
        tenant,
        "CA-Exclusion-Travel",
        "Excluded from the country block while travelling",
        travellers,
        [tenant.user("soren")],
    )
    by_key["ca_service"] = make_group(
        tenant,
        "CA-Exclusion-Service",
        "Service accounts excluded from MFA",
        [tenant.user("svc_scada")],
        [tenant.user("soren")],
    )
    by_key["tier0"] = make_group(
        tenant,
        "Tier0 Admins",
        "Holds Security Administrator (role-assignable)",
        [tenant.user("sven"), tenant.user("soren")],
        [tenant.user("sven")],
        role_assignable=True,
    )
    munich = [u for u in staff if u["city"] == DYNAMIC_CITY and u["accountEnabled"]]
    by_key["munich"] = make_group(
        tenant,
        "Alle Mitarbeitenden München",
        "Dynamic: everyone enabled in München",
        munich,
        [tenant.user("kathe")],
        rule=DYNAMIC_RULE,
    )
    valencia = [u for u in staff if u["city"] == "Valencia" and u["accountEnabled"]][:9]
    by_key["blade_quality"] = make_group(
        tenant,
        "Blade Quality Circle",
        "Weekly blade defect review (Valencia)",
        valencia,
        [],
        unified=True,
    )
    scada = [u for u in staff if u["department"] in ("Offshore Operations",)][:10]
    by_key["scada"] = make_group(
        tenant,
        "SCADA Operators",
        "May operate the Windpark SCADA Viewer",
        [*scada, tenant.user("gunter")],
        [tenant.user("ingrid")],
    )
    guests = [u for u in tenant.records("users") if u.get("userType") == "Guest"]
    by_key["partners"] = make_group(
        tenant,
        "Partner Portal Guests",
        "External partners with portal access",
        guests,
        [tenant.user("sven")],
    )
    by_key["kestrel"] = make_group(
        tenant,
        "Projekt Kestrel",
        "Reserved for the Kestrel offshore bid (not started)",
        [],
        [tenant.user("gunter")],
        unified=True,
    )
    by_key["offshore_crew"] = make_group(
        tenant,
        "Bergen Offshore Crew",
        "Crew rota and shift chat",
        [u for u in staff if u["department"] == "Offshore Operations"],
        [tenant.user("ingrid")],
        unified=True,
    )
    return by_key


def transitive_groups(tenant: Tenant, user_id: str) -> set[str]:
    """Ids of every group a user is in, directly or through nested groups."""
    direct: dict[str, set[str]] = {}
    for group in tenant.records("groups"):
        for member in group["members"]:
            direct.setdefault(member["id"], set()).add(group["id"])
    found: set[str] = set()
    frontier = [user_id]
    while frontier:
        current = frontier.pop()
        for parent in direct.get(current, set()):
            if parent not in found:
                found.add(parent)
                frontier.append(parent)
    return found
