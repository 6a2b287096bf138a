"""The posture check contract: a pure function over PostureData returning a typed CheckResult.

Each check names the recognised baseline control it follows (CISA SCuBA, CIS Microsoft 365
Foundations, or a named Microsoft recommendation), its severity and the fix.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field

from idpilot.model.records import Record
from idpilot.security.severity import Severity

if TYPE_CHECKING:
    from idpilot.posture.data import PostureData

MAX_AFFECTED = 50
"""Affected objects kept per check; the count is always complete."""


class CheckStatus(StrEnum):
    """The outcome of one check."""

    passed = "passed"
    failed = "failed"
    not_applicable = "notApplicable"
    unknown = "unknown"
    """The snapshot lacks what the check needs (`missing` names it): never a guess."""


class Baseline(StrEnum):
    """The framework a check follows."""

    cisa_scuba = "CISA SCuBA"
    cis = "CIS Microsoft 365 Foundations"
    eidsca = "EIDSCA"
    microsoft = "Microsoft recommendation"


class CheckResult(BaseModel):
    """What one check found."""

    id: str
    title: str
    area: str
    status: CheckStatus
    severity: Severity
    baseline: Baseline
    control: str
    fix: str
    controls: list[str] = Field(default_factory=list)
    """The baseline control ids it implements (`MS.AAD.1.1v1`, `EIDSCA.AP01`, `CIS.5.2.2.3`)."""
    proposal: dict[str, Any] | None = None
    """The Graph request that would apply the fix, when one request does (never sent)."""
    summary: str = ""
    affected: list[Record] = Field(default_factory=list)
    affected_count: int = 0
    evidence: list[Record] = Field(default_factory=list)
    """What shows a passed check passes (the policy that blocks legacy authentication...)."""
    missing: list[str] = Field(default_factory=list)
    """For an `unknown` result: the collections (or licence data) the snapshot lacks."""


@dataclass(frozen=True)
class Outcome:
    """What a check function returns: status, affected objects and a short factual summary."""

    status: CheckStatus
    affected: list[Record]
    summary: str = ""
    evidence: tuple[Record, ...] = ()
    """The records that show a passed check passes, cited with it."""
    missing: tuple[str, ...] = ()
    """What an `unknown` outcome lacks (Graph collection names)."""


def passed(summary: str = "", evidence: list[Record] | None = None) -> Outcome:
    """A passed outcome, with the records that show it (e.g. the policy doing the job)."""
    return Outcome(CheckStatus.passed, [], summary, tuple(evidence or ()))


def not_applicable(summary: str) -> Outcome:
    """The check cannot be evaluated on this snapshot (say why)."""
    return Outcome(CheckStatus.not_applicable, [], summary)


def unknown(missing: list[str], summary: str = "") -> Outcome:
    """The snapshot lacks the collections the check needs: say which, decide nothing."""
    said = summary or "not in the snapshot: " + ", ".join(missing)
    return Outcome(CheckStatus.unknown, [], said, (), tuple(missing))


def failed_if(affected: list[Record], summary: str = "") -> Outcome:
    """Failed when anything is affected, else passed."""
    return Outcome(CheckStatus.failed if affected else CheckStatus.passed, affected, summary)


CheckFunction = Callable[["PostureData"], Outcome]


@dataclass(frozen=True)
class Check:
    """A registered posture check."""

    id: str
    title: str
    area: str
    severity: Severity
    baseline: Baseline
    control: str
    fix: str
    function: CheckFunction
    controls: tuple[str, ...] = ()

    def run(self, data: PostureData) -> CheckResult:
        """Run the check and wrap its outcome with the check's metadata."""
        outcome = self.function(data)
        return CheckResult(
            id=self.id,
            title=self.title,
            area=self.area,
            status=outcome.status,
            severity=self.severity,
            baseline=self.baseline,
            control=self.control,
            fix=self.fix,
            controls=list(self.controls),
            summary=outcome.summary,
            affected=outcome.affected[:MAX_AFFECTED],
            affected_count=len(outcome.affected),
            evidence=list(outcome.evidence[:MAX_AFFECTED]),
            missing=list(outcome.missing),
        )


CHECKS: list[Check] = []

_SCUBA_ID = re.compile(r"MS\.AAD\.\d+\.\d+v\d+")


def control_ids(control: str) -> tuple[str, ...]:
    """The SCuBA control ids a check's control text names (`MS.AAD.1.1v1`)."""
    return tuple(dict.fromkeys(_SCUBA_ID.findall(control)))


def check(
    id: str,
    title: str,
    severity: Severity,
    baseline: Baseline,
    control: str,
    fix: str,
    controls: tuple[str, ...] | None = None,
) -> Callable[[CheckFunction], CheckFunction]:
    """Register a check function under its identifier (module name = area); `controls` are
    the baseline control ids it implements (by default the SCuBA ids its control text names)."""

    def register(function: CheckFunction) -> CheckFunction:
        if any(c.id == id for c in CHECKS):
            raise ValueError(f"posture check {id} is registered twice")
        area = function.__module__.rsplit(".", 1)[-1]
        implemented = controls if controls is not None else control_ids(control)
        CHECKS.append(
            Check(id, title, area, severity, baseline, control, fix, function, implemented)
        )
        return function

    return register
