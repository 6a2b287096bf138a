"""Conditional Access queries over recorded sign-ins: replay's classes, report-only outcomes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from idpilot.store.database import Store

FETCH_BATCH = 5000

_REPLAY_SQL = """
WITH users_map AS (SELECT unnest($user_ids) AS uid, unnest($user_classes) AS user_class),
     ips_map AS (SELECT unnest($ips) AS ip, unnest($ip_classes) AS ip_class),
     picked AS (
    SELECT s.id, s.createdDateTime, s.userId, s.ipAddress,
        um.user_class,
        im.ip_class,
        s.appId,
        s.resourceId,
        s.clientAppUsed,
        s.deviceDetail->>'operatingSystem' AS os,
        (s.deviceDetail->'isCompliant')::BOOLEAN AS compliant,
        (s.deviceDetail->'isManaged')::BOOLEAN AS managed,
        s.deviceDetail->>'trustType' AS trust_type,
        CASE WHEN $device_ids THEN s.deviceDetail->>'deviceId' END AS device_id,
        CASE WHEN $device_ids THEN s.deviceDetail->>'displayName' END AS device_name,
        s.location->>'countryOrRegion' AS country,
        s.riskLevelDuringSignIn AS sign_in_risk,
        s.raw->>'userRiskLevel' AS user_risk,
        s.raw->>'originalTransferMethod' AS transfer,
        s.raw->>'authenticationProtocol' AS protocol,
        (s.raw->'authenticationContextClassReferences')::VARCHAR AS auth_contexts,
        -- What context_from_sign_in reads of the status: success, an MFA failure or a
        -- primary-authentication failure (by code), or any other error.
        CASE WHEN coalesce(s.errorCode, -1) = 0 THEN 0
             WHEN s.errorCode IN (SELECT unnest($mfa_failures)) THEN s.errorCode
             WHEN s.errorCode IN (SELECT unnest($primary_failures)) THEN s.errorCode
             ELSE -1 END AS error_class,
        s.authenticationRequirement AS requirement,
        -- Whether the record lists its authentication steps (beta shape; see
        -- lists_authentication_steps): without them a failure may leave MFA unknown.
        coalesce(s.authenticationRequirement, '') <> ''
            OR coalesce(json_type(s.raw->'authenticationDetails') = 'ARRAY'
                        AND json_array_length(s.raw->'authenticationDetails') > 0, false)
            AS lists_steps,
        coalesce(s.mfaDetail->>'authMethod', '') <> '' AS mfa_method,
        -- A succeeded MFA step, or a result detail saying the MFA requirement was satisfied
        -- (status.additionalDetails on v1.0, authenticationStepResultDetail on beta).
        CASE WHEN coalesce(s.mfaDetail->>'authMethod', '') = ''
             THEN regexp_matches(lower(coalesce(s.status->>'additionalDetails', '')),
                                 $mfa_satisfied)
                  OR coalesce(list_bool_or(list_transform(
                  CAST(coalesce(s.raw->'authenticationDetails', '[]') AS JSON[]),
                  lambda x: (coalesce((x->'succeeded')::BOOLEAN, false)
                       AND regexp_matches(lower(coalesce(x->>'authenticationStepRequirement', '')),
                                          'mfa|multifactor|multi-factor'))
                       OR regexp_matches(lower(coalesce(x->>'authenticationStepResultDetail', '')),
                                         $mfa_satisfied))), false)
             ELSE false END AS mfa_step,
        s.appliedConditionalAccessPolicies::VARCHAR AS recorded
    FROM signIns s
    LEFT JOIN users_map um ON um.uid = s.userId
    LEFT JOIN ips_map im ON im.ip = s.ipAddress
    WHERE json_array_length(s.appliedConditionalAccessPolicies) > 0
      AND ($since IS NULL OR s.createdDateTime >= $since)
)
SELECT * EXCLUDE (id, createdDateTime, userId, ipAddress),
       count(*) AS n,
       any_value(userId) AS user_id,
       any_value(ipAddress) AS ip,
       arg_max(id, createdDateTime, $sample) AS sample_ids
FROM picked
GROUP BY ALL
"""


def replay_class_rows(
    store: Store,
    *,
    users: tuple[list[str], list[int]],
    ips: tuple[list[str], list[int]],
    since: datetime | None,
    device_ids: bool,
    sample: int,
    mfa_failures: list[int],
    mfa_satisfied: str,
    primary_failures: list[int],
) -> Iterator[dict[str, Any]]:
    """One row per equivalence class of replayable sign-ins, read in batches.

    `users` and `ips` map each user id and IP address to its class number.
    """
    cursor = store.con.execute(
        _REPLAY_SQL,
        {
            "user_ids": users[0],
            "user_classes": users[1],
            "ips": ips[0],
            "ip_classes": ips[1],
            "since": since,
            "device_ids": device_ids,
            "sample": sample,
            "mfa_failures": mfa_failures,
            "mfa_satisfied": mfa_satisfied,
            "primary_failures": primary_failures,
        },
    )
    names = [column[0] for column in cursor.description]
    while batch := cursor.fetchmany(FETCH_BATCH):
        for values in batch:
            yield dict(zip(names, values, strict=True))


def signing_in_user_ids(store: Store) -> list[str]:
    """Every user id that appears on a sign-in."""
    rows = store.con.execute("SELECT DISTINCT userId FROM signIns WHERE userId IS NOT NULL")
    return [row[0] for row in rows.fetchall()]


def signing_in_ips(store: Store) -> list[str]:
    """Every IP address that appears on a sign-in."""
    rows = store.con.execute("SELECT DISTINCT ipAddress FROM signIns WHERE ipAddress IS NOT NULL")
    return [row[0] for row in rows.fetchall()]


def report_only_outcomes(store: Store, policy_ids: list[str]) -> list[tuple[str, int, int]]:
    """Per policy (lower-cased id): sign-ins it would have blocked and would have interrupted."""
    rows = store.con.execute(
        """
        SELECT lower(a.id), count(*) FILTER (WHERE a.result = 'reportOnlyFailure'),
               count(*) FILTER (WHERE a.result = 'reportOnlyInterrupted')
        FROM (SELECT unnest(json_transform(appliedConditionalAccessPolicies,
                                           '[{"id": "VARCHAR", "result": "VARCHAR"}]')) AS a
              FROM signIns WHERE json_array_length(appliedConditionalAccessPolicies) > 0)
        WHERE lower(a.id) IN (SELECT unnest(?))
        GROUP BY 1
        """,
        [policy_ids],
    ).fetchall()
    return [(row[0], row[1], row[2]) for row in rows]
