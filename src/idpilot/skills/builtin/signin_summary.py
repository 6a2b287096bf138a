"""Skill `signin_summary`: how sign-ins went over a window, with the top errors, users and apps."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from pydantic import BaseModel

from idpilot.skills.base import (
    EvidenceRecord,
    SkillResult,
    Slot,
    WindowInput,
    define_skill,
    slot,
)
from idpilot.skills.registry import SkillRegistry
from idpilot.store import Store

NAME = "signin_summary"
TOP = 5
DEFAULT_DAYS = 1  # "how are sign-ins going?" without a window means the last day

_TOTALS_SQL = """
SELECT count(*) AS sign_ins,
       count(*) FILTER (WHERE errorCode <> 0 AND errorCode NOT IN (SELECT unnest($interrupts)))
           AS failures,
       count(*) FILTER (WHERE errorCode IN (SELECT unnest($interrupts))) AS interrupts,
       count(DISTINCT userId) AS users,
       count(DISTINCT userId) FILTER (
           WHERE errorCode <> 0 AND errorCode NOT IN (SELECT unnest($interrupts))) AS failing_users,
       count(*) FILTER (WHERE isInteractive IS DISTINCT FROM false) AS interactive
FROM signIns WHERE createdDateTime >= $start AND createdDateTime < $end {filters}
"""
# The filters a question may state: countries, an IP address, an app (NULL: not stated).
_FILTERS = """
  AND ($countries IS NULL
       OR json_extract_string(location, '$.countryOrRegion') IN (SELECT unnest($countries)))
  AND ($cities IS NULL
       OR lower(json_extract_string(location, '$.city')) IN (SELECT lower(unnest($cities))))
  AND ($ip IS NULL OR ipAddress = $ip)
  AND ($app IS NULL OR appId = $app OR lower(appDisplayName) = lower($app)
       OR appId = (SELECT any_value(appId) FROM servicePrincipals WHERE id = $app))
"""
# Who signed in at all (not only who failed), when the question narrows the sign-ins.
_WHO_SQL = """
SELECT coalesce(userPrincipalName, userId) AS key, count(*) AS sign_ins,
       count(*) FILTER (WHERE errorCode = 0) AS successes,
       arg_max(id, (createdDateTime, id)) AS sample_id, max(createdDateTime) AS latest,
       arg_max(userPrincipalName, (createdDateTime, id)) AS upn,
       arg_max(appDisplayName, (createdDateTime, id)) AS app,
       arg_max(errorCode, (createdDateTime, id)) AS error_code
FROM signIns WHERE createdDateTime >= $start AND createdDateTime < $end {filters}
GROUP BY 1 ORDER BY sign_ins DESC, key LIMIT $limit
"""
# One row per group with its count and the newest sign-in of the group, to cite.
_TOP_SQL = """
WITH grouped AS (
    SELECT {key} AS key, count(*) AS failures, count(DISTINCT userId) AS users,
           arg_max(id, (createdDateTime, id)) AS sample_id, max(createdDateTime) AS latest
    FROM signIns
    WHERE createdDateTime >= $start AND createdDateTime < $end AND errorCode <> 0
      AND errorCode NOT IN (SELECT unnest($interrupts)) {filters}
    GROUP BY 1 ORDER BY failures DESC, key LIMIT $limit
)
SELECT g.*, s.userPrincipalName AS upn, s.appDisplayName AS app, s.errorCode AS error_code
FROM grouped g JOIN signIns s ON s.id = g.sample_id
ORDER BY g.failures DESC, g.key
"""
_GROUPINGS = {
    "errors": "errorCode",
    "users": "coalesce(userPrincipalName, userId)",
    "apps": "coalesce(appDisplayName, appId)",
    "countries": "coalesce(json_extract_string(location, '$.countryOrRegion'), 'unknown')",
}


class SignInSummaryInput(BaseModel):
    """The window to summarise."""

    window: WindowInput | None = slot(
        Slot.time_window, "The window (default: the last day of the snapshot).", default=None
    )
    countries: list[str] | None = slot(
        Slot.stated, "Only sign-ins from these countries (ISO 3166 alpha-2).", default=None
    )
    cities: list[str] | None = slot(
        Slot.stated, "Only sign-ins from these cities (as recorded).", default=None
    )
    ip_address: str | None = slot(Slot.ip_address, "Only sign-ins from this IP.", default=None)
    app: str | None = slot(Slot.application, "Only sign-ins to this app.", default=None)


def signin_summary(store: Store, params: SignInSummaryInput) -> SkillResult:
    """Summarise sign-ins in a window: totals, failure rate, top errors, users, apps, countries."""
    from idpilot.knowledge import default_catalog  # the catalogue's files load when it runs

    narrowing = params.countries or params.cities or params.ip_address or params.app
    if params.window is not None:
        window = params.window
    elif narrowing and (first := store.scalar("SELECT min(createdDateTime) FROM signIns")):
        # "who signed in from 203.0.113.7?" asks about the whole snapshot, not the last day.
        end = store.captured_at() + timedelta(microseconds=1)
        window = WindowInput(start=first, end=end, phrase="the whole snapshot")
    else:
        end = store.captured_at() + timedelta(microseconds=1)
        window = WindowInput(start=end - timedelta(days=DEFAULT_DAYS), end=end, phrase="last day")
    catalog = default_catalog()
    # Interrupts (MFA prompt, keep-me-signed-in, token refresh) are steps of sign-ins that go
    # on to succeed: counted apart, never listed as failures.
    interrupts = sorted(entry.code for entry in catalog if entry.is_interrupt)
    narrowed = {
        "countries": [c.upper() for c in params.countries] if params.countries else None,
        "cities": params.cities or None,
        "ip": params.ip_address,
        "app": params.app,
    }
    bounds = {"start": window.start, "end": window.end, **narrowed}
    result = SkillResult(skill=NAME)
    totals = store.query(
        _TOTALS_SQL.format(filters=_FILTERS), {**bounds, "interrupts": interrupts}
    )[0]
    tops: dict[str, list[dict[str, Any]]] = {}
    for name, key in _GROUPINGS.items():
        rows = store.query(
            _TOP_SQL.format(key=key, filters=_FILTERS),
            {**bounds, "interrupts": interrupts, "limit": TOP},
        )
        for row in rows:
            _cite_sample(result, row)
        tops[name] = rows
    who: list[dict[str, Any]] = []
    if any(v is not None for v in narrowed.values()):
        who = store.query(_WHO_SQL.format(filters=_FILTERS), {**bounds, "limit": TOP * 2})
        for row in who:
            _cite_sample(result, row, latest=True)
    for row in tops["errors"]:
        row["title"] = catalog.explain(row["key"]).title
    result.facts = {
        "window": window.model_dump(mode="json"),
        "totals": totals,
        "top": tops,
        "narrowed": {k: v for k, v in narrowed.items() if v is not None},
        "who": who,
    }
    result.kql = (
        "union SigninLogs, AADNonInteractiveUserSignInLogs\n"
        f"| where TimeGenerated between (datetime({window.start:%Y-%m-%dT%H:%M:%SZ}) .. "
        f"datetime({window.end:%Y-%m-%dT%H:%M:%SZ}))\n"
        '| summarize SignIns = count(), Failures = countif(ResultType != "0") by ResultType\n'
        "| sort by SignIns desc"
    )
    if tops["errors"]:
        code = tops["errors"][0]["key"]
        result.followups.append(f"What does error {code} mean?")
    if tops["users"]:
        result.followups.append(f"Why did {tops['users'][0]['key']} fail to sign in?")
    result.followups.append("Anything suspicious in this window?")
    return result


def _cite_sample(result: SkillResult, row: dict[str, Any], *, latest: bool = False) -> None:
    what = "latest sign-in" if latest else "latest failed sign-in of the group"
    result.add_evidence(
        EvidenceRecord(
            kind="signIn",
            id=row["sample_id"],
            label=f"{what} ({row['upn']}, error {row['error_code']})",
            fields={
                "userPrincipalName": row["upn"],
                "appDisplayName": row["app"],
                "errorCode": row["error_code"],
            },
        )
    )


def register(registry: SkillRegistry) -> None:
    """Register `signin_summary`."""
    registry.add(
        define_skill(
            signin_summary,
            name=NAME,
            keywords={
                "how many sign-ins": 4.0,
                "how many sign ins": 4.0,
                "how many logins": 4.0,
                "sign-ins failed": 3.0,
                "sign ins failed": 3.0,
                "failed sign-ins": 2.5,
                "failure rate": 3.5,
                "sign-in summary": 4.0,
                "sign-in statistics": 4.0,
                "sign-in stats": 4.0,
                "top errors": 3.5,
                "most common errors": 3.5,
                "top failing": 3.0,
                "how are sign-ins": 3.5,
            },
        )
    )
