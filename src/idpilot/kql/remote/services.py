"""The services `idpilot kql --remote` can run a query in (no HTTP client needed to name them)."""

from __future__ import annotations

from enum import StrEnum


class RemoteService(StrEnum):
    """Where `--remote` runs the query."""

    la = "la"
    """A Log Analytics workspace (Microsoft Sentinel's)."""
    adx = "adx"
    """An Azure Data Explorer database."""
