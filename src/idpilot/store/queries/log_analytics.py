"""Queries over the Log Analytics views (migration 002)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from idpilot.store.database import Store


def view_extent(store: Store, view: str) -> tuple[int, datetime | None, datetime | None]:
    """How many rows a Log Analytics view has, and its first and last TimeGenerated."""
    if view not in store.tables():  # the name is pasted in quoted: it must be a real view
        raise ValueError(f"no view {view!r} in the store")
    row = store.con.execute(
        f'SELECT count(*), min(TimeGenerated), max(TimeGenerated) FROM "{view}"'
    ).fetchone()
    return row[0], row[1], row[2]


# AADServicePrincipalRiskEvents has no view (no KQL idpilot ships reads it); an export of the
# store writes its published columns from servicePrincipalRiskDetections.
_SERVICE_PRINCIPAL_RISK_EVENTS = """
SELECT activity AS "Activity", activityDateTime AS "ActivityDateTime",
       raw ->> '$.additionalInfo' AS "AdditionalInfo", appId AS "AppId",
       correlationId AS "CorrelationId", detectedDateTime AS "DetectedDateTime",
       detectionTimingType AS "DetectionTimingType", id AS "Id",
       raw ->> '$.ipAddress' AS "IpAddress", raw -> '$.keyIds' AS "KeyIds",
       lastUpdatedDateTime AS "LastUpdatedDateTime", raw -> '$.location' AS "Location",
       'Service principal risk detection' AS "OperationName", requestId AS "RequestId",
       riskDetail AS "RiskDetail", riskEventType AS "RiskEventType", riskLevel AS "RiskLevel",
       riskState AS "RiskState", servicePrincipalDisplayName AS "ServicePrincipalDisplayName",
       servicePrincipalId AS "ServicePrincipalId", source AS "Source",
       'Azure AD' AS "SourceSystem", t.tenant AS "TenantId",
       coalesce(lastUpdatedDateTime, detectedDateTime, activityDateTime) AS "TimeGenerated",
       raw ->> '$.tokenIssuerType' AS "TokenIssuerType", 'AADServicePrincipalRiskEvents' AS "Type"
FROM servicePrincipalRiskDetections
LEFT JOIN (SELECT value AS tenant FROM snapshot_info WHERE key = 'tenantId') AS t ON true
"""
EXPORT_BATCH_ROWS = 10_000


def table_rows(
    store: Store, table: str
) -> Iterator[tuple[list[tuple[str, str]], list[tuple[Any, ...]]]]:
    """The rows of a Log Analytics table as the store holds it, in batches: (columns as
    (name, DuckDB type), rows). `table` is a view of migration 002 or
    AADServicePrincipalRiskEvents."""
    if table == "AADServicePrincipalRiskEvents":
        sql = _SERVICE_PRINCIPAL_RISK_EVENTS
    elif table in store.tables():  # the name is pasted in quoted: it must be a real view
        sql = f'SELECT * FROM "{table}"'
    else:
        raise ValueError(f"no view {table!r} in the store")
    cursor = store.cursor()
    try:
        cursor.execute(sql + " ORDER BY TimeGenerated, Id")
        columns = [(d[0], str(d[1])) for d in cursor.description]
        while batch := cursor.fetchmany(EXPORT_BATCH_ROWS):
            yield columns, batch
    finally:
        cursor.close()
