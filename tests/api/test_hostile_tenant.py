"""Hostile strings in tenant data come back as data: exact in JSON (invisible characters
\\u-escaped), inert in answer text, never as markup a client would run."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest

from idpilot.sources.ingest import ingest_folder
from idpilot.state.roles import Role
from idpilot.store import Store
from tests.api.served import Served, served
from tests.security.builder import TenantBuilder

HOSTILE = '<img src=x onerror=alert(1)> [evil](https://evil.example) \u202egnp.exe\u200b "q"'
NAME = f"Mallory {HOSTILE}"
RAW = ("\u202e", "\u200b")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Served, dict]]:
    """The API over a tenant whose user's name is hostile, with a failed sign-in and risk."""
    folder = tmp_path_factory.mktemp("hostile-api")
    tenant = TenantBuilder()
    mallory = tenant.user(NAME)
    tenant.user("Bob Plain")
    tenant.sign_in(mallory, tenant.ago(hours=3), error=50126)
    tenant.risky_user(mallory, "high")
    path = folder / "tenant.duckdb"
    with Store.open(path) as store:
        ingest_folder(store, tenant.write(folder / "snapshot"))
    with served(path, folder / "state.duckdb") as running:
        yield running, mallory


def _assert_no_raw(text: str) -> None:
    for character in RAW:
        assert character not in text


def test_sign_ins_carry_the_name_exactly_and_escaped(hostile: tuple[Served, dict]) -> None:
    api, mallory = hostile
    with api.client(Role.reader) as client:
        response = client.get("/api/sign-ins", params={"user": mallory["id"]})
    assert response.headers["content-type"] == "application/json"
    _assert_no_raw(response.text)
    assert "\\u202e" in response.text
    items = json.loads(response.text)["items"]
    assert [item["fields"]["userDisplayName"] for item in items] == [NAME]


def test_an_answer_shows_the_name_inert(hostile: tuple[Served, dict]) -> None:
    api, mallory = hostile
    with api.client(Role.reader) as client:
        response = client.get(f"/api/risky-users/{mallory['id']}/summary")
    assert response.status_code == 200
    _assert_no_raw(response.text)
    answer = response.json()
    text = answer["answer"]
    assert "{U+202E}" in text  # shown, not obeyed
    assert re.search(r"(?<!\\)<img", text) is None  # markdown-escaped: shown as text
    assert "\\[evil\\]" in text and re.search(r"(?<!\\)\[evil", text) is None
    fields = [e["fields"] for e in answer["evidence"] if e["id"] == mallory["id"]]
    assert any(NAME in map(str, f.values()) for f in fields)  # the data stays exact


def test_kql_returns_the_name_as_data(hostile: tuple[Served, dict]) -> None:
    api, _ = hostile
    query = "SigninLogs | project UserDisplayName"
    with api.client(Role.reader) as client:
        response = client.post("/api/kql", json={"query": query})
    _assert_no_raw(response.text)
    assert response.json()["rows"] == [{"UserDisplayName": NAME}]
