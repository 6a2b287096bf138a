"""What a sync reads, where it writes, and from when (no HTTP client needed to say it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from idpilot.model.collections import Collection
from idpilot.sync.endpoints import ENDPOINTS, Endpoint


@dataclass(frozen=True)
class SyncOptions:
    """What to sync, where to, and from when."""

    out: Path
    tenant: str
    base_url: str = "https://graph.microsoft.com"
    since: timedelta = timedelta(days=7)
    overlap: timedelta = timedelta(hours=1)
    collections: tuple[Collection, ...] = ()
    """Empty: every collection of the snapshot contract."""

    def endpoints(self) -> list[Endpoint]:
        """The endpoints this sync reads."""
        wanted = set(self.collections)
        return [e for e in ENDPOINTS if not wanted or e.collection in wanted]
