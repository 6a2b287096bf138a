"""Lifecycle workflows (joiner, mover, leaver) drafted from a description with Microsoft's
documented built-in tasks, their scope evaluated against the users and checked: never sent."""

from idpilot.workflow_drafting.description import WorkflowDescription, read_workflow_description
from idpilot.workflow_drafting.draft import DraftedWorkflow, draft_workflow

__all__ = ["DraftedWorkflow", "WorkflowDescription", "draft_workflow", "read_workflow_description"]
