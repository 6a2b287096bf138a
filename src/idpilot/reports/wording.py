"""Words for a stakeholder: areas, severities and detections said in business terms."""

from __future__ import annotations

_AREAS = {
    "accounts": "account hygiene",
    "admin_licences": "administrators' licences",
    "apps": "applications and their permissions",
    "authentication": "sign-in strength (MFA)",
    "authentication_methods": "authentication methods",
    "conditional_access": "Conditional Access",
    "consent": "app consent",
    "guests": "guest access",
    "identity_protection": "identity risk response",
    "locations": "trusted locations",
    "passwords": "passwords",
    "privileged_access": "privileged access (PIM)",
    "roles": "administrator roles",
    "tenant_settings": "tenant settings",
}

_IMPACT = {
    "critical": "could let an attacker take over the organisation's identities; fix now",
    "high": "leaves a common attack path open; fix this month",
    "medium": "weakens a layer of defence; plan the fix",
    "low": "a hygiene gap; fix when convenient",
    "informational": "for awareness",
}


def area_words(area: str) -> str:
    """A posture area (the module a check lives in) as a stakeholder says it."""
    return _AREAS.get(area, area.replace("_", " "))


def severity_impact(severity: str, topic: str) -> str:
    """What a finding of this severity means for the business, about `topic`."""
    return f"{topic[:1].upper()}{topic[1:]}: {_IMPACT.get(severity, 'for review')}"


def detection_words(detection: str) -> str:
    """A detection's camelCase name as words ("passwordSpray" -> "password spray")."""
    return "".join(f" {c.lower()}" if c.isupper() else c for c in detection).strip()
