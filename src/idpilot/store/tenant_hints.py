"""The `_tenant_hints` temp table: what an ingest's records say of the tenant they belong to.

`sources.tenant` decides from these rows (and explains a refusal); here are the queries.
Kinds: `organization` (an organization record's id), `appOwner` (a service principal's
appOwnerOrganizationId, with its appId), `signIn` (homeTenantId and resourceTenantId).
"""

from __future__ import annotations

from typing import Any

import duckdb

from idpilot.store.database import TENANT_KEY

HINTS_TABLE = (
    "CREATE TEMP TABLE IF NOT EXISTS _tenant_hints "
    "(tenant VARCHAR, kind VARCHAR, record VARCHAR, app_id VARCHAR, other VARCHAR, path VARCHAR)"
)


def create_hints(con: duckdb.DuckDBPyConnection) -> None:
    """The hints table, created once per ingest."""
    con.execute(HINTS_TABLE)


def drop_hints(con: duckdb.DuckDBPyConnection) -> None:
    """Drop the hints table once the tenant is decided."""
    con.execute("DROP TABLE IF EXISTS _tenant_hints")


def hint_organizations(con: duckdb.DuckDBPyConnection, paths: list[str]) -> None:
    """Hint the id of every staged organization record (`paths`: the files, by file_no)."""
    con.execute(
        "INSERT INTO _tenant_hints SELECT lower(key), 'organization', key, NULL, NULL, "
        "$paths[file_no + 1] FROM _stage WHERE key IS NOT NULL",
        {"paths": paths},
    )


def hint_app_owners(con: duckdb.DuckDBPyConnection, paths: list[str]) -> None:
    """Hint the appOwnerOrganizationId of every staged service principal, with its appId."""
    con.execute(
        "INSERT INTO _tenant_hints SELECT lower(owner), 'appOwner', key, app_id, NULL, "
        "$paths[file_no + 1] FROM (SELECT key, file_no, "
        "raw ->> '$.appOwnerOrganizationId' AS owner, raw ->> '$.appId' AS app_id "
        "FROM _stage) WHERE owner IS NOT NULL AND owner <> '' AND app_id IS NOT NULL",
        {"paths": paths},
    )


def hint_sign_in_tenants(con: duckdb.DuckDBPyConnection, paths: list[str]) -> None:
    """Hint each pair of home and resource tenants of the staged sign-ins, with one example.

    One example per pair is enough to decide, and to cite in a refusal; both properties come
    from one parse of each record.
    """
    con.execute(
        "INSERT INTO _tenant_hints SELECT lower(t[1]), 'signIn', min(key), NULL, "
        "lower(t[2]), $paths[min(file_no) + 1] FROM (SELECT key, file_no, "
        "json_extract_string(raw, ['$.homeTenantId', '$.resourceTenantId']) AS t "
        "FROM _stage) WHERE t[1] <> '' AND t[2] <> '' GROUP BY lower(t[1]), lower(t[2])",
        {"paths": paths},
    )


def recorded_tenant(con: duckdb.DuckDBPyConnection) -> str | None:
    """The tenant id an earlier ingest recorded, or None."""
    row = con.execute("SELECT value FROM snapshot_info WHERE key = ?", [TENANT_KEY]).fetchone()
    return row[0] if row and row[0] else None


def held_organizations(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Ids of the organization records the store held that this ingest did not bring."""
    rows = con.execute(
        "SELECT id FROM organization WHERE lower(id) NOT IN "
        "(SELECT tenant FROM _tenant_hints WHERE kind = 'organization') ORDER BY id"
    ).fetchall()
    return [row[0] for row in rows]


def incoming_claims(con: duckdb.DuckDBPyConnection) -> list[tuple[Any, ...]]:
    """(tenant, kind, record, path) of each hint that names the snapshot's tenant: organization
    records, sign-ins within one tenant, owners of apps registered in the snapshot."""
    return con.execute(
        "SELECT tenant, kind, min(record), min(path) FROM _tenant_hints "
        "WHERE kind = 'organization' OR (kind = 'signIn' AND tenant = other) "
        "OR (kind = 'appOwner' AND app_id IN (SELECT appId FROM applications)) "
        "GROUP BY tenant, kind ORDER BY kind = 'signIn', kind = 'appOwner', tenant"
    ).fetchall()


def sign_in_of_third_tenant(con: duckdb.DuckDBPyConnection, tenant: str) -> tuple[Any, ...] | None:
    """(home, resource, record, path) of a cross-tenant sign-in where neither tenant is
    `tenant`, or None."""
    return con.execute(
        "SELECT tenant, other, record, path FROM _tenant_hints WHERE kind = 'signIn' "
        "AND tenant <> other AND tenant <> $t AND other <> $t ORDER BY path, record LIMIT 1",
        {"t": tenant},
    ).fetchone()
