"""Which log reader the skills get: the settings decide; a wrong one is refused by name."""

from __future__ import annotations

import pytest

from idpilot.errors import SettingError
from idpilot.kql.remote.services import RemoteService
from idpilot.logs import StoreLogs, log_reader
from idpilot.logs.remote import RemoteLogs
from idpilot.store import Store
from idpilot.sync.auth import AuthMode


def test_without_the_setting_the_logs_are_the_store_s(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("IDPILOT_LOGS_REMOTE", raising=False)
    reader = log_reader(store)
    assert isinstance(reader, StoreLogs) and reader.store is store
    assert reader.source == "the local store"


@pytest.mark.parametrize(
    ("value", "service"), [("la", RemoteService.la), ("ADX", RemoteService.adx)]
)
def test_the_setting_names_the_service_and_the_sign_in(
    store: Store, monkeypatch: pytest.MonkeyPatch, value: str, service: RemoteService
) -> None:
    monkeypatch.setenv("IDPILOT_LOGS_REMOTE", value)
    monkeypatch.setenv("IDPILOT_REMOTE_AUTH", "managed-identity")
    reader = log_reader(store)
    assert isinstance(reader, RemoteLogs)
    assert reader.target.service is service and reader.target.auth is AuthMode.managed_identity


@pytest.mark.parametrize(
    ("name", "value", "said"),
    [
        ("IDPILOT_LOGS_REMOTE", "sentinel", "expected la (Log Analytics), adx"),
        ("IDPILOT_REMOTE_AUTH", "password", "IDPILOT_REMOTE_AUTH='password'"),
    ],
)
def test_a_wrong_setting_is_refused_naming_it(
    store: Store, monkeypatch: pytest.MonkeyPatch, name: str, value: str, said: str
) -> None:
    monkeypatch.setenv("IDPILOT_LOGS_REMOTE", "la")
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingError, match=said.replace("(", r"\(").replace(")", r"\)")):
        log_reader(store)
