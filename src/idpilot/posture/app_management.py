"""Application credential restrictions (CISA SCuBA MS.AAD.5.5-5.7) in the tenant's default app
management policy: both restriction sets (app registrations and service principals) must hold
the restriction, enabled, for every app (not only apps created after a date)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from idpilot.model.collections import Collection
from idpilot.posture.base import Baseline, Outcome, check, failed_if, not_applicable, passed
from idpilot.posture.data import PostureData
from idpilot.posture.tenant_settings import setting_record
from idpilot.security.severity import Severity

POLICY = Collection.default_app_management_policy
RESTRICTION_SETS = ("applicationRestrictions", "servicePrincipalRestrictions")
MAX_PASSWORD_DAYS = 180
MAX_CERTIFICATE_DAYS = 365
LIFETIME_SLACK_DAYS = 1
"""Entra compares lifetimes with "less than": 181 days set in the portal enforces 180 or less."""
_ALL_APPS_YEAR = 1
"""`restrictForAppsCreatedAfterDateTime` at the year 1 (DateTime.MinValue) means every app."""
_DURATION = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T.*)?$")


def _days(duration: str | None) -> int | None:
    """Whole days of an ISO 8601 duration (P180D, P1Y); None when unreadable."""
    match = _DURATION.match(duration or "")
    if not match:
        return None
    years, months, weeks, days = (int(g or 0) for g in match.groups())
    return years * 365 + months * 30 + weeks * 7 + days


def _for_every_app(restriction: dict[str, Any]) -> bool:
    when = restriction.get("restrictForAppsCreatedAfterDateTime")
    if when in (None, "", "/Date(-62135596800000)/"):
        return True
    try:
        moment = datetime.fromisoformat(str(when).replace("Z", "+00:00"))
    except ValueError:
        return False
    return moment.astimezone(UTC).year <= _ALL_APPS_YEAR


def _gaps(
    policy: dict[str, Any], kind: str, restriction_type: str, max_days: int | None
) -> list[str]:
    """Why the restriction does not hold in each restriction set (empty when it does)."""
    gaps = []
    if policy.get("isEnabled") is not True:
        gaps.append("the default app management policy is not enabled")
    for name in RESTRICTION_SETS:
        restrictions = [
            r
            for r in ((policy.get(name) or {}).get(kind) or [])
            if isinstance(r, dict) and r.get("restrictionType") == restriction_type
        ]
        if not restrictions:
            gaps.append(f"{name}: no {restriction_type} restriction")
        for r in restrictions:
            if r.get("state", "enabled") != "enabled":
                gaps.append(f"{name}: {restriction_type} is {r.get('state')}")
            if not _for_every_app(r):
                after = r.get("restrictForAppsCreatedAfterDateTime")
                gaps.append(f"{name}: only apps created after {after}")
            if max_days is not None:
                days = _days(r.get("maxLifetime"))
                if days is None or days > max_days + LIFETIME_SLACK_DAYS:
                    gaps.append(f"{name}: maxLifetime {r.get('maxLifetime')}")
    return gaps


def _judge(
    data: PostureData, kind: str, restriction_type: str, max_days: int | None, what: str
) -> Outcome:
    policy = data.settings.singleton(POLICY)
    if isinstance(policy, Outcome):
        return policy
    raw = policy.model_dump(by_alias=True, exclude_unset=True, mode="json")
    gaps = _gaps(raw, kind, restriction_type, max_days)
    record = setting_record(POLICY, policy, "; ".join(gaps) or what,
                            {"isEnabled": raw.get("isEnabled")})  # fmt: skip
    if gaps:
        return failed_if([record], "; ".join(gaps))
    return passed(what, [record])


@check(
    "IDP-APP-009",
    "Adding passwords (client secrets) to applications is blocked",
    Severity.medium,
    Baseline.cisa_scuba,
    "MS.AAD.5.5v1 Application Password Addition SHOULD be blocked",
    "Enable the default app management policy with the 'Block password addition' "
    "restriction for applications and service principals, for all apps.",
)
def password_addition_blocked(data: PostureData) -> Outcome:
    """The passwordAddition restriction, enabled for every app, in both restriction sets."""
    return _judge(data, "passwordCredentials", "passwordAddition", None,
                  "password addition blocked for every app")  # fmt: skip


@check(
    "IDP-APP-010",
    "Application password lifetime is at most 180 days",
    Severity.low,
    Baseline.cisa_scuba,
    "MS.AAD.5.6v1 Application password lifetime SHOULD be restricted to 180 days or less",
    "Set the 'Restrict max password lifetime' restriction to 181 days (Entra compares with "
    "'less than') for applications and service principals, for all apps.",
)
def password_lifetime_restricted(data: PostureData) -> Outcome:
    """Moot (not applicable) when password addition is blocked; else passwordLifetime."""
    blocked = password_addition_blocked(data)
    if blocked.status.value == "passed":
        return not_applicable("password addition is blocked (MS.AAD.5.5v1)")
    return _judge(data, "passwordCredentials", "passwordLifetime", MAX_PASSWORD_DAYS,
                  "password lifetime restricted to 180 days")  # fmt: skip


@check(
    "IDP-APP-011",
    "Application certificate lifetime is at most 365 days",
    Severity.low,
    Baseline.cisa_scuba,
    "MS.AAD.5.7v1 Application certificate lifetime SHOULD be restricted to 365 days or less",
    "Set the 'Restrict max certificate lifetime' restriction to 366 days for applications "
    "and service principals, for all apps.",
)
def certificate_lifetime_restricted(data: PostureData) -> Outcome:
    """The asymmetricKeyLifetime restriction at 365 days or less, in both restriction sets."""
    return _judge(data, "keyCredentials", "asymmetricKeyLifetime", MAX_CERTIFICATE_DAYS,
                  "certificate lifetime restricted to 365 days")  # fmt: skip
