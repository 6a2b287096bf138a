"""Every record of a (small) demo tenant reads into its model and back unchanged."""

from __future__ import annotations

from collections.abc import Iterator

import orjson
import pytest

from idpilot.model import Collection, parse_record
from idpilot.sources.demo import generate_demo_tenant
from idpilot.sources.ingest import ingest_folder
from idpilot.store import Store

# Small enough to stay fast, large enough for every collection to hold records.
DEMO_USERS, DEMO_DAYS = 60, 2


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    folder = tmp_path_factory.mktemp("demo")
    generate_demo_tenant(folder / "snap", users=DEMO_USERS, days=DEMO_DAYS)
    store = Store.open(folder / "store.duckdb")
    ingest_folder(store, folder / "snap")
    yield store
    store.close()


@pytest.mark.parametrize("collection", list(Collection), ids=lambda c: c.value)
def test_demo_records_round_trip(demo_store: Store, collection: Collection) -> None:
    rows = demo_store.con.execute(f'SELECT raw FROM "{collection.value}"').fetchall()
    assert rows, f"the demo tenant has no {collection.value}"
    for (raw,) in rows:
        published = orjson.loads(raw)
        record = parse_record(collection, published)
        assert record.model_dump(by_alias=True, exclude_unset=True) == published
