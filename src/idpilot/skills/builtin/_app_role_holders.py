"""An app's roles and who holds each: users directly, groups (with their direct members), apps.

A group passes an app role to its direct members only (Entra does not cascade an app
assignment to nested groups), so a group's count is of its direct members and says how many of
them are groups whose own members do not get the role.
"""

from __future__ import annotations

from typing import Any

from idpilot.store import Store
from idpilot.store.queries.app_roles import direct_member_counts

DEFAULT_ACCESS = "00000000-0000-0000-0000-000000000000"
"""The appRoleId of an assignment to the app without a role ("default access")."""
HOLDERS_SHOWN = 20
"""Holders listed under one role; the answer says how many there are in all."""
UNHELD_SHOWN = 10
"""Roles held by nobody listed by name; the answer says how many there are in all."""
_APP = "ServicePrincipal"
_PERSON = "User"
"""The allowedMemberTypes value of a role users and groups can be assigned."""


def roles_and_holders(
    store: Store, defined: list[dict[str, Any]], assignments: list[dict[str, Any]]
) -> dict[str, Any]:
    """The app's roles with their holders (`held`, each holder citing its appRoleAssignment),
    the roles for people nobody holds (`unheld`, at most `UNHELD_SHOWN`; `unheld_count`), how
    many roles it defines (`defined`) and how many of them are held (`roles_held`), by how many
    users, groups and apps (`holders`: kind and count, those with any)."""
    by_id = {role["id"]: role for role in defined if isinstance(role, dict) and role.get("id")}
    groups = [a["principalId"] for a in assignments if a["principalType"] == "Group"]
    counts = direct_member_counts(store, groups) if groups else {}
    held: dict[str, dict[str, Any]] = {}
    for assignment in assignments:
        role_id = assignment["appRoleId"] or DEFAULT_ACCESS
        entry = held.setdefault(role_id, _role(role_id, by_id.get(role_id)))
        entry["holders"].append(_holder(assignment, counts))
    for entry in held.values():
        entry["holder_count"] = len(entry["holders"])
        entry["users"] = sum(h["kind"] == "user" for h in entry["holders"])
        entry["groups"] = sum(h["kind"] == "group" for h in entry["holders"])
        entry["holders"] = sorted(entry["holders"], key=_holder_order)[:HOLDERS_SHOWN]
    unheld = sorted(
        (_role(role_id, role) for role_id, role in by_id.items() if role_id not in held),
        key=lambda r: r["name"].lower(),
    )
    unheld = [r for r in unheld if r["for_people"]]
    return {
        "held": sorted(held.values(), key=lambda r: (r["id"] == DEFAULT_ACCESS, r["name"].lower())),
        "unheld": unheld[:UNHELD_SHOWN],
        "unheld_count": len(unheld),
        "defined": len(by_id),
        "roles_held": sum(role_id in by_id for role_id in held),
        "holders": _holder_counts([a for a in assignments if a["appRoleId"] in by_id]),
    }


def _holder_counts(assignments: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """How many distinct users, groups and apps the assignments are to (kinds with any)."""
    counts = []
    for kind, graph_type in (("user", _PERSON), ("group", "Group"), ("app", _APP)):
        principals = {a["principalId"] for a in assignments if a["principalType"] == graph_type}
        if principals:
            counts.append({"kind": kind, "count": len(principals)})
    return counts


def _role(role_id: str, role: dict[str, Any] | None) -> dict[str, Any]:
    """A role's name, value, description (when it says more than the name) and state."""
    if role_id == DEFAULT_ACCESS:
        return {"id": role_id, "name": "default access", "value": None, "description": None,
                "enabled": True, "for_people": True, "defined": True, "holders": []}  # fmt: skip
    if role is None:
        return {"id": role_id, "name": role_id, "value": None, "description": None,
                "enabled": True, "for_people": True, "defined": False, "holders": []}  # fmt: skip
    name = role.get("displayName") or role.get("value") or role_id
    value = role.get("value")
    description = role.get("description")
    names = [n.lower() for n in (name, value) if n]
    if description and any(n in description.lower() for n in names):
        description = None  # "Allows Finance.Approver" says no more than the name
    return {
        "id": role_id,
        "name": name,
        "value": value if value and value.lower() != name.lower() else None,
        "description": description or None,
        "enabled": role.get("isEnabled", True) is not False,
        "for_people": _for_people(role),
        "defined": True,
        "holders": [],
    }


def _for_people(role: dict[str, Any]) -> bool:
    """Whether users and groups can be assigned the role (not only apps)."""
    kinds = role.get("allowedMemberTypes")
    return not kinds or _PERSON in kinds


def _holder(assignment: dict[str, Any], counts: dict[str, dict[str, int]]) -> dict[str, Any]:
    """One holder of a role, citing its appRoleAssignment."""
    kind = {_PERSON: "user", "Group": "group"}.get(assignment["principalType"], "app")
    holder = {
        "kind": kind,
        "id": assignment["principalId"],
        "name": assignment["principalDisplayName"] or assignment["principalId"],
        "assignment": assignment["id"],
    }
    if kind == "group":
        holder.update(counts.get(assignment["principalId"], {"members": 0, "groups": 0}))
    return holder


def _holder_order(holder: dict[str, Any]) -> tuple[int, str]:
    """Users first, then groups, then apps; by name within each."""
    return (("user", "group", "app").index(holder["kind"]), str(holder["name"]).lower())
