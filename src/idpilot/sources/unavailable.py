"""What the snapshot's producer could not read: `manifest.json`'s `unavailable` collections.

`idpilot sync` writes, for each collection Graph refused, an object whose `reason` says why in
one sentence (the missing permission or licence). Ingest keeps those sentences in the store;
a collection this ingest brings clears an earlier one.
"""

from __future__ import annotations

from pathlib import Path

import msgspec

from idpilot.errors import SnapshotError
from idpilot.model.collections import Collection
from idpilot.sources.snapshot_files import MANIFEST_NAME


def read_unavailable(folder: Path) -> dict[Collection, str]:
    """Collection → reason, from the manifest's `unavailable` object (none without one)."""
    path = folder / MANIFEST_NAME
    if not path.is_file():
        return {}
    try:
        data = msgspec.json.decode(path.read_bytes())
    except (msgspec.DecodeError, RecursionError):
        return {}  # read_manifest has already reported a manifest that is not JSON
    listed = data.get("unavailable") if isinstance(data, dict) else None
    if listed is None:
        return {}
    if not isinstance(listed, dict):
        raise SnapshotError("expected an object of collections", path=path, field="unavailable")
    found: dict[Collection, str] = {}
    for name, entry in listed.items():
        collection = Collection.from_file_stem(name)
        reason = entry.get("reason") if isinstance(entry, dict) else None
        if collection is None or not isinstance(reason, str):
            raise SnapshotError(
                f"'{name}' must be a collection name with a 'reason' string",
                path=path,
                field="unavailable",
            )
        found[collection] = reason
    return found
