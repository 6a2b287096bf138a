"""Typed records read back from a store built by ingest."""

from __future__ import annotations

import json
from pathlib import Path

from idpilot.model import Collection, RiskyUser, SignIn, User
from idpilot.sources.ingest import ingest_folder
from idpilot.store import Store
from idpilot.store.records import get_record, iter_records
from tests.helpers import GRAPH_EXAMPLES, snapshot_from_examples

SNAPSHOT = {
    "user.list.json": "users.json",
    "signIn.beta.list.json": "signIns.json",
    "riskyUser.list.json": "riskyUsers.json",
}


def _published(example: str) -> list[dict]:
    return json.loads((GRAPH_EXAMPLES / example).read_text())["value"]


def test_get_record_returns_the_typed_record_as_published(tmp_path: Path, store: Store) -> None:
    ingest_folder(store, snapshot_from_examples(tmp_path / "snap", SNAPSHOT))
    published = _published("signIn.beta.list.json")[0]
    sign_in = get_record(store, Collection.sign_ins, published["id"])
    assert isinstance(sign_in, SignIn)
    assert sign_in.status.error_code == 50126
    assert sign_in.model_extra["authenticationDetails"] == published["authenticationDetails"]
    assert sign_in.model_dump(by_alias=True, exclude_unset=True) == published
    risky = get_record(store, Collection.risky_users, "d1d4a5d4-a5d4-d1d4-d4a5-d4d1d4a5d4d1")
    assert isinstance(risky, RiskyUser) and risky.placeholders["isDeleted"] == "Boolean"


def test_get_record_of_an_unknown_id_is_none(tmp_path: Path, store: Store) -> None:
    ingest_folder(store, snapshot_from_examples(tmp_path / "snap", SNAPSHOT))
    assert get_record(store, Collection.users, "no-such-id") is None
    assert get_record(store, Collection.groups, "no-such-id") is None


def test_iter_records_keeps_the_order_asked_and_skips_unknown_ids(
    tmp_path: Path, store: Store
) -> None:
    ingest_folder(store, snapshot_from_examples(tmp_path / "snap", SNAPSHOT))
    ids = [user["id"] for user in _published("user.list.json")]
    wanted = [ids[1], "missing", ids[0], ids[1]]
    users = list(iter_records(store, Collection.users, wanted))
    assert [user.id for user in users] == [ids[1], ids[0]]
    assert all(isinstance(user, User) for user in users)
    assert users[0].user_principal_name == "admin@contoso.com"
    assert list(iter_records(store, Collection.users, [])) == []
