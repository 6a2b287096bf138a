"""One store, one tenant: which tenant a snapshot is of, decided from its manifest and its data.

Only properties that name the tenant the data belongs to are used:

- `organization` records: `GET /organization` returns the signed-in tenant, whose `id` is the
  tenant id;
- `servicePrincipals` of an application registered in the snapshot (its `appId` is in
  `applications`): `appOwnerOrganizationId` is the tenant that registered it, this one (a
  multi-tenant app from elsewhere carries its publisher's tenant, so other principals are not
  used);
- sign-ins (beta shape) whose `homeTenantId` and `resourceTenantId` are the same tenant: the
  sign-in did not cross tenants, so it is that tenant's. A cross-tenant sign-in is logged by the
  user's home tenant and by the resource's tenant, so the log's tenant is one of the two: a
  sign-in where neither is the store's tenant is refused too.

Audit records and risk detections carry no property that names the log's tenant
(`initiatedBy.user.homeTenantId` is the actor's home tenant, a guest's is another), so they are
not used.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from idpilot.errors import SnapshotError
from idpilot.model.collections import Collection
from idpilot.sources.snapshot_files import MANIFEST_NAME, SnapshotFile
from idpilot.store.database import TENANT_KEY
from idpilot.store.tenant_hints import (
    create_hints,
    drop_hints,
    held_organizations,
    hint_app_owners,
    hint_organizations,
    hint_sign_in_tenants,
    incoming_claims,
    recorded_tenant,
    sign_in_of_third_tenant,
)

STORE = Path("<store>")  # where a claim the store already held was read
# What each kind of hint is, for the refusal message.
_KIND_TEXT = {
    "manifest": "tenantId of {path}",
    "organization": "organization record {record} in {path}",
    "appOwner": "appOwnerOrganizationId of service principal {record} (an application "
    "registered in this tenant) in {path}",
    "signIn": "homeTenantId and resourceTenantId of sign-in {record} in {path}",
}


@dataclass(frozen=True)
class TenantClaim:
    """A tenant id and where it was read."""

    tenant: str
    where: str
    path: Path


def collect_hints(
    con: duckdb.DuckDBPyConnection, collection: Collection, files: list[SnapshotFile]
) -> None:
    """Record what the staged records (`_stage`) say of their tenant, before they merge."""
    create_hints(con)
    paths = [str(file.path) for file in files]
    if collection is Collection.organization:
        hint_organizations(con, paths)
    elif collection is Collection.service_principals:
        hint_app_owners(con, paths)
    elif collection is Collection.sign_ins:
        hint_sign_in_tenants(con, paths)


def check_one_tenant(
    con: duckdb.DuckDBPyConnection, folder: Path, manifest: dict[str, str]
) -> str | None:
    """Refuse a snapshot of another tenant than the store's (or of two); return the tenant.

    Runs inside the ingest's transaction after the records merged, so `applications` already
    holds the snapshot's applications; a refusal rolls the whole ingest back.
    """
    create_hints(con)
    claims = _held(con) + _incoming(con, folder, manifest)
    tenants = {claim.tenant for claim in claims}
    if len(tenants) > 1:
        first = claims[0]
        other = next(claim for claim in claims if claim.tenant != first.tenant)
        if other.path == STORE:  # the store held two tenants before idpilot checked this
            raise SnapshotError(
                f"this store already holds two tenants, {first.tenant} ({first.where}) and "
                f"{other.tenant} ({other.where}); rebuild one store per tenant from their "
                "snapshots (--store NEW_PATH)",
                path=folder,
            )
        if first.path == STORE:
            said = f"this store holds tenant {first.tenant} ({first.where}), the snapshot is of"
        else:
            said = f"the snapshot is of tenant {first.tenant} ({first.where}) and of"
        raise SnapshotError(
            f"{said} tenant {other.tenant} ({other.where}); one store holds one tenant: "
            "ingest each tenant into its own store (--store NEW_PATH)",
            path=other.path,
        )
    tenant = next(iter(tenants), None)
    if tenant is not None:
        _check_crossings(con, tenant)
    drop_hints(con)
    return tenant


def _held(con: duckdb.DuckDBPyConnection) -> list[TenantClaim]:
    """What the store said of its tenant before this ingest (hints hold only the incoming)."""
    claims = []
    recorded = recorded_tenant(con)
    if recorded:
        claims.append(TenantClaim(recorded.lower(), "recorded by an earlier ingest", STORE))
    for org_id in held_organizations(con):
        claims.append(TenantClaim(org_id.lower(), f"its organization record {org_id}", STORE))
    return claims


def _incoming(
    con: duckdb.DuckDBPyConnection, folder: Path, manifest: dict[str, str]
) -> list[TenantClaim]:
    claims = []
    if manifest.get(TENANT_KEY):
        path = folder / MANIFEST_NAME
        where = _KIND_TEXT["manifest"].format(path=MANIFEST_NAME)
        claims.append(TenantClaim(manifest[TENANT_KEY].lower(), where, path))
    for tenant, kind, record, path in incoming_claims(con):
        where = _KIND_TEXT[kind].format(record=repr(record), path=Path(path).name)
        claims.append(TenantClaim(tenant, where, Path(path)))
    return claims


def _check_crossings(con: duckdb.DuckDBPyConnection, tenant: str) -> None:
    """A cross-tenant sign-in belongs to its home or its resource tenant, never a third one."""
    row = sign_in_of_third_tenant(con, tenant)
    if row:
        home, resource, record, path = row
        raise SnapshotError(
            f"sign-in {record!r} is of tenants {home} (homeTenantId) and {resource} "
            f"(resourceTenantId), neither of which is this store's tenant {tenant}; one store "
            "holds one tenant: ingest each tenant into its own store (--store NEW_PATH)",
            path=Path(path),
            field="resourceTenantId",
        )
