"""Skill `group_rule`: a dynamic group's membership rule in plain language, and who matches it."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from idpilot.directory_rules import RuleError, evaluate, explain, parse_rule
from idpilot.model.collections import Collection
from idpilot.skills.base import NextStep, SkillFacts, SkillResult, Slot, define_skill, slot
from idpilot.skills.builtin._admin_common import (
    LIST_LIMIT,
    group_record,
    resolve_reference,
    user_record,
)
from idpilot.skills.builtin._audit_facts import ObjectBrief
from idpilot.skills.registry import SkillRegistry
from idpilot.skills.resolve import Resolution
from idpilot.store import Store
from idpilot.store.directory import group_by_id
from idpilot.store.queries.groups import direct_member_ids
from idpilot.store.queries.users import users_with_raw

NAME = "group_rule"


class GroupRuleInput(BaseModel):
    """Which dynamic group."""

    group: str = slot(Slot.group, "The dynamic group: object id or display name.")
    user: str | None = slot(
        Slot.user, "A user asked about: should they be in the group?", default=None
    )


class RuleGroup(SkillFacts):
    """The group whose rule is explained."""

    id: str
    displayName: str | None


class RuleLine(SkillFacts):
    """A clause of the rule in plain language, indented `depth` levels under its parent."""

    depth: int
    text: str


class AskedUser(SkillFacts):
    """The user asked about: whether the rule takes them in and whether they are a member."""

    model_config = ConfigDict(serialize_by_alias=True, validate_by_name=True)

    id: str
    displayName: str | None
    should: bool
    is_member: bool = Field(alias="is")
    """Published as `is`, as the template has always read it."""


class GroupRuleFacts(SkillFacts):
    """A group's membership rule explained and, for a user rule that parses, the users it
    takes in compared with the group's members (the counts are None otherwise)."""

    group: RuleGroup
    rule: str | None
    dynamic: bool
    processing: str | None
    error: str | None = None
    """Why the rule could not be parsed."""
    explanation: list[RuleLine] = Field(default_factory=list)
    limit: int
    device_rule: bool = False
    asked: AskedUser | None = None
    should_count: int | None = None
    is_count: int | None = None
    agree_count: int | None = None
    missing: list[ObjectBrief] = Field(default_factory=list)
    """Users the rule takes in who are not members (the first `limit`, by name)."""
    missing_count: int | None = None
    extra: list[ObjectBrief] = Field(default_factory=list)
    """Members the rule does not take in (the first `limit`, by name)."""
    extra_count: int | None = None


def group_rule(store: Store, params: GroupRuleInput) -> SkillResult:
    """Explain a dynamic group's rule clause by clause and compare who should be in with who is."""
    resolution = resolve_reference(store, params.group, "group")
    if resolution.match is None:
        # Of the groups the words fit, the one with a membership rule is the one asked about.
        dynamic = [
            c
            for c in resolution.candidates
            if (group_by_id(store, c.id) or {}).get("membershipRule")
        ]
        if len(dynamic) != 1:
            return resolution.unresolved(NAME, "group")
        resolution = Resolution(resolution.reference, match=dynamic[0])
    group = group_by_id(store, resolution.match.id)
    result = SkillResult(skill=NAME)
    result.add_evidence(group_record(group, "membershipRule", "membershipRuleProcessingState"))
    rule = group.get("membershipRule")
    facts = GroupRuleFacts(
        group=RuleGroup(id=group["id"], displayName=group["displayName"]),
        rule=rule,
        dynamic="DynamicMembership" in (group.get("groupTypes") or []),
        processing=group.get("membershipRuleProcessingState"),
        limit=LIST_LIMIT,
    )
    result.facts = facts
    if not rule:
        return result
    try:
        tree = parse_rule(rule)
    except RuleError as error:
        facts.error = error.short
        return result
    facts.explanation = [
        RuleLine(depth=(len(line) - len(line.lstrip())) // 2, text=line.strip())
        for line in explain(tree)
    ]
    if rule.lstrip().lower().startswith("device."):
        facts.device_rule = True
        return result
    members = direct_member_ids(store, group["id"])
    should, rows = set(), {}
    for row in users_with_raw(store):
        rows[row["id"]] = row
        if evaluate(tree, json.loads(row["raw"]) if isinstance(row["raw"], str) else row["raw"]):
            should.add(row["id"])
    if params.user and (asked := resolve_reference(store, params.user, "user")).match:
        user_id = asked.match.id
        if user_id in rows:
            result.add_evidence(user_record(rows[user_id]))
            facts.asked = AskedUser(
                id=user_id,
                displayName=rows[user_id]["displayName"],
                should=user_id in should,
                is_member=user_id in members,
            )
    missing = sorted(should - members, key=lambda i: rows[i]["displayName"] or i)
    extra = sorted((members - should) & rows.keys(), key=lambda i: rows[i]["displayName"] or i)
    for user_id in missing[:LIST_LIMIT] + extra[:LIST_LIMIT]:
        result.add_evidence(user_record(rows[user_id]))
    facts.should_count = len(should)
    facts.is_count = len(members)
    facts.agree_count = len(should & members)
    facts.missing = [_brief(rows[i]) for i in missing[:LIST_LIMIT]]
    facts.missing_count = len(missing)
    facts.extra = [_brief(rows[i]) for i in extra[:LIST_LIMIT]]
    facts.extra_count = len(extra)
    if missing or extra:
        result.next_steps.append(
            NextStep(
                action="Membership differs from the rule: check the rule's processing state "
                "(paused or failing) and whether the snapshot's group members are current.",
                evidence_ids=[group["id"]],
            )
        )
    result.followups = [f"Who changed {group['displayName']} this month?"]
    return result


def _brief(row: dict[str, Any]) -> ObjectBrief:
    return ObjectBrief(**{k: row.get(k) for k in ("id", "displayName", "userPrincipalName")})


def register(registry: SkillRegistry) -> None:
    """Register `group_rule`."""
    registry.add(
        define_skill(
            group_rule,
            name=NAME,
            facts=GroupRuleFacts,
            reads=(
                Collection.groups,
                Collection.users,
            ),
            keywords={
                "explain the rule": 4.0,
                "explain the membership rule": 4.0,
                "explain the dynamic rule": 4.0,
                "explain": 1.5,
                "rule mean": 3.5,
                "plain language": 3.0,
                "should be in": 3.5,
                "should be members": 3.5,
                "should be a member": 3.5,
                "who matches": 3.0,
                "matches the rule": 3.5,
                "evaluate": 3.0,
                "according to its": 2.0,
            },
        )
    )
