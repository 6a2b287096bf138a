"""Straightforward reference implementations of the paths made fast for the slow skills
(`policy_draft`, `ca_coverage`, `kql_write`): tests compare the fast paths with these.

Each is the obvious way to compute the same thing: every field read from the record on its
own, every policy result parsed, every class row evaluated, every query in a sandbox of its own.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import duckdb

from idpilot.ca_analysis._replay_classes import replay_classes, sign_in_of
from idpilot.ca_analysis.tenant_policies import TenantPolicies
from idpilot.ca_drafting.impact import (
    AFFECTED,
    ENFORCED_APPLIED,
    DraftImpact,
    ImpactKind,
    ImpactRow,
    classify,
    enforced,
)
from idpilot.conditional_access import PolicySet, context_from_sign_in
from idpilot.kql import adapter
from idpilot.store import Store
from idpilot.store.sandbox import Sandbox

# Every field read from the Graph record with an operator of its own.
REPLAY_SQL = """
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
        CASE WHEN coalesce(s.errorCode, -1) = 0 THEN 0
             WHEN s.errorCode IN (SELECT unnest($mfa_failures)) THEN s.errorCode
             WHEN s.errorCode IN (SELECT unnest($primary_failures)) THEN s.errorCode
             ELSE -1 END AS error_class,
        s.authenticationRequirement AS requirement,
        coalesce(s.authenticationRequirement, '') <> ''
            OR coalesce(json_type(s.raw->'authenticationDetails') = 'ARRAY'
                        AND json_array_length(s.raw->'authenticationDetails') > 0, false)
            AS lists_steps,
        coalesce(s.mfaDetail->>'authMethod', '') <> '' AS mfa_method,
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


def replay_class_rows(store: Store, **bound: Any) -> list[dict[str, Any]]:
    """`replay_class_rows` with every field read on its own (keyword arguments alike)."""
    users, ips = bound.pop("users"), bound.pop("ips")
    cursor = store.con.execute(
        REPLAY_SQL,
        {
            **bound,
            "user_ids": users[0],
            "user_classes": users[1],
            "ips": ips[0],
            "ip_classes": ips[1],
        },
    )
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]


def report_only_outcomes(store: Store, policy_ids: list[str]) -> dict[str, tuple[int, int]]:
    """Per policy (lower-cased id): sign-ins it would have blocked and interrupted, every
    sign-in's results parsed."""
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
    return {row[0]: (row[1], row[2]) for row in rows}


def replay_draft(store: Store, tenant: TenantPolicies, draft: dict[str, Any]) -> DraftImpact:
    """The draft's impact with every per-user class row evaluated on its own."""
    draft_set = PolicySet.from_graph([enforced(draft)], tenant.named_locations)
    impact = DraftImpact()
    by_kind: Counter[ImpactKind] = Counter()
    overlapping: Counter[str] = Counter()
    for row in replay_classes(store, tenant, None, per_user=True):
        context = context_from_sign_in(sign_in_of(row))
        evaluation = draft_set.evaluate(context, tenant.directory).policies[0]
        kind = classify(evaluation, context.primary_authentication_error is not None)
        count = row["n"]
        impact.sign_ins += count
        by_kind[kind] += count
        if kind in (ImpactKind.not_applied, ImpactKind.not_evaluated):
            continue
        impact.rows.append(
            ImpactRow(
                user_id=row["user_id"],
                app_id=row["appId"],
                country=row["country"],
                client_app=row["clientAppUsed"],
                kind=kind,
                sign_ins=count,
                sample_ids=list(row["sample_ids"] or []),
                unmet_controls=list(evaluation.unsatisfied_controls),
                missing_facts=list(evaluation.missing_facts),
            )
        )
        for policy_id, result in tenant.policy_set.results(context, tenant.directory):
            if result in ENFORCED_APPLIED:
                overlapping[policy_id] += count
    impact.by_kind = dict(by_kind)
    impact.overlapping = dict(sorted(overlapping.items(), key=lambda item: (-item[1], item[0])))
    impact.rows.sort(key=lambda r: (AFFECTED.index(r.kind) if r.kind in AFFECTED else 9,
                                    -r.sign_ins))  # fmt: skip
    return impact


def translate_kql(store: Store, query: str) -> tuple[str, dict[str, Any]]:
    """`translate` in a sandbox of its own."""
    with Sandbox(store) as sandbox:
        sql, parameters, _, _ = adapter._translate(store, query, sandbox)
    return sql, parameters


def run_kql(store: Store, query: str, *, limit: int | None = None) -> adapter.KqlResult:
    """`run_kql` with its own translation in a sandbox of its own."""
    adapter._refuse_commands(query)
    adapter._require_views(store)
    with Sandbox(store) as sandbox:
        sql, parameters, views, spellings = adapter._translate(store, query, sandbox)
        if not sandbox.locked:
            sandbox.expose(views)
        try:
            columns, types, fetched = sandbox.fetch(sql, parameters, limit)
        except duckdb.Error as error:
            raise adapter._from_duckdb(error, spellings) from None
    columns = [spellings.kql_name(column) for column in columns]
    truncated = limit is not None and len(fetched) > limit
    rows = fetched[:limit] if limit is not None else fetched
    json_columns = [i for i, kind in enumerate(types) if kind == "JSON"]
    if json_columns:
        rows = [adapter._parse_json_cells(row, json_columns) for row in rows]
    return adapter.KqlResult(columns, types, rows, sql, truncated)


class KqlSession:
    """`adapter.KqlSession` as separate calls: every query translated and run on its own."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def __enter__(self) -> KqlSession:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def translate(self, query: str) -> tuple[str, dict[str, Any]]:
        """As `translate_kql`."""
        return translate_kql(self.store, query)

    def run(self, query: str, *, limit: int | None = None) -> adapter.KqlResult:
        """As `run_kql`."""
        return run_kql(self.store, query, limit=limit)
