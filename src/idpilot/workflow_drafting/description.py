"""An admin's description of a joiner, mover or leaver workflow, read into typed parts.

Pure: the words, and the tenant's departments and cities to recognise a scope by, in; a
`WorkflowDescription` out, with what the words asked that a draft cannot express.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from enum import StrEnum

from pydantic import BaseModel, Field

from idpilot.workflow_drafting.task_catalog import TaskKey


class Category(StrEnum):
    """Graph `lifecycleWorkflowCategory`."""

    joiner = "joiner"
    mover = "mover"
    leaver = "leaver"


class ScopeClause(BaseModel):
    """One `attribute eq value` of the scope rule."""

    attribute: str
    value: str


_CATEGORY_WORDS = {
    Category.leaver: r"\b(?:leavers?|offboard\w*|terminat\w*|leav(?:e|es|ing)|last (?:working )?"
    r"day|departures?|depart\w*|exits?)\b",
    Category.mover: r"\b(?:movers?|mov(?:e|es|ing) (?:to|between|department)|transfer\w*|job "
    r"changes?|changes? (?:of )?department)\b",
    Category.joiner: r"\b(?:joiners?|onboard\w*|new (?:hires?|starters?|employees?)|starters?|"
    r"first day|pre-?hire|hired?)\b",
}
_TASK_WORDS: tuple[tuple[str, TaskKey, tuple[Category, ...]], ...] = (
    (r"\bdisabl\w*\b", TaskKey.disable_account, (Category.leaver, Category.joiner)),
    (r"\bdelet\w*\b", TaskKey.delete_user, (Category.leaver,)),
    (r"\benabl\w*\b", TaskKey.enable_account, (Category.joiner, Category.leaver)),
    (r"\bremov\w* (?:them |the user |users? )?from (?:all )?groups\b",
     TaskKey.remove_from_all_groups, (Category.leaver,)),
    (r"\bremov\w* (?:them |the user |users? )?from (?:all )?teams\b",
     TaskKey.remove_from_all_teams, (Category.leaver,)),
    (r"\blicen[cs]es?\b", TaskKey.remove_all_licences, (Category.leaver,)),
    (r"\baccess packages?\b", TaskKey.remove_all_access_packages, (Category.leaver,)),
    (r"\bwelcome\b", TaskKey.welcome_email, (Category.joiner,)),
    (r"\btemporary access pass\b|\btap\b", TaskKey.temporary_access_pass, (Category.joiner,)),
    (r"\b(?:notify|email|tell|inform)\w* (?:the |their )?manager\b",
     TaskKey.notify_manager_of_move, (Category.mover,)),
    (r"\b(?:notify|email|tell|inform)\w* (?:the |their )?manager\b",
     TaskKey.email_manager_before_last_day, (Category.leaver,)),
)  # fmt: skip
DEFAULT_TASKS = {
    Category.joiner: (TaskKey.enable_account, TaskKey.temporary_access_pass,
                      TaskKey.welcome_email),
    Category.leaver: (TaskKey.disable_account, TaskKey.remove_from_all_groups,
                      TaskKey.remove_from_all_teams, TaskKey.remove_all_licences,
                      TaskKey.remove_all_access_packages),
    Category.mover: (TaskKey.notify_manager_of_move,),
}  # fmt: skip
"""The tasks drafted when the words name none (Microsoft's templates' core tasks)."""
_NOT_EXPRESSED = (
    (r"\brevok\w*(?: \w+)? (?:sessions?|tokens?)\b|\bsign (?:them |users? )?out\b",
     "revoking sessions: the documented task list gives no taskDefinitionId for it here; add "
     "the catalog's 'Revoke all refresh tokens for user' by its id from GET "
     "/identityGovernance/lifecycleWorkflows/taskDefinitions"),
    (r"\b(?:roles?|admin rights|privileges?)\b",
     "removing directory roles: no built-in task does it; use a custom task extension"),
)  # fmt: skip


class WorkflowDescription(BaseModel):
    """The typed reading of a described lifecycle workflow."""

    text: str
    category: Category | None = None
    scope: list[ScopeClause] = Field(default_factory=list)
    offset_days: int = 0
    change_attribute: str = "department"
    """What a mover workflow watches (an attributeChangeTrigger)."""
    tasks: list[TaskKey] = Field(default_factory=list)
    tasks_assumed: bool = False
    not_expressed: list[str] = Field(default_factory=list)


def read_workflow_description(
    text: str, departments: Sequence[str] = (), cities: Sequence[str] = ()
) -> WorkflowDescription:
    """Read a described workflow; `departments` and `cities` are the tenant's, to find a scope."""
    words = " ".join(text.split())
    lower = words.lower()
    found = WorkflowDescription(text=words)
    found.category = next((c for c, p in _CATEGORY_WORDS.items() if re.search(p, lower)), None)
    if found.category is None:
        found.not_expressed.append("which workflow: say joiner, mover or leaver")
        return found
    for attribute, known in (("department", departments), ("city", cities)):
        for value in sorted(known, key=len, reverse=True):
            if value and re.search(rf"\b{re.escape(value.lower())}\b", lower):
                found.scope.append(ScopeClause(attribute=attribute, value=value))
                break
    if match := re.search(r"\b(\d{1,3}) days? (before|after|prior to)\b", lower):
        days = int(match.group(1))
        found.offset_days = -days if match.group(2) in ("before", "prior to") else days
    if found.category is Category.mover and re.search(r"\bjob title\b", lower):
        found.change_attribute = "jobTitle"
    for pattern, task, categories in _TASK_WORDS:
        if found.category in categories and re.search(pattern, lower) and task not in found.tasks:
            found.tasks.append(task)
    if not found.tasks:
        found.tasks = list(DEFAULT_TASKS[found.category])
        found.tasks_assumed = True
    for pattern, reason in _NOT_EXPRESSED:
        if match := re.search(pattern, lower):
            found.not_expressed.append(f"{match.group(0)}: {reason}")
    return found
