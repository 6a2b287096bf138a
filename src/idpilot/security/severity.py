"""Severity of a finding or a failed check, shared by detections and posture."""

from __future__ import annotations

from enum import StrEnum


class Severity(StrEnum):
    """How urgent a finding is, worst first."""

    critical = "critical"
    high = "high"
    medium = "medium"
    low = "low"
    informational = "informational"

    @property
    def rank(self) -> int:
        """0 for critical up to 4 for informational (sort key)."""
        return list(Severity).index(self)
