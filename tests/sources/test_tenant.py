"""One store, one tenant: decided from manifest.json and from the data, mismatches refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from idpilot.errors import SnapshotError
from idpilot.sources.ingest import ingest_folder
from idpilot.store import Store
from tests.sources.test_ingest import fingerprint

TENANT_A = "aaaaaaaa-1111-4111-8111-aaaaaaaaaaaa"
TENANT_B = "bbbbbbbb-2222-4222-8222-bbbbbbbbbbbb"
TENANT_C = "cccccccc-3333-4333-8333-cccccccccccc"
MICROSOFT = "f8cdef31-a31e-4b4a-93e4-5f571e91255a"


def _snapshot(folder: Path, files: dict[str, object]) -> Path:
    folder.mkdir(parents=True)
    for name, value in files.items():
        (folder / name).write_text(json.dumps(value))
    return folder


def _org(tenant: str) -> dict[str, object]:
    return {"value": [{"id": tenant, "displayName": f"Org {tenant[:4]}"}]}


def _sign_in(n: int, home: str, resource: str) -> dict[str, object]:
    return {
        "id": f"s{n}",
        "createdDateTime": "2026-01-01T00:00:00Z",
        "homeTenantId": home,
        "resourceTenantId": resource,
    }


def _refused(store: Store, folder: Path) -> SnapshotError:
    before = fingerprint(store)
    with pytest.raises(SnapshotError) as caught:
        ingest_folder(store, folder)
    assert fingerprint(store) == before
    return caught.value


def test_another_tenants_organization_is_refused_without_manifest(
    tmp_path: Path, store: Store
) -> None:
    ingest_folder(store, _snapshot(tmp_path / "a", {"organization.json": _org(TENANT_A)}))
    folder = _snapshot(
        tmp_path / "b", {"organization.json": _org(TENANT_B), "users.json": [{"id": "u-b"}]}
    )
    error = _refused(store, folder)
    assert TENANT_A in str(error) and TENANT_B in str(error)
    assert error.path == folder / "organization.json"
    assert store.scalar("SELECT count(*) FROM organization") == 1


def test_the_tenant_decided_from_data_is_recorded(tmp_path: Path, store: Store) -> None:
    ingest_folder(store, _snapshot(tmp_path / "a", {"organization.json": _org(TENANT_A)}))
    assert store.info("tenantId") == TENANT_A
    # A later snapshot of the same tenant, without manifest or organization, is welcome.
    later = _snapshot(tmp_path / "a2", {"signIns.json": [_sign_in(1, TENANT_A, TENANT_A)]})
    assert ingest_folder(store, later).records["signIns"] == 1


def test_a_manifest_contradicted_by_the_snapshots_organization_is_refused(
    tmp_path: Path, store: Store
) -> None:
    folder = _snapshot(
        tmp_path / "x",
        {"manifest.json": {"tenantId": TENANT_A}, "organization.json": _org(TENANT_B)},
    )
    error = _refused(store, folder)
    assert "manifest.json" in str(error) and TENANT_B in str(error)


def test_a_store_recorded_by_manifest_refuses_another_organization(
    tmp_path: Path, store: Store
) -> None:
    ingest_folder(
        store,
        _snapshot(tmp_path / "a", {"manifest.json": {"tenantId": TENANT_A}, "users.json": []}),
    )
    _refused(store, _snapshot(tmp_path / "b", {"organization.json": _org(TENANT_B)}))


def test_sign_ins_that_did_not_cross_tenants_name_the_tenant(tmp_path: Path, store: Store) -> None:
    ingest_folder(store, _snapshot(tmp_path / "a", {"organization.json": _org(TENANT_A)}))
    folder = _snapshot(tmp_path / "b", {"signIns.json": [_sign_in(1, TENANT_B, TENANT_B)]})
    error = _refused(store, folder)
    assert "sign-in 's1'" in str(error) and error.path == folder / "signIns.json"


def test_guest_and_outbound_sign_ins_of_the_tenant_are_kept(tmp_path: Path, store: Store) -> None:
    ingest_folder(store, _snapshot(tmp_path / "a", {"organization.json": _org(TENANT_A)}))
    folder = _snapshot(
        tmp_path / "b",
        {
            "signIns.json": [
                _sign_in(1, TENANT_A, TENANT_A),
                _sign_in(2, TENANT_B, TENANT_A),  # a guest from B signs in to A's resource
                _sign_in(3, TENANT_A, TENANT_C),  # A's user signs in to C's resource
            ]
        },
    )
    assert ingest_folder(store, folder).records["signIns"] == 3


def test_a_cross_tenant_sign_in_of_two_other_tenants_is_refused(
    tmp_path: Path, store: Store
) -> None:
    ingest_folder(store, _snapshot(tmp_path / "a", {"organization.json": _org(TENANT_A)}))
    folder = _snapshot(tmp_path / "b", {"signIns.json": [_sign_in(7, TENANT_B, TENANT_C)]})
    error = _refused(store, folder)
    assert error.field == "resourceTenantId" and "sign-in 's7'" in str(error)


def test_service_principals_of_own_applications_name_the_tenant(
    tmp_path: Path, store: Store
) -> None:
    ingest_folder(store, _snapshot(tmp_path / "a", {"organization.json": _org(TENANT_A)}))
    folder = _snapshot(
        tmp_path / "b",
        {
            "applications.json": [{"id": "app-obj", "appId": "app-1", "displayName": "Own"}],
            "servicePrincipals.json": [
                {"id": "sp-1", "appId": "app-1", "appOwnerOrganizationId": TENANT_B},
            ],
        },
    )
    error = _refused(store, folder)
    assert "appOwnerOrganizationId" in str(error)


def test_multi_tenant_apps_from_other_publishers_are_not_a_mismatch(
    tmp_path: Path, store: Store
) -> None:
    folder = _snapshot(
        tmp_path / "a",
        {
            "organization.json": _org(TENANT_A),
            "applications.json": [{"id": "app-obj", "appId": "app-1", "displayName": "Own"}],
            "servicePrincipals.json": [
                {"id": "sp-1", "appId": "app-1", "appOwnerOrganizationId": TENANT_A},
                {
                    "id": "sp-2",
                    "appId": "00000003-0000-0000-c000-000000000000",
                    "appOwnerOrganizationId": MICROSOFT,
                },
                {"id": "sp-3", "appId": "partner-app", "appOwnerOrganizationId": TENANT_B},
            ],
        },
    )
    assert ingest_folder(store, folder).records["servicePrincipals"] == 3
    assert store.info("tenantId") == TENANT_A


def test_two_organizations_in_one_snapshot_are_refused(tmp_path: Path, store: Store) -> None:
    value = {"value": [{"id": TENANT_A}, {"id": TENANT_B}]}
    error = _refused(store, _snapshot(tmp_path / "x", {"organization.json": value}))
    assert TENANT_A in str(error) and TENANT_B in str(error)


def test_tenant_ids_compare_without_case(tmp_path: Path, store: Store) -> None:
    ingest_folder(store, _snapshot(tmp_path / "a", {"organization.json": _org(TENANT_A)}))
    again = _snapshot(tmp_path / "b", {"organization.json": _org(TENANT_A.upper())})
    ingest_folder(store, again)


def test_a_store_that_already_mixed_two_tenants_says_so(tmp_path: Path, store: Store) -> None:
    for tenant in (TENANT_A, TENANT_B):  # as an idpilot without this check could leave it
        store.con.execute(
            "INSERT INTO organization (id, raw) VALUES (?, ?)", [tenant, json.dumps({"id": tenant})]
        )
    error = _refused(store, _snapshot(tmp_path / "a", {"users.json": [{"id": "u1"}]}))
    assert "already holds two tenants" in str(error)
