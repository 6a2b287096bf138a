"""What the page browses besides answers: one stored record with the objects it points at,
the Conditional Access policies in plain language, and the posture score by area."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request

from idpilot.api.auth import Caller, access, config_of, route_access
from idpilot.api.context import tenant_store
from idpilot.api.errors import ApiError
from idpilot.api.record_view import RecordView, record_view
from idpilot.conditional_access.plain_language import PolicySummary, policy_ids, summarize_policy
from idpilot.conditional_access.policy import parse_policy
from idpilot.posture import assess
from idpilot.posture.areas import AreaScore, area_scores
from idpilot.state.roles import Role
from idpilot.store.queries.policies import all_policies
from idpilot.store.queries.related import objects_with_ids

router = APIRouter(tags=["browse"])
UNITS = 1
Reader = Annotated[Caller, Depends(access(Role.reader, UNITS))]
READER = route_access(Role.reader, UNITS)


@router.get("/api/records/{kind}/{record_id}", openapi_extra=READER)
def record(
    request: Request,
    caller: Reader,
    kind: Annotated[str, Path(max_length=100, description="The Graph kind: user, signIn...")],
    record_id: Annotated[str, Path(max_length=200)],
) -> RecordView:
    """One stored record by Graph kind and id (as an Answer's citations name it): every
    stored property, and the directory objects its ids point at."""
    with tenant_store(config_of(request)) as store:
        found = record_view(store, kind, record_id)
    if found is None:
        raise ApiError(404, "record_not_found", f"No {kind} record with id {record_id} is stored.")
    return found


@router.get("/api/ca-policies", openapi_extra=READER)
def ca_policies(request: Request, caller: Reader) -> list[PolicySummary]:
    """Every Conditional Access policy, each said in plain language (who, which apps, when,
    then what), the objects it names by their names."""
    with tenant_store(config_of(request)) as store:
        policies = [parse_policy(raw) for raw in all_policies(store)]
        wanted = [i for policy in policies for i in policy_ids(policy)]
        names = {row["matched"]: row["label"] for row in objects_with_ids(store, wanted)}
    return [summarize_policy(policy, names) for policy in policies]


@router.get("/api/posture/areas", openapi_extra=READER)
def posture_areas(request: Request, caller: Reader) -> list[AreaScore]:
    """The posture score of each area of checks (weighted as the tenant score), lowest
    first, with how many of its checks passed and failed."""
    with tenant_store(config_of(request)) as store:
        report = assess(store)
    return area_scores(report.results)
