"""Sign-in findings carry the Identity Protection risk detections that corroborate them."""

from __future__ import annotations

from datetime import timedelta

from idpilot.model.windows import TimeWindow
from idpilot.security.detections import DetectionType, run_detections
from idpilot.security.detections.sign_ins import SPRAY_MIN_USERS

from .builder import TenantBuilder

SPRAY_IP = "203.0.113.99"


def _spray(tenant: TenantBuilder, detection_after: timedelta) -> dict:
    start = tenant.ago(days=2)
    victims = [tenant.user(f"Victim {i}") for i in range(SPRAY_MIN_USERS + 2)]
    for i, victim in enumerate(victims):
        tenant.sign_in(victim, start + timedelta(minutes=i), ip=SPRAY_IP, error=50126)
    return tenant.risk_detection(
        victims[0], "passwordSpray", "high", start + detection_after, ipAddress=SPRAY_IP
    )


def _findings(tenant: TenantBuilder, tmp_path):
    store = tenant.store(tmp_path / "snap")
    return run_detections(
        store, TimeWindow(start=tenant.ago(days=30), end=tenant.captured)
    ).findings


def _sprays(tenant: TenantBuilder, tmp_path):
    return [f for f in _findings(tenant, tmp_path) if f.detection is DetectionType.password_spray]


def test_spray_finding_cites_the_risk_detection_on_its_ip(tenant, tmp_path) -> None:
    detection = _spray(tenant, timedelta(hours=5))
    [spray] = [
        f for f in _findings(tenant, tmp_path) if f.detection is DetectionType.password_spray
    ]
    assert [e.id for e in spray.corroboration] == [detection["id"]]
    assert spray.corroboration[0].kind == "riskDetection"


def test_a_detection_days_away_does_not_corroborate(tenant, tmp_path) -> None:
    _spray(tenant, timedelta(days=-1, hours=-3))
    [spray] = [
        f for f in _findings(tenant, tmp_path) if f.detection is DetectionType.password_spray
    ]
    assert spray.corroboration == []


def test_directory_findings_are_not_corroborated_by_sign_in_risk(tenant, tmp_path) -> None:
    _spray(tenant, timedelta(hours=1))
    findings = _findings(tenant, tmp_path)
    assert all(
        not f.corroboration
        for f in findings
        if f.detection not in {DetectionType.password_spray, DetectionType.brute_force}
    )
