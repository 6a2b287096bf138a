"""What an admin pastes from the portal: a sign-in's Request ID or Correlation ID names the
person who signed in and that attempt; a sign-in name typed with a slip names the user it is a
slip of, and the answer says so."""

from __future__ import annotations

from idpilot.copilot.engine import Copilot
from idpilot.copilot.understanding.understand import understand
from idpilot.skills import default_registry
from tests.conftest import DemoTenant


def _read(demo: DemoTenant, prompt: str):
    return understand(demo.store, default_registry(), prompt, demo.store.captured_at())


def test_a_pasted_request_id_names_the_user_and_the_attempt(demo_tenant: DemoTenant) -> None:
    sign_in, correlation, user = demo_tenant.store.con.execute(
        "SELECT id, correlationId, userId FROM signIns WHERE errorCode <> 0 "
        "AND correlationId <> id AND userId IN (SELECT id FROM users) ORDER BY id LIMIT 1"
    ).fetchone()
    request = _read(demo_tenant, f"Request ID {sign_in}, status Failure. Why was it blocked?")
    assert [m.id for m in request.entities.of_kind("user")] == [user]
    assert request.entities.guids == [correlation.lower()]
    assert request.intent == "signin_troubleshoot"
    # A person the prompt names is kept: the id only says which attempt.
    other = demo_tenant.store.con.execute(
        "SELECT displayName FROM users WHERE id <> ? AND displayName NOT LIKE '% % %' "
        "ORDER BY id LIMIT 1",
        [user],
    ).fetchone()[0]
    named = _read(demo_tenant, f"why did {other} fail, request id {sign_in}?")
    assert user not in [m.id for m in named.entities.of_kind("user")]


def test_a_sign_in_name_typed_with_a_slip_is_read_and_said(demo_tenant: DemoTenant) -> None:
    user, upn, name = demo_tenant.store.con.execute(
        "SELECT id, userPrincipalName, displayName FROM users "
        "WHERE length(split_part(userPrincipalName, '@', 1)) >= 10 ORDER BY id LIMIT 1"
    ).fetchone()
    local, domain = upn.split("@")
    slipped = f"{local[:-1]}{local[-1] * 2}@{domain}"  # one letter typed twice
    answer = Copilot(demo_tenant.store).ask(f"can you pull up {slipped}?")
    assert user in {c.id for c in answer.citations}
    assert f'"{slipped.lower()}" as {name}' in answer.answer
    far = f"{local[::-1]}@{domain}"  # not a slip of anyone's
    assert user not in [m.id for m in _read(demo_tenant, f"who is {far}?").entities.matches]


def test_a_close_spelling_is_a_typo_not_a_shared_beginning(demo_tenant: DemoTenant) -> None:
    from idpilot.store.lookup import find_fuzzy

    name = demo_tenant.store.con.execute(
        "SELECT displayName FROM servicePrincipals WHERE displayName LIKE 'Microsoft Teams%' "
        "ORDER BY length(displayName) LIMIT 1"
    ).fetchone()[0]
    typo = name.lower().replace("teams", "teems")
    assert name in {m.label for m in find_fuzzy(demo_tenant.store, [typo])}
    # The same first word and a different second one is another product, not a typo.
    assert name not in {m.label for m in find_fuzzy(demo_tenant.store, ["microsoft entra"])}


def test_a_pasted_object_id_names_the_user_not_an_attempt(demo_tenant: DemoTenant) -> None:
    user = demo_tenant.store.con.execute(
        "SELECT userId FROM signIns WHERE errorCode <> 0 AND userId IN (SELECT id FROM users) "
        "ORDER BY createdDateTime DESC, id LIMIT 1"
    ).fetchone()[0]
    answer = Copilot(demo_tenant.store).ask(f"User object ID {user} couldn't sign in. Why?")
    assert [s.name for s in answer.skills] == ["signin_troubleshoot"]
    assert answer.skills[0].params["user"] == user
    assert answer.skills[0].params.get("correlation_id") is None
    assert answer.status.value == "ok"
