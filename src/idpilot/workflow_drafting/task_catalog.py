"""Lifecycle Workflows' built-in task definitions idpilot drafts with, as Microsoft documents them.

Ids, names, categories and argument names from "Configure the arguments for built-in Lifecycle
Workflow tasks" (learn.microsoft.com/graph/identitygovernance-lifecycleworkflows-task-arguments).
Only documented ids are listed: a task the documentation names without an id here (such as
"Revoke all refresh tokens for user", in the portal's catalogue) is never invented; a check
that needs it says to read its id from GET /identityGovernance/lifecycleWorkflows/taskDefinitions.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class TaskKey(StrEnum):
    """The built-in tasks, by what they do."""

    welcome_email = "welcomeEmail"
    onboarding_reminder = "onboardingReminder"
    temporary_access_pass = "temporaryAccessPass"
    add_to_groups = "addToGroups"
    add_to_teams = "addToTeams"
    enable_account = "enableAccount"
    disable_account = "disableAccount"
    remove_from_selected_groups = "removeFromSelectedGroups"
    remove_from_all_groups = "removeFromAllGroups"
    remove_from_all_teams = "removeFromAllTeams"
    remove_all_licences = "removeAllLicences"
    delete_user = "deleteUser"
    notify_manager_of_move = "notifyManagerOfMove"
    email_manager_before_last_day = "emailManagerBeforeLastDay"
    email_on_last_day = "emailOnLastDay"
    email_manager_after_last_day = "emailManagerAfterLastDay"
    remove_all_access_packages = "removeAllAccessPackages"
    cancel_access_package_requests = "cancelAccessPackageRequests"


@dataclass(frozen=True)
class TaskDefinition:
    """One documented built-in task: its taskDefinitionId, name, categories, arguments."""

    key: TaskKey
    definition_id: str
    display_name: str
    categories: tuple[str, ...]
    arguments: tuple[str, ...] = ()


_J, _L, _M = "joiner", "leaver", "mover"
TASKS: dict[TaskKey, TaskDefinition] = {
    task.key: task
    for task in (
        TaskDefinition(TaskKey.welcome_email, "70b29d51-b59a-4773-9280-8841dfd3f2ea",
                       "Send welcome email to new hire", (_J,), ("cc", "customSubject",
                       "customBody", "locale")),
        TaskDefinition(TaskKey.onboarding_reminder, "3C860712-2D37-42A4-928F-5C93935D26A1",
                       "Send onboarding reminder email", (_J,)),
        TaskDefinition(TaskKey.temporary_access_pass, "1b555e50-7f65-41d5-b514-5894a026d10d",
                       "Generate Temporary Access Pass and send via email to user's manager",
                       (_J,), ("tapLifetimeMinutes", "tapIsUsableOnce")),
        TaskDefinition(TaskKey.add_to_groups, "22085229-5809-45e8-97fd-270d28d66910",
                       "Add user to groups", (_J, _L, _M), ("groupID",)),
        TaskDefinition(TaskKey.add_to_teams, "e440ed8d-25a1-4618-84ce-091ed5be5594",
                       "Add user to teams", (_J, _L, _M), ("teamID",)),
        TaskDefinition(TaskKey.enable_account, "6fc52c9d-398b-4305-9763-15f42c1676fc",
                       "Enable user account", (_J, _L), ("enableOnPremisesAccount",)),
        TaskDefinition(TaskKey.disable_account, "1dfdfcc7-52fa-4c2e-bf3a-e3919cc12950",
                       "Disable user account", (_J, _L), ("disableOnPremisesAccount",)),
        TaskDefinition(TaskKey.remove_from_selected_groups,
                       "1953a66c-751c-45e5-8bfe-01462c70da3c", "Remove user from selected group",
                       (_L, _M), ("groupID",)),
        TaskDefinition(TaskKey.remove_from_all_groups, "b3a31406-2a15-4c9a-b25b-a658fa5f07fc",
                       "Remove users from all groups", (_L,)),
        TaskDefinition(TaskKey.remove_from_all_teams, "81f7b200-2816-4b3b-8c5d-dc556f07b024",
                       "Remove user from all teams", (_L,)),
        TaskDefinition(TaskKey.remove_all_licences, "8fa97d28-3e52-4985-b3a9-a1126f9b8b4e",
                       "Remove all license assignments from user", (_L,)),
        TaskDefinition(TaskKey.delete_user, "8d18588d-9ad3-4c0f-99d0-ec215f0e3dff",
                       "Delete user", (_L,), ("deleteOnPremisesAccount",)),
        TaskDefinition(TaskKey.notify_manager_of_move, "aab41899-9972-422a-9d97-f626014578b7",
                       "Send email to notify manager of user move", (_M,)),
        TaskDefinition(TaskKey.email_manager_before_last_day,
                       "52853a3e-f4e5-4eb8-bb24-1ac09a1da935",
                       "Send email to manager before user last day", (_L,)),
        TaskDefinition(TaskKey.email_on_last_day, "9c0a1eaf-5bda-4392-9d9e-6e155bb57411",
                       "Send email on user's last day", (_L,)),
        TaskDefinition(TaskKey.email_manager_after_last_day,
                       "6f22ddd4-b3a5-47a4-a846-0d7c201a49ce",
                       "Send offboarding email to user's manager after their last day", (_L,)),
        TaskDefinition(TaskKey.remove_all_access_packages,
                       "42ae2956-193d-4f39-be06-691b8ac4fa1d",
                       "Remove all access package assignments for user", (_L,)),
        TaskDefinition(TaskKey.cancel_access_package_requests,
                       "498770d9-bab7-4e4c-b73d-5ded82a1d0b3",
                       "Cancel pending access package assignment requests for user", (_L,)),
    )
}  # fmt: skip

BY_DEFINITION_ID = {task.definition_id.lower(): task for task in TASKS.values()}
"""Lower-cased taskDefinitionId -> the documented task."""
