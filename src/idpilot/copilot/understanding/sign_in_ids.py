"""A sign-in named by the Request ID or Correlation ID the portal shows ("Request ID 5c1e...,
status Failure: which policy blocked it?"): the person who signed in is whom the question is
about, and the attempt is that sign-in's."""

from __future__ import annotations

from idpilot.copilot.entities import PromptEntities
from idpilot.store import Store
from idpilot.store.lookup import find_by_ids
from idpilot.store.queries.sign_ins import sign_ins_with_request_ids


def name_the_signed_in_user(store: Store, entities: PromptEntities) -> None:
    """For the prompt's ids that name no directory object but a sign-in: its user (when the
    prompt names no person itself), and its correlationId in place of a request id."""
    named = {m.id for m in entities.matches}
    ids = [g for g in entities.guids if g not in named]
    if not ids:
        return
    sign_ins = sign_ins_with_request_ids(store, ids)
    if not sign_ins:
        return
    by_request = {row["id"].lower(): row for row in sign_ins}
    entities.guids = [
        (by_request[g]["correlationId"] or g).lower() if g in by_request else g
        for g in entities.guids
    ]
    if any(m.kind == "user" for m in entities.matches):
        return
    users = {row["userId"] for row in sign_ins if row["userId"]}
    if len(users) != 1:
        return
    correlations = {str(row["correlationId"]).lower() for row in sign_ins}
    typed = next(g for g in ids if g in by_request or g in correlations)
    entities.matches += [
        m.model_copy(update={"phrase": typed}) for m in find_by_ids(store, "user", sorted(users))
    ]
