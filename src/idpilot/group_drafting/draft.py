"""A group drafted from a description and evaluated against the tenant's users, never created.

The membership rule is written from the description's clauses (plus enabled accounts, so a
contractor whose account is disabled at the end of the contract drops out) and evaluated with
`directory_rules` against every user: who would be in, and who would not and why (the users
one clause short). The tenant's group settings give the naming policy and guest access; the
risks of each choice are said; the create request is a proposal.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, Field

from idpilot.actions import Proposal, create_group
from idpilot.directory_rules import evaluate, explain, parse_rule
from idpilot.group_drafting.description import GroupDescription, GroupKind, read_group_description
from idpilot.model.collections import Collection
from idpilot.store import Store
from idpilot.store.directory import departments
from idpilot.store.queries.groups import groups_named_like
from idpilot.store.queries.settings import collection_objects, collections_present
from idpilot.store.queries.users import users_with_raw

ENABLED_CLAUSE = "(user.accountEnabled -eq true)"
UNIFIED_SETTINGS = "Group.Unified"
SHOWN = 10


class RuleMember(BaseModel):
    """A user the rule takes in, or one clause short of it and why."""

    id: str
    display_name: str
    why_not: list[str] = Field(default_factory=list)


class GroupRisk(BaseModel):
    """A risk of one choice in the definition."""

    choice: str
    risk: str


class DraftedGroup(BaseModel):
    """The drafted group, its rule evaluated, the tenant's settings applied, its risks."""

    description: GroupDescription
    body: dict[str, Any] = Field(default_factory=dict)
    rule: str | None = None
    rule_words: list[str] = Field(default_factory=list)
    members: int = 0
    member_samples: list[RuleMember] = Field(default_factory=list)
    near_misses: int = 0
    near_miss_samples: list[RuleMember] = Field(default_factory=list)
    clause_matches: dict[str, int] = Field(default_factory=dict)
    """Each clause alone: how many enabled users it matches."""
    naming_policy: str | None = None
    guests_allowed: bool | None = None
    similar_groups: list[dict[str, str]] = Field(default_factory=list)
    risks: list[GroupRisk] = Field(default_factory=list)
    proposal: Proposal | None = None


def draft_group(store: Store, text: str) -> DraftedGroup:
    """Draft the described group, evaluate its rule against the users, say its risks."""
    users = users_with_raw(store)
    cities = sorted({str(u["raw"].get("city")) for u in users if u["raw"].get("city")})
    countries = sorted({str(u["raw"].get("country")) for u in users if u["raw"].get("country")})
    description = read_group_description(text, departments(store), cities, countries)
    drafted = DraftedGroup(description=description)
    if not description.clauses:
        return drafted
    clauses = [f'({c.property} -eq "{_quoted(c.value)}")' for c in description.clauses]
    drafted.rule = " -and ".join([*clauses, ENABLED_CLAUSE])
    drafted.rule_words = explain(parse_rule(drafted.rule))
    _evaluate(drafted, users, clauses)
    settings = _unified_settings(store)
    name = _name(description)
    if description.kind is GroupKind.microsoft_365 and settings is not None:
        drafted.naming_policy = settings.get("PrefixSuffixNamingRequirement") or None
        name = _named_by_policy(name, drafted.naming_policy, description)
        allowed = settings.get("AllowToAddGuests")
        drafted.guests_allowed = None if allowed is None else allowed.lower() == "true"
    drafted.body = group_body(description, name, drafted.rule)
    drafted.similar_groups = [
        {"id": g["id"], "displayName": g["displayName"]}
        for clause in description.clauses
        for g in groups_named_like(store, re.escape(clause.words.rstrip("s")))
    ][:SHOWN]
    drafted.risks = risks(drafted)
    drafted.proposal = create_group(
        drafted.body, description.role_assignable, reason="Drafted from: " + description.text
    )
    return drafted


def group_body(description: GroupDescription, name: str, rule: str) -> dict[str, Any]:
    """The POST /groups body: dynamic membership, rule processing paused until reviewed."""
    unified = description.kind is GroupKind.microsoft_365
    nickname = re.sub(r"[^A-Za-z0-9]", "", name)[:64] or "draftgroup"
    body: dict[str, Any] = {
        "displayName": name,
        "description": description.text,
        "mailNickname": nickname,
        "mailEnabled": unified,
        "securityEnabled": True,
        "groupTypes": ["Unified"] if unified else [],
    }
    if description.role_assignable:
        # A role-assignable group cannot have dynamic membership (Microsoft documents it).
        body["isAssignableToRole"] = True
        return body
    body["groupTypes"].append("DynamicMembership")
    body["membershipRule"] = rule
    body["membershipRuleProcessingState"] = "Paused"
    return body


def risks(drafted: DraftedGroup) -> list[GroupRisk]:
    """The risk of each choice the definition makes."""
    description = drafted.description
    found = [
        GroupRisk(
            choice="owners",
            risk="The draft names no owner: add at least two (owners@odata.bind), or nobody "
            "answers for its membership and access reviews have no reviewer.",
        )
    ]
    if description.role_assignable:
        found.append(GroupRisk(
            choice="role-assignable",
            risk="Members get every role assigned to the group; its membership is static (a "
            "role-assignable group cannot be dynamic) and only Privileged Role Administrators "
            "can manage it. The rule below is for reference only.",
        ))  # fmt: skip
    else:
        found.append(GroupRisk(
            choice="dynamic membership",
            risk="Anyone whose attributes match joins, and those attributes decide access: "
            "check who can write department, city and employeeType (HR sync, admins). "
            "Processing starts paused: review the members, then set it On.",
        ))  # fmt: skip
    if drafted.members == 0:
        found.append(GroupRisk(
            choice="rule",
            risk="No enabled user matches the rule today: check the attribute values "
            "(each clause's matches are listed).",
        ))  # fmt: skip
    if description.expiring:
        found.append(GroupRisk(
            choice="expiration",
            risk="A group's expiration policy applies to Microsoft 365 groups only and renews "
            "on activity; members leave this group when their account is disabled (set their "
            "employeeLeaveDateTime and a leaver workflow that disables the account).",
        ))  # fmt: skip
    if description.guests_only or drafted.guests_allowed:
        found.append(GroupRisk(
            choice="guest access",
            risk="Guests in the group reach whatever the group is granted; grant it apps, not "
            "roles, and review it regularly.",
        ))  # fmt: skip
    if drafted.similar_groups:
        names = ", ".join(g["displayName"] for g in drafted.similar_groups)
        found.append(GroupRisk(
            choice="a new group", risk=f"Groups with a similar name exist ({names}): reuse one?"
        ))  # fmt: skip
    return found


def _evaluate(drafted: DraftedGroup, users: list[dict[str, Any]], clauses: list[str]) -> None:
    parsed = [(c, parse_rule(c)) for c in [*clauses, ENABLED_CLAUSE]]
    for clause, _ in parsed:
        drafted.clause_matches[clause] = 0
    for user in users:
        raw = user["raw"]
        failed = [clause for clause, node in parsed if not evaluate(node, raw)]
        for clause, _ in parsed:
            if clause not in failed:
                drafted.clause_matches[clause] += 1
        name = user.get("displayName") or user["id"]
        if not failed:
            drafted.members += 1
            if len(drafted.member_samples) < SHOWN:
                drafted.member_samples.append(RuleMember(id=user["id"], display_name=name))
        elif len(failed) == 1:
            drafted.near_misses += 1
            if len(drafted.near_miss_samples) < SHOWN:
                why = explain(parse_rule(failed[0]))
                drafted.near_miss_samples.append(
                    RuleMember(
                        id=user["id"], display_name=name, why_not=[f"not: {w.strip()}" for w in why]
                    )
                )


def _unified_settings(store: Store) -> dict[str, str] | None:
    if not collections_present(store, [Collection.group_settings]):
        return None
    for setting in collection_objects(store, Collection.group_settings):
        if setting.get("displayName") == UNIFIED_SETTINGS:
            return {
                str(v.get("name")): str(v.get("value") or "") for v in setting.get("values") or []
            }
    return None


def _name(description: GroupDescription) -> str:
    parts = [
        c.value + ("s" if c.property == "user.employeeType" else "") for c in description.clauses
    ]
    return " ".join(parts)[:120] or "New group"


def _named_by_policy(name: str, policy: str | None, description: GroupDescription) -> str:
    """The name with the tenant's prefix/suffix policy applied ([GroupName], [Department]...)."""
    if not policy:
        return name
    department = next((c.value for c in description.clauses if c.property == "user.department"), "")
    return policy.replace("[GroupName]", name).replace("[Department]", department)


def _quoted(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')
