"""Threat detections over sign-in and audit logs, each returning typed findings.

Public names are imported from their module when first used (PEP 562): a skill's input model
needs `DetectionType`, and declaring it must not load every detection.
"""

from __future__ import annotations

from idpilot._lazy_exports import lazy_exports

_SOURCES = {
    "DETECTIONS": "runner",
    "DetectionRun": "runner",
    "DetectionType": "base",
    "Finding": "base",
    "run_detections": "runner",
}
"""Each public name and the module that defines it."""

__all__ = sorted(_SOURCES)

__getattr__, __dir__ = lazy_exports(__name__, _SOURCES, globals())
