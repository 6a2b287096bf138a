"""A store made of sign-ins read elsewhere, so a detection written over the store runs on them.

The records are written to a temporary snapshot folder and ingested into an in-memory store as
any snapshot is, so they are stored exactly as a local store would hold them.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import orjson

from idpilot.model.collections import Collection
from idpilot.store import Store


def sign_ins_store(records: list[dict[str, Any]]) -> Store:
    """An in-memory store holding these Graph sign-ins (and nothing else)."""
    from idpilot.sources.ingest import ingest_folder

    store = Store.open()
    if not records:
        return store
    with tempfile.TemporaryDirectory(prefix="idpilot-logs-") as folder:
        path = Path(folder) / f"{Collection.sign_ins.value}.jsonl"
        path.write_bytes(b"\n".join(orjson.dumps(record) for record in records))
        ingest_folder(store, Path(folder))
    return store
