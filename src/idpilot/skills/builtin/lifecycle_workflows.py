"""Skill `lifecycle_workflows`: the joiner, mover and leaver workflows and what they leave out."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel

from idpilot.model.collections import Collection
from idpilot.model.records import Record
from idpilot.skills.base import NextStep, SkillFacts, SkillResult, Slot, define_skill, slot
from idpilot.skills.registry import SkillRegistry
from idpilot.store import Store
from idpilot.store.queries.workflows import lifecycle_workflows_by_category

NAME = "lifecycle_workflows"
CATEGORIES = ("joiner", "mover", "leaver")


class LifecycleWorkflowsInput(BaseModel):
    """Which categories to narrow to (none: all of them)."""

    categories: list[str] | None = slot(
        Slot.stated, "Workflow categories asked about: joiner, mover or leaver.", default=None
    )


class Workflow(SkillFacts):
    """A lifecycle workflow, and whether it runs by itself (enabled and scheduled)."""

    id: str
    displayName: str | None
    description: str | None
    category: str | None
    isEnabled: bool | None
    isSchedulingEnabled: bool | None
    createdDateTime: datetime | None
    lastModifiedDateTime: datetime | None
    version: str | None
    automated: bool


class LifecycleWorkflowsFacts(SkillFacts):
    """The lifecycle workflows by category (joiner, mover, leaver), and the categories no
    workflow automates."""

    asked: list[str]
    categories: dict[str, list[Workflow]]
    total: int
    not_automated: list[str]


def lifecycle_workflows(store: Store, params: LifecycleWorkflowsInput) -> SkillResult:
    """List lifecycle workflows by category, and the categories nothing automates."""
    asked = [c for c in CATEGORIES if c in (params.categories or [])]
    rows = lifecycle_workflows_by_category(store)
    result = SkillResult(skill=NAME)
    by_category: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        category = row["category"] or "unknown"
        if asked and category not in asked:
            continue
        result.add_evidence(
            Record(
                kind="workflow",
                id=row["id"],
                label=f"lifecycle workflow {row['displayName']}",
                fields={
                    k: row[k]
                    for k in ("displayName", "category", "isEnabled", "isSchedulingEnabled")
                    if row[k] is not None
                },
            )
        )
        row["automated"] = bool(row["isEnabled"] and row["isSchedulingEnabled"])
        by_category.setdefault(category, []).append(row)
    not_automated = [
        c for c in (asked or CATEGORIES) if not any(w["automated"] for w in by_category.get(c, []))
    ]
    result.facts = LifecycleWorkflowsFacts(
        asked=asked,
        categories=by_category,
        total=sum(len(v) for v in by_category.values()),
        not_automated=not_automated,
    )
    if "leaver" in not_automated:
        result.next_steps.append(
            NextStep(
                action="Automate leavers: an enabled, scheduled leaver workflow that disables the "
                "account, removes group memberships and licences, and revokes sessions on the "
                "last working day (stale accounts are a common way in).",
                evidence_ids=[w["id"] for w in by_category.get("leaver", [])],
            )
        )
    result.followups = ["Which users never signed in?", "Are there stale accounts?"]
    return result


def register(registry: SkillRegistry) -> None:
    """Register `lifecycle_workflows`."""
    registry.add(
        define_skill(
            lifecycle_workflows,
            name=NAME,
            facts=LifecycleWorkflowsFacts,
            reads=(Collection.lifecycle_workflows,),
            keywords={
                "lifecycle": 4.0,
                "workflow": 3.0,
                "workflows": 3.0,
                "onboarding": 2.5,
                "offboarding": 2.5,
                "joiner": 2.5,
                "leaver": 2.5,
                "mover": 2.5,
                "joiners": 2.5,
                "leavers": 2.5,
                "movers": 2.5,
            },
        )
    )
