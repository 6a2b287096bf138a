"""A proved policy as plain lines for the terminal (`idpilot ca draft`, `idpilot ca check`)."""

from __future__ import annotations

from collections.abc import Iterator

import orjson

from idpilot.ca_drafting.draft import ProvedPolicy
from idpilot.ca_drafting.impact import ImpactKind

SHOWN = 5


def proof_lines(proved: ProvedPolicy) -> Iterator[str]:
    """What the draft says, what it would do to the recorded sign-ins, and how to roll it out."""
    yield f"Policy: {proved.body.get('displayName')} (a proposal: nothing is created or sent)"
    yield from (f"  {sentence}" for sentence in proved.summary)
    if proved.description and proved.description.not_expressed:
        yield "Not expressed in the draft:"
        yield from (f"  - {item}" for item in proved.description.not_expressed)
    for excluded in proved.excluded:
        yield f"Excluded {excluded.kind} {excluded.display_name} ({excluded.id}): {excluded.reason}"
    impact = proved.impact
    kinds = ", ".join(f"{impact.by_kind.get(kind, 0)} {kind}" for kind in ImpactKind)
    yield f"Impact, replayed on {impact.sign_ins} recorded sign-ins with it enforced: {kinds}"
    for field, title in (("user_id", "user"), ("app_id", "app"), ("country", "country")):
        for value, count in impact.count_by(field)[:SHOWN]:
            yield f"  {title} {value}: {count} sign-ins affected"
    for account in proved.exposed_accounts():
        yield (
            f"WARNING: {account.reason} account {account.display_name} ({account.user_id}) is in "
            "scope: exclude it"
        )
    for overlap in proved.overlaps:
        yield f"{overlap.kind} with {overlap.display_name} ({overlap.policy_id}): {overlap.detail}"
    for policy_id, count in list(impact.overlapping.items())[:SHOWN]:
        yield f"  existing policy {policy_id} also applied to {count} of these sign-ins"
    for phase in proved.rollout:
        yield f"{phase.name}: {phase.action}"
        if phase.request:
            yield f"  request: {phase.request.method} {phase.request.url}"
        if phase.rollback:
            yield f"  rollback: {phase.rollback.method} {phase.rollback.url}"
    if proved.proposal:
        yield f"Needs {proved.proposal.required_role} ({proved.proposal.graph_permission}); body:"
        yield from orjson.dumps(proved.body, option=orjson.OPT_INDENT_2).decode().splitlines()
