"""The sync's memory: where each collection's paging stands, written atomically after each page.

`FOLDER/.sync/checkpoint.json` (next to the snapshot files, in a folder ingest does not read)
holds, per collection, the phase, the next URL to request, how many bytes of its part file
are committed, the whole opaque deltaLink of its last delta round and, for logs, the time
window being read and the oldest event committed so far. A killed sync truncates each part file
to its committed size and asks for the next URL again: nothing lost, nothing twice.
"""

from __future__ import annotations

import os
from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, Field

from idpilot.errors import IdpilotError
from idpilot.sync.permissions import Unavailable

SYNC_FOLDER = ".sync"
CHECKPOINT_NAME = "checkpoint.json"


class Phase(StrEnum):
    """Where a collection is in the current run."""

    pending = "pending"  # not started in this run
    paging = "paging"  # pages are being read; `next_url` is the next one
    fetched = "fetched"  # every page read; the snapshot file is still to be written
    done = "done"  # the snapshot file is written
    unavailable = "unavailable"  # Graph refused it in this run (`unavailable` says why)


class CollectionState(BaseModel):
    """One collection's progress, and what a later run starts from."""

    phase: Phase = Phase.pending
    next_url: str | None = None
    part_bytes: int = 0
    part_records: int = 0
    pages: int = 0
    restarts: int = 0
    full_round: bool = True
    """A delta round from scratch (the result replaces the file) or from a deltaLink (merged)."""
    delta_link: str | None = None
    pending_delta_link: str | None = None
    """The deltaLink of the round in progress, kept once its last page is read."""
    window_start: str | None = None
    window_end: str | None = None
    oldest_seen: str | None = None
    """Logs: the earliest event time committed in this window (where paging restarts)."""
    high_water: str | None = None
    """Logs: the end of the last window read whole (the next window starts before it)."""
    records: int = 0
    """Records in the snapshot file once written."""
    done_principals: int = 0
    """A list read per parent record (appRoleAssignments per service principal, a workflow's
    history): how many parents' lists are committed (the name kept for older checkpoints)."""
    unavailable: Unavailable | None = None


class Checkpoint(BaseModel):
    """Every collection's state for one snapshot folder and tenant."""

    tenant: str
    run_started: str | None = None
    run_until: str | None = None
    """The end of this run's log windows, fixed when the run starts (a resume keeps it)."""
    collections: dict[str, CollectionState] = Field(default_factory=dict)

    @property
    def complete(self) -> bool:
        """True when every collection of the run is written or recorded as unavailable."""
        return all(s.phase in (Phase.done, Phase.unavailable) for s in self.collections.values())


def sync_folder(out: Path) -> Path:
    """The folder beside the snapshot files that holds the checkpoint and part files."""
    return out / SYNC_FOLDER


def load_checkpoint(out: Path, tenant: str) -> Checkpoint:
    """The folder's checkpoint, or a fresh one; a checkpoint of another tenant is refused."""
    path = sync_folder(out) / CHECKPOINT_NAME
    if not path.exists():
        return Checkpoint(tenant=tenant)
    checkpoint = Checkpoint.model_validate_json(path.read_bytes())
    if checkpoint.tenant.lower() != tenant.lower():
        raise IdpilotError(
            f"{out} was synced from tenant {checkpoint.tenant}, not {tenant}; "
            "sync into another folder (--out)"
        )
    return checkpoint


def save_checkpoint(out: Path, checkpoint: Checkpoint) -> None:
    """Write the checkpoint atomically: a temporary file, flushed, then renamed over it."""
    folder = sync_folder(out)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / CHECKPOINT_NAME
    temporary = folder / (CHECKPOINT_NAME + ".tmp")
    with temporary.open("wb") as handle:
        handle.write(checkpoint.model_dump_json(indent=1).encode())
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
