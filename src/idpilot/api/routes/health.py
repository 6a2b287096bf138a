"""`GET /health`: open, for load balancers and the CLI to see the server is up."""

from __future__ import annotations

from fastapi import APIRouter

from idpilot import __version__
from idpilot.api.models import Health

router = APIRouter()


@router.get("/health", tags=["server"])
def health() -> Health:
    """Whether the server is up (no token needed, no tenant data)."""
    return Health(version=__version__)
