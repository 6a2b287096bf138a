"""Conditional Access queries over recorded sign-ins: replay's classes, report-only outcomes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from idpilot.store.database import Store

FETCH_BATCH = 5000

# The fields read from the whole Graph record (`raw`, a few KB each): extracted with one parse
# of the record per sign-in (a path list), not one parse per field.
_RAW_PATHS = [
    "$.userRiskLevel",
    "$.originalTransferMethod",
    "$.authenticationProtocol",
    "$.authenticationContextClassReferences",
    "$.authenticationDetails",
]

_REPLAY_SQL = """
WITH users_map AS (SELECT unnest($user_ids) AS uid, unnest($user_classes) AS user_class),
     ips_map AS (SELECT unnest($ips) AS ip, unnest($ip_classes) AS ip_class),
     replayable AS (
    SELECT id, createdDateTime, userId, ipAddress, appId, resourceId, clientAppUsed, deviceDetail,
        location, riskLevelDuringSignIn, errorCode, authenticationRequirement, mfaDetail, status,
        appliedConditionalAccessPolicies,
        json_extract(raw, $raw_paths) AS raw_fields
    FROM signIns
    WHERE json_array_length(appliedConditionalAccessPolicies) > 0
      AND ($since IS NULL OR createdDateTime >= $since)
),
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
        s.raw_fields[1]->>'$' AS user_risk,
        s.raw_fields[2]->>'$' AS transfer,
        s.raw_fields[3]->>'$' AS protocol,
        s.raw_fields[4]::VARCHAR AS auth_contexts,
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
            OR coalesce(json_type(s.raw_fields[5]) = 'ARRAY'
                        AND json_array_length(s.raw_fields[5]) > 0, false)
            AS lists_steps,
        coalesce(s.mfaDetail->>'authMethod', '') <> '' AS mfa_method,
        -- A succeeded MFA step, or a result detail saying the MFA requirement was satisfied
        -- (status.additionalDetails on v1.0, authenticationStepResultDetail on beta).
        CASE WHEN coalesce(s.mfaDetail->>'authMethod', '') = ''
             THEN regexp_matches(lower(coalesce(s.status->>'additionalDetails', '')),
                                 $mfa_satisfied)
                  OR coalesce(list_bool_or(list_transform(
                  CAST(coalesce(s.raw_fields[5], '[]') AS JSON[]),
                  lambda x: (coalesce((x->'succeeded')::BOOLEAN, false)
                       AND regexp_matches(lower(coalesce(x->>'authenticationStepRequirement', '')),
                                          'mfa|multifactor|multi-factor'))
                       OR regexp_matches(lower(coalesce(x->>'authenticationStepResultDetail', '')),
                                         $mfa_satisfied))), false)
             ELSE false END AS mfa_step,
        s.appliedConditionalAccessPolicies::VARCHAR AS recorded
    FROM replayable s
    LEFT JOIN users_map um ON um.uid = s.userId
    LEFT JOIN ips_map im ON im.ip = s.ipAddress
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

    `users` and `ips` map each user id and IP address to its class number. The rows are read
    through a connection of their own: the caller may query the store between two batches (on
    the store's connection, a query would end the result early).
    """
    cursor = store.cursor()
    try:
        cursor.execute(
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
                "raw_paths": _RAW_PATHS,
            },
        )
        names = [column[0] for column in cursor.description]
        while batch := cursor.fetchmany(FETCH_BATCH):
            for values in batch:
                yield dict(zip(names, values, strict=True))
    finally:
        cursor.close()


def signing_in_user_ids(store: Store) -> list[str]:
    """Every user id that appears on a sign-in."""
    rows = store.con.execute("SELECT DISTINCT userId FROM signIns WHERE userId IS NOT NULL")
    return [row[0] for row in rows.fetchall()]


def signing_in_ips(store: Store) -> list[str]:
    """Every IP address that appears on a sign-in."""
    rows = store.con.execute("SELECT DISTINCT ipAddress FROM signIns WHERE ipAddress IS NOT NULL")
    return [row[0] for row in rows.fetchall()]


def report_only_outcomes(store: Store, policy_ids: list[str]) -> list[tuple[str, int, int]]:
    """Per policy (lower-cased id): sign-ins it would have blocked and would have interrupted.

    A policy that did neither on any sign-in may be left out (read its counts as zero): only
    records whose text names one of the two results are parsed.
    """
    rows = store.con.execute(
        """
        SELECT lower(a.id), count(*) FILTER (WHERE a.result = 'reportOnlyFailure'),
               count(*) FILTER (WHERE a.result = 'reportOnlyInterrupted')
        FROM (SELECT unnest(json_transform(appliedConditionalAccessPolicies,
                                           '[{"id": "VARCHAR", "result": "VARCHAR"}]')) AS a
              FROM signIns
              WHERE (contains(appliedConditionalAccessPolicies::VARCHAR, 'reportOnlyFailure')
                     OR contains(appliedConditionalAccessPolicies::VARCHAR,
                                 'reportOnlyInterrupted'))
                AND json_array_length(appliedConditionalAccessPolicies) > 0)
        WHERE lower(a.id) IN (SELECT unnest(?))
        GROUP BY 1
        """,
        [policy_ids],
    ).fetchall()
    return [(row[0], row[1], row[2]) for row in rows]


_ONE_POLICY = """
    SELECT s.*, s.a.result AS result FROM (
        SELECT id, createdDateTime, userId, userDisplayName, userPrincipalName, appDisplayName,
               unnest(json_transform(appliedConditionalAccessPolicies,
                                     '[{"id": "VARCHAR", "result": "VARCHAR"}]')) AS a
        FROM signIns
        WHERE contains(lower(appliedConditionalAccessPolicies::VARCHAR), lower($policy))
          AND json_array_length(appliedConditionalAccessPolicies) > 0) s
    WHERE lower(s.a.id) = lower($policy)
"""


def policy_results(store: Store, policy_id: str) -> list[dict[str, Any]]:
    """What one policy did to the recorded sign-ins: per `appliedConditionalAccessPolicies`
    result, how many sign-ins and how many distinct users, most first."""
    return store.query(
        f"SELECT result, count(*) AS sign_ins, count(DISTINCT userId) AS users "
        f"FROM ({_ONE_POLICY}) GROUP BY result ORDER BY sign_ins DESC, result",
        {"policy": policy_id},
    )


def policy_hits(
    store: Store, policy_id: str, results: list[str], limit: int
) -> list[dict[str, Any]]:
    """The latest sign-ins one policy gave one of `results` (failure, reportOnlyFailure...),
    newest first, at most `limit`."""
    return store.query(
        f"SELECT id, createdDateTime, userId, userDisplayName, userPrincipalName, "
        f"appDisplayName, result FROM ({_ONE_POLICY}) WHERE list_contains($results, result) "
        f"ORDER BY createdDateTime DESC, id LIMIT $limit",
        {"policy": policy_id, "results": results, "limit": limit},
    )


def users_hit(store: Store, policy_id: str, results: list[str], limit: int) -> list[dict[str, Any]]:
    """The users one policy gave one of `results`, most sign-ins first: id, name, sign-ins."""
    return store.query(
        f"SELECT userId, any_value(userDisplayName) AS userDisplayName, "
        f"any_value(userPrincipalName) AS userPrincipalName, count(*) AS sign_ins "
        f"FROM ({_ONE_POLICY}) WHERE list_contains($results, result) AND userId IS NOT NULL "
        f"GROUP BY userId ORDER BY sign_ins DESC, userDisplayName LIMIT $limit",
        {"policy": policy_id, "results": results, "limit": limit},
    )
