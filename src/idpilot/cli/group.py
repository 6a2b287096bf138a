"""`idpilot group draft "DESCRIPTION"`: a group defined, its rule evaluated, never created.

User and group names come from the tenant: every line is printed inert, never as Rich markup.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

import orjson
import typer

from idpilot.cli._drafts import print_draft
from idpilot.cli.app import StoreOption, app, open_store, user_errors
from idpilot.group_drafting import DraftedGroup, draft_group

group_app = typer.Typer(
    help="Groups: draft a group with its membership rule and access parameters (never sent).",
    no_args_is_help=True,
)
app.add_typer(group_app, name="group")


@group_app.command("draft")
@user_errors
def draft_command(
    description: Annotated[str, typer.Argument(help="The group in words.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the draft as JSON.")] = False,
    store: StoreOption = None,
) -> None:
    """Draft a group: rule evaluated (who is in, who not and why), settings, risks, request."""
    with open_store(store) as opened:
        drafted = draft_group(opened, description)
    print_draft(drafted, as_json, group_lines)


def group_lines(drafted: DraftedGroup) -> Iterator[str]:
    """The draft as plain lines: definition, rule and its members, settings, risks, request."""
    for item in drafted.description.not_expressed:
        yield f"Not expressed: {item}"
    if not drafted.body:
        return
    yield (
        f"Group: {drafted.body['displayName']} ({drafted.description.kind}; a proposal: "
        "nothing is created or sent)"
    )
    yield f"Rule: {drafted.rule}"
    yield from (f"  {words}" for words in drafted.rule_words)
    for clause, count in drafted.clause_matches.items():
        yield f"  {clause} alone matches {count} users"
    yield f"Would be in: {drafted.members}"
    yield from (f"  {m.display_name} ({m.id})" for m in drafted.member_samples)
    yield f"One clause short: {drafted.near_misses}"
    for miss in drafted.near_miss_samples:
        yield f"  {miss.display_name} ({miss.id}): {'; '.join(miss.why_not)}"
    if drafted.naming_policy:
        yield f"Naming policy: {drafted.naming_policy}"
    if drafted.guests_allowed is not None:
        yield f"Guests may be added to Microsoft 365 groups: {drafted.guests_allowed}"
    for risk in drafted.risks:
        yield f"RISK ({risk.choice}): {risk.risk}"
    if drafted.proposal:
        request = drafted.proposal.request
        yield f"Request ({drafted.proposal.required_role}): {request.method} {request.url}"
        yield from orjson.dumps(drafted.body, option=orjson.OPT_INDENT_2).decode().splitlines()
