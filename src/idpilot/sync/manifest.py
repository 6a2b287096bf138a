"""The snapshot folder's `manifest.json` as a sync writes it, with what it could not read.

Besides `tenantId` and `capturedDateTime` (which ingest checks), it holds the record counts,
the log windows read, and `unavailable`: per collection Graph refused, the status, Graph's code
and message, the permission and licence it needs, and a sentence (`reason`). Ingest keeps the
sentences in the store so answers that read those collections say what they could not see.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import orjson

from idpilot.model.collections import Collection
from idpilot.sources.snapshot_files import MANIFEST_NAME
from idpilot.sync.checkpoint import Checkpoint, Phase
from idpilot.sync.output import read_lines, snapshot_path

UNAVAILABLE_KEY = "unavailable"
_GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)


def tenant_id(out: Path, tenant: str) -> str | None:
    """The tenant's id: `--tenant` when it is one, else the synced organization's id."""
    if _GUID.match(tenant):
        return tenant
    organization = next(read_lines(snapshot_path(out, Collection.organization)), None)
    return organization.get("id") if organization else None


def write_manifest(out: Path, checkpoint: Checkpoint, tenant: str) -> dict[str, Any]:
    """Write `manifest.json` for a complete sync (atomically); returns what it wrote."""
    manifest: dict[str, Any] = {}
    found = tenant_id(out, tenant)
    if found:
        manifest["tenantId"] = found
    if checkpoint.run_until:
        manifest["capturedDateTime"] = checkpoint.run_until
    manifest["generator"] = "idpilot sync"
    states = checkpoint.collections
    manifest["counts"] = {
        name: state.records for name, state in states.items() if state.phase is Phase.done
    }
    manifest["windows"] = {
        name: {"start": state.window_start, "end": state.window_end}
        for name, state in states.items()
        if state.window_start and state.phase is Phase.done
    }
    manifest[UNAVAILABLE_KEY] = {
        name: {**state.unavailable.model_dump(mode="json"), "reason": state.unavailable.reason()}
        for name, state in states.items()
        if state.phase is Phase.unavailable and state.unavailable is not None
    }
    path = out / MANIFEST_NAME
    temporary = out / (MANIFEST_NAME + ".tmp")
    temporary.write_bytes(orjson.dumps(manifest, option=orjson.OPT_INDENT_2))
    os.replace(temporary, path)
    return manifest
