"""The Graph requests remediation proposals would send, and how each is undone."""

from __future__ import annotations

import pytest

from idpilot.actions import (
    ProposalKind,
    confirm_compromised,
    confirm_service_principal_compromised,
    disable_account,
    dismiss_risk,
    remove_application_password,
    remove_service_principal_password,
    require_password_reset,
    revoke_sessions,
)
from idpilot.actions import proposals as module
from idpilot.model.records import Record

GRAPH = "https://graph.microsoft.com/v1.0"
USER = Record(kind="user", id="11111111-1111-1111-1111-111111111111", label="a@b.test")
SP = Record(kind="servicePrincipal", id="22222222-2222-2222-2222-222222222222")
KEY = "33333333-3333-3333-3333-333333333333"


def test_confirm_compromised():
    p = confirm_compromised([USER], "spray")
    assert p.kind is ProposalKind.confirm_compromised
    assert (p.request.method, p.request.url) == (
        "POST",
        f"{GRAPH}/identityProtection/riskyUsers/confirmCompromised",
    )
    assert p.request.body == {"userIds": [USER.id]}
    assert p.rollback.url == f"{GRAPH}/identityProtection/riskyUsers/dismiss"
    assert p.required_role == "Security Administrator"
    assert p.affected == [USER]


def test_dismiss_risk_is_not_reversible():
    p = dismiss_risk([USER])
    assert p.request.url == f"{GRAPH}/identityProtection/riskyUsers/dismiss"
    assert p.request.body == {"userIds": [USER.id]}
    assert p.rollback is None and p.rollback_note.startswith("not reversible")
    assert p.as_fact()["reversible"] is False


def test_revoke_sessions():
    p = revoke_sessions(USER)
    assert (p.request.method, p.request.url, p.request.body) == (
        "POST",
        f"{GRAPH}/users/{USER.id}/revokeSignInSessions",
        None,
    )
    assert p.rollback is None


def test_require_password_reset_and_its_undo():
    p = require_password_reset(USER)
    assert (p.request.method, p.request.url) == ("PATCH", f"{GRAPH}/users/{USER.id}")
    assert p.request.body == {"passwordProfile": {"forceChangePasswordNextSignIn": True}}
    assert p.rollback.body == {"passwordProfile": {"forceChangePasswordNextSignIn": False}}


def test_disable_account_and_its_undo():
    p = disable_account(USER)
    assert p.request.body == {"accountEnabled": False}
    assert p.rollback.body == {"accountEnabled": True}
    assert p.rollback.method == "PATCH"


def test_remove_credentials():
    p = remove_service_principal_password(SP, KEY)
    assert p.request.url == f"{GRAPH}/servicePrincipals/{SP.id}/removePassword"
    assert p.request.body == {"keyId": KEY}
    assert p.rollback is None
    app = Record(kind="application", id=SP.id)
    assert remove_application_password(app, KEY).request.url.endswith(
        f"/applications/{SP.id}/removePassword"
    )


def test_confirm_service_principal_compromised():
    p = confirm_service_principal_compromised([SP])
    assert p.request.url.endswith("/identityProtection/riskyServicePrincipals/confirmCompromised")
    assert p.request.body == {"servicePrincipalIds": [SP.id]}


def test_proposals_need_an_object():
    with pytest.raises(ValueError):
        confirm_compromised([])


def test_no_http_client_anywhere_in_actions():
    with open(module.__file__) as handle:
        source = handle.read()
    for client in ("httpx", "requests", "urllib", "http.client", "aiohttp"):
        assert f"import {client}" not in source and f"from {client}" not in source
