"""Running the threat detections: every detection over one window, findings worst first."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from idpilot.model.windows import TimeWindow
from idpilot.security.detections.base import DetectionType, Finding
from idpilot.security.detections.corroboration import corroborating_risk
from idpilot.security.detections.directory import (
    high_privilege_consent,
    privileged_credential,
    role_outside_pim,
    security_info_new_location,
)
from idpilot.security.detections.sign_in_origins import (
    anonymizer_sign_ins,
    impossible_travel,
    legacy_authentication,
)
from idpilot.security.detections.sign_ins import brute_force, mfa_fatigue, password_spray
from idpilot.store import Store

DetectionFunction = Callable[[Store, TimeWindow], list[Finding]]

DETECTIONS: dict[DetectionType, DetectionFunction] = {
    DetectionType.password_spray: password_spray,
    DetectionType.brute_force: brute_force,
    DetectionType.impossible_travel: lambda store, window: impossible_travel(store, window)[0],
    DetectionType.mfa_fatigue: mfa_fatigue,
    DetectionType.legacy_authentication: legacy_authentication,
    DetectionType.anonymizer_sign_in: anonymizer_sign_ins,
    DetectionType.role_outside_pim: role_outside_pim,
    DetectionType.high_privilege_consent: high_privilege_consent,
    DetectionType.privileged_credential: privileged_credential,
    DetectionType.security_info_new_location: security_info_new_location,
}


@dataclass
class DetectionRun:
    """Every finding of one run, worst first, with how long each detection took."""

    window: TimeWindow
    findings: list[Finding] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def run_detections(
    store: Store, window: TimeWindow, only: list[DetectionType] | None = None
) -> DetectionRun:
    """Run the detections over the window and return their findings, worst first."""
    run = DetectionRun(window)
    for detection, function in DETECTIONS.items():
        if only and detection not in only:
            continue
        started = time.perf_counter()
        if detection is DetectionType.impossible_travel:
            found, skipped = impossible_travel(store, window)
            if skipped:
                run.notes.append(
                    f"{skipped} successful sign-ins had no geoCoordinates and were not checked "
                    "for impossible travel."
                )
        else:
            found = function(store, window)
        for finding in found:
            finding.corroboration = corroborating_risk(store, finding)
        run.timings[detection.value] = time.perf_counter() - started
        run.findings.extend(found)
    run.findings.sort(
        key=lambda f: (f.severity.rank, -(f.last_seen.timestamp() if f.last_seen else 0))
    )
    return run
