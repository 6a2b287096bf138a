"""`idpilot workflow draft "DESCRIPTION"`: a lifecycle workflow drafted and checked, never sent.

User names come from the tenant: every line is printed inert and never read as Rich markup.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

import orjson
import typer

from idpilot.cli._drafts import print_draft
from idpilot.cli.app import StoreOption, app, open_store, user_errors
from idpilot.workflow_drafting import DraftedWorkflow, draft_workflow

workflow_app = typer.Typer(
    help="Lifecycle workflows: draft a joiner, mover or leaver workflow (never sent).",
    no_args_is_help=True,
)
app.add_typer(workflow_app, name="workflow")


@workflow_app.command("draft")
@user_errors
def draft_command(
    description: Annotated[str, typer.Argument(help="The workflow in words.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the draft as JSON.")] = False,
    store: StoreOption = None,
) -> None:
    """Draft a workflow: Graph JSON, who is in scope now, who would be missed, safety checks."""
    with open_store(store) as opened:
        drafted = draft_workflow(opened, description)
    print_draft(drafted, as_json, workflow_lines)


def workflow_lines(drafted: DraftedWorkflow) -> Iterator[str]:
    """The draft as plain lines: what it is, its scope, findings, proposal and body."""
    description = drafted.description
    for item in description.not_expressed:
        yield f"Not expressed: {item}"
    if not drafted.body:
        return
    yield (
        f"Workflow: {drafted.body['displayName']} ({description.category}; a proposal: "
        "nothing is created or sent)"
    )
    if description.tasks_assumed:
        yield "No task was named: the category's core tasks are drafted."
    yield f"Scope rule: {drafted.rule}; {drafted.in_scope} enabled users in scope now"
    for user in drafted.in_scope_users:
        roles = (
            f" (privileged roles: {len(user.privileged_roles)})" if user.privileged_roles else ""
        )
        yield f"  {user.display_name} ({user.id}){roles}"
    if drafted.missed:
        yield f"Would be missed (trigger attribute empty): {drafted.missed}"
    for finding in drafted.findings:
        yield f"FINDING {finding.check}: {finding.message}"
    if drafted.proposal:
        request = drafted.proposal.request
        yield f"Request ({drafted.proposal.required_role}): {request.method} {request.url}"
        if drafted.proposal.rollback:
            rollback = drafted.proposal.rollback
            yield f"Rollback: {rollback.method} {rollback.url}"
        yield from orjson.dumps(drafted.body, option=orjson.OPT_INDENT_2).decode().splitlines()
