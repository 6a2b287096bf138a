"""Every shipped promptbook runs on the demo tenant with every step grounded: status ok, each
step citing records of its evidence. Parameters are chosen from the demo data by SQL."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from idpilot.copilot.engine import Copilot
from idpilot.copilot.promptbooks import builtin_promptbooks, find_promptbook, run_promptbook
from idpilot.store import Store
from tests.conftest import DemoTenant

BUILT_IN = {
    "investigate-risky-user": "Investigate a risky user",
    "troubleshoot-sign-in": "Troubleshoot a user's sign-in",
    "tenant-posture-review": "Tenant posture review",
    "review-service-principal": "Review a service principal",
    "respond-to-password-spray": "Respond to a password spray",
}


def _riskiest_user_with_failures(store: Store) -> dict[str, str]:
    row = store.query(
        "SELECT r.userPrincipalName AS upn FROM riskyUsers r "
        "JOIN signIns s ON s.userId = r.id AND s.errorCode <> 0 WHERE r.riskState = 'atRisk' "
        "GROUP BY r.userPrincipalName, r.riskLevel "
        "ORDER BY r.riskLevel = 'high' DESC, count(*) DESC, r.userPrincipalName LIMIT 1"
    )[0]
    return {"user": row["upn"]}


def _user_failing_most(store: Store) -> dict[str, str]:
    row = store.query(
        "SELECT userPrincipalName AS upn FROM signIns WHERE errorCode <> 0 AND isInteractive "
        "GROUP BY userPrincipalName ORDER BY count(*) DESC, userPrincipalName LIMIT 1"
    )[0]
    return {"user": row["upn"]}


def _app_acting_in_the_directory(store: Store) -> dict[str, str]:
    row = store.query(
        "SELECT initiatedBy.app.displayName AS app FROM directoryAudits "
        "WHERE initiatedBy.app.servicePrincipalId IS NOT NULL "
        "GROUP BY ALL ORDER BY count(*) DESC, app LIMIT 1"
    )[0]
    return {"app": row["app"]}


PARAMETERS: dict[str, Callable[[Store], dict[str, str]]] = {
    "investigate-risky-user": _riskiest_user_with_failures,
    "troubleshoot-sign-in": _user_failing_most,
    "tenant-posture-review": lambda store: {},
    "review-service-principal": _app_acting_in_the_directory,
    "respond-to-password-spray": lambda store: {},
}


def test_the_built_ins_are_the_five_promised() -> None:
    assert {book.name: book.title for book in builtin_promptbooks()} == BUILT_IN


@pytest.mark.parametrize("name", sorted(BUILT_IN))
def test_each_built_in_runs_grounded_on_the_demo_tenant(demo_tenant: DemoTenant, name: str) -> None:
    book = find_promptbook(name)
    parameters = PARAMETERS[name](demo_tenant.store)
    run = run_promptbook(Copilot(demo_tenant.store), book, parameters)
    assert run.stopped is None
    assert [step.id for step in run.steps] == book.step_ids()
    for step in run.steps:
        answer = step.answer
        assert answer.status.value == "ok", (step.id, step.prompt, answer.answer)
        assert answer.citations, (step.id, step.prompt)
        evidence = {(record.kind, record.id) for record in answer.evidence}
        assert {(c.kind, c.id) for c in answer.citations} <= evidence, step.id
        assert answer.session_id == run.session_id
        assert "{" not in step.prompt, step.prompt  # every placeholder filled
    for value in parameters.values():
        assert value in run.steps[0].prompt
    if "user" in parameters:  # "this user" in later steps is the user the run was given
        about = [s.objects.get("subject") for s in run.steps if "this user" in s.prompt]
        assert about and set(about) == {parameters["user"]}
