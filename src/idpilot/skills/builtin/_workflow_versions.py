"""Comparing two versions of a lifecycle workflow: tasks, conditions, settings, and who made them.

Tasks are matched by their `taskDefinitionId` (the n-th use of a definition with the n-th), not
by their `id`, which a new version may give anew.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from idpilot.skills.base import SkillFacts

TASK_PROPERTIES = ("displayName", "isEnabled", "continueOnError", "executionSequence")
SETTINGS = ("displayName", "description", "isEnabled", "isSchedulingEnabled")


class VersionRef(SkillFacts):
    """One version of a workflow: its number, when it was made and by whom."""

    id: str
    number: int | None
    created: datetime | None
    last_modified: datetime | None
    created_by: str | None
    created_by_id: str | None
    modified_by: str | None
    modified_by_id: str | None


class TaskChange(SkillFacts):
    """A task added, removed, or changed (which properties, before → after) between versions."""

    change: Literal["added", "removed", "changed"]
    task: str
    definition_id: str | None
    changes: list[str]


class ConditionChange(SkillFacts):
    """The trigger or the scope of the workflow, before and after."""

    part: Literal["trigger", "scope"]
    before: str | None
    after: str | None


class VersionComparison(SkillFacts):
    """What changed from one version of a workflow to another, and who made the newer one."""

    workflow_id: str
    workflow: str | None
    versions: int
    older: VersionRef
    newer: VersionRef
    tasks: list[TaskChange]
    conditions: list[ConditionChange]
    settings: list[str]

    @property
    def identical(self) -> bool:
        """Nothing the comparison looks at differs."""
        return not (self.tasks or self.conditions or self.settings)


def _actor(actor: Any) -> tuple[str | None, str | None]:
    if not isinstance(actor, dict):
        return None, None
    name = actor.get("displayName") or actor.get("userPrincipalName") or actor.get("id")
    return name, actor.get("id")


def version_ref(version: dict[str, Any]) -> VersionRef:
    """A version row as the answer names it."""
    created_by, created_by_id = _actor(version.get("createdBy"))
    modified_by, modified_by_id = _actor(version.get("lastModifiedBy"))
    return VersionRef(
        id=version["id"],
        number=version.get("versionNumber"),
        created=version.get("createdDateTime"),
        last_modified=version.get("lastModifiedDateTime"),
        created_by=created_by,
        created_by_id=created_by_id,
        modified_by=modified_by,
        modified_by_id=modified_by_id,
    )


def _arguments(task: dict[str, Any]) -> dict[str, str]:
    return {
        str(a.get("name")): str(a.get("value"))
        for a in task.get("arguments") or []
        if isinstance(a, dict)
    }


def _keyed(tasks: list[Any]) -> dict[tuple[str, int], dict[str, Any]]:
    """Tasks by (definition id, occurrence), in execution order."""
    ordered = sorted(
        (t for t in tasks if isinstance(t, dict)), key=lambda t: t.get("executionSequence") or 0
    )
    keyed: dict[tuple[str, int], dict[str, Any]] = {}
    for task in ordered:
        definition = str(task.get("taskDefinitionId") or task.get("displayName") or "").lower()
        occurrence = sum(1 for key in keyed if key[0] == definition)
        keyed[(definition, occurrence)] = task
    return keyed


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "none" if value is None else str(value)


def task_differences(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """What differs between two states of one task, each as `property: before → after`."""
    changes = [
        f"{prop}: {_value(before.get(prop))} → {_value(after.get(prop))}"
        for prop in TASK_PROPERTIES
        if before.get(prop) != after.get(prop)
    ]
    old, new = _arguments(before), _arguments(after)
    for name in sorted(old.keys() | new.keys()):
        if old.get(name) != new.get(name):
            changes.append(f"argument {name}: {old.get(name, 'none')} → {new.get(name, 'none')}")
    return changes


def _task_name(task: dict[str, Any]) -> str:
    return str(task.get("displayName") or task.get("taskDefinitionId") or "a task")


def _change(
    change: Literal["added", "removed", "changed"], task: dict[str, Any], changes: list[str]
) -> TaskChange:
    return TaskChange(
        change=change,
        task=_task_name(task),
        definition_id=task.get("taskDefinitionId"),
        changes=changes,
    )


def task_changes(older: list[Any], newer: list[Any]) -> list[TaskChange]:
    """Tasks added, removed and changed from `older` to `newer`."""
    before, after = _keyed(older or []), _keyed(newer or [])
    found = []
    for key, task in after.items():
        if key not in before:
            found.append(_change("added", task, []))
        elif changes := task_differences(before[key], task):
            found.append(_change("changed", task, changes))
    for key, task in before.items():
        if key not in after:
            found.append(_change("removed", task, []))
    return found


def describe_trigger(conditions: Any) -> str | None:
    """The trigger in words: the date attribute and offset, or the attributes watched."""
    trigger = conditions.get("trigger") if isinstance(conditions, dict) else None
    if not isinstance(trigger, dict):
        return None
    if "timeBasedAttribute" in trigger:
        offset = trigger.get("offsetInDays")
        return f"{trigger['timeBasedAttribute']}, offset {_value(offset)} days"
    if "triggerAttributes" in trigger:
        names = [str(a.get("name")) for a in trigger["triggerAttributes"] if isinstance(a, dict)]
        return "change of " + ", ".join(names)
    kind = str(trigger.get("@odata.type", "")).rpartition(".")[2]
    return kind or None


def describe_scope(conditions: Any) -> str | None:
    """The scope rule (or the kind of scope when it has no rule)."""
    scope = conditions.get("scope") if isinstance(conditions, dict) else None
    if not isinstance(scope, dict):
        return None
    return scope.get("rule") or str(scope.get("@odata.type", "")).rpartition(".")[2] or None


def compare_versions(
    workflow_id: str, name: str | None, count: int, older: dict[str, Any], newer: dict[str, Any]
) -> VersionComparison:
    """What changed from version `older` to version `newer` of one workflow."""
    conditions = []
    for part, describe in (("trigger", describe_trigger), ("scope", describe_scope)):
        before = describe(older.get("executionConditions"))
        after = describe(newer.get("executionConditions"))
        if before != after:
            conditions.append(ConditionChange(part=part, before=before, after=after))
    settings = [
        f"{prop}: {_value(older.get(prop))} → {_value(newer.get(prop))}"
        for prop in SETTINGS
        if older.get(prop) != newer.get(prop)
    ]
    return VersionComparison(
        workflow_id=workflow_id,
        workflow=name,
        versions=count,
        older=version_ref(older),
        newer=version_ref(newer),
        tasks=task_changes(older.get("tasks") or [], newer.get("tasks") or []),
        conditions=conditions,
        settings=settings,
    )
