"""A first name that is also a word of the trade ("Tor", "Per") is read as the prompt means."""

from __future__ import annotations

from datetime import timedelta

import pytest

from idpilot.copilot.understanding.understand import understand
from idpilot.skills import default_registry
from idpilot.store import Store
from tests.security.builder import TenantBuilder


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    tenant = TenantBuilder()
    for name in ("Tor Fjellstad", "Per Lindqvist", "Anna Berg"):
        user = tenant.user(name)
        tenant.sign_in(user, tenant.ago(days=1), error=50126)
        tenant.sign_in(user, tenant.ago(days=1) + timedelta(minutes=5))
    return tenant.store(tmp_path_factory.mktemp("trade") / "snap")


def _read(store: Store, prompt: str):
    return understand(store, default_registry(), prompt, store.captured_at())


@pytest.mark.parametrize(
    ("prompt", "intent"),
    [
        ("anyone logging in through Tor or an anonymizer lately?", "detect_threats"),
        ("failed sign-ins per country this week", "signin_summary"),
    ],
)
def test_a_word_of_the_trade_is_not_taken_for_a_person(
    store: Store, prompt: str, intent: str
) -> None:
    request = _read(store, prompt)
    assert request.intent == intent
    assert not [m for m in request.entities.matches if m.kind == "user"]


@pytest.mark.parametrize(
    ("prompt", "intent"),
    [
        ("is Tor risky?", "risky_user_summary"),
        ("why did Tor fail to sign in yesterday", "signin_troubleshoot"),
        ("Per says he cannot sign in to Teams", "signin_troubleshoot"),
    ],
)
def test_the_same_name_said_of_a_person_stays_a_person(
    store: Store, prompt: str, intent: str
) -> None:
    request = _read(store, prompt)
    assert request.intent == intent
    assert [m.label for m in request.entities.matches if m.kind == "user"]
