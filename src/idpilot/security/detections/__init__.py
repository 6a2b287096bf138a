"""Threat detections over sign-in and audit logs, each returning typed findings.

Public names are imported from their module when first used (PEP 562): a skill's input model
needs `DetectionType`, and declaring it must not load every detection.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_SOURCES = {
    "DETECTIONS": "runner",
    "DetectionRun": "runner",
    "DetectionType": "base",
    "Finding": "base",
    "run_detections": "runner",
}
"""Each public name and the module that defines it."""

__all__ = sorted(_SOURCES)


def __getattr__(name: str) -> Any:
    """The public name `name`, imported from its module on first use (PEP 562)."""
    source = _SOURCES.get(name)
    if source is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{source}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_SOURCES))
