"""A refused collection in words: the permission or licence Graph's answer points at."""

from __future__ import annotations

from idpilot.model.collections import Collection
from idpilot.sync.endpoints import BY_COLLECTION
from idpilot.sync.graph_errors import GraphErrorBody
from idpilot.sync.permissions import Cause, explain_refusal

RISKY_USERS = BY_COLLECTION[Collection.risky_users]
SIGN_INS = BY_COLLECTION[Collection.sign_ins]
LICENCE_CODE = "Authentication_RequestFromNonPremiumTenantOrB2CTenant"


def test_the_premium_licence_error_names_the_licence() -> None:
    why = explain_refusal(SIGN_INS, GraphErrorBody(403, LICENCE_CODE, "Neither tenant is B2C"))
    assert why.cause is Cause.licence
    assert why.reason().endswith("the tenant needs a Microsoft Entra ID P1 licence")


def test_insufficient_privileges_names_the_permission() -> None:
    error = GraphErrorBody(403, "Authorization_RequestDenied", "Insufficient privileges.")
    why = explain_refusal(RISKY_USERS, error)
    assert why.cause is Cause.permission
    assert "IdentityRiskyUser.Read.All permission" in why.reason()


def test_an_unexplained_403_names_both() -> None:
    why = explain_refusal(RISKY_USERS, GraphErrorBody(403, "UnknownError", ""))
    assert why.cause is Cause.permission_or_licence
    reason = why.reason()
    assert "IdentityRiskyUser.Read.All" in reason and "Microsoft Entra ID P2 licence" in reason


def test_a_404_says_the_tenant_does_not_offer_it() -> None:
    workflows = BY_COLLECTION[Collection.lifecycle_workflows]
    why = explain_refusal(workflows, GraphErrorBody(404, "ResourceNotFound", "not found"))
    assert why.cause is Cause.not_found and "does not offer" in why.reason()
