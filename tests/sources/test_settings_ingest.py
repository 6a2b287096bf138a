"""Tenant settings ingest: Graph's published examples, singletons in every shape Graph or an
exporter writes them, keys for records Graph publishes without `id`, and what was brought."""

from __future__ import annotations

import json
import re
from pathlib import Path

import orjson
import pytest

from idpilot.errors import SnapshotError
from idpilot.sources.ingest import ingest_folder
from idpilot.store import Store
from tests.helpers import GRAPH_EXAMPLES, snapshot_from_examples

# Published example (tests/fixtures/README.md names its page and commit) -> snapshot file.
SETTINGS_EXAMPLES = {
    "authorizationPolicy.get.json": "authorizationPolicy.json",
    "authenticationMethodsPolicy.get.json": "authenticationMethodsPolicy.json",
    "identitySecurityDefaultsEnforcementPolicy.get.json": (
        "identitySecurityDefaultsEnforcementPolicy.json"
    ),
    "adminConsentRequestPolicy.get.json": "adminConsentRequestPolicy.json",
    "permissionGrantPolicy.list.json": "permissionGrantPolicies.json",
    "groupSetting.list.json": "groupSettings.json",
    "crossTenantAccessPolicyConfigurationPartner.list.json": "crossTenantAccessPolicyPartners.json",
    "unifiedRoleManagementPolicy.list.json": "roleManagementPolicies.json",
    "unifiedRoleManagementPolicyAssignment.list.json": "roleManagementPolicyAssignments.json",
    "authenticationStrengthPolicy.list.json": "authenticationStrengthPolicies.json",
    "tenantAppManagementPolicy.get.json": "defaultAppManagementPolicy.json",
    "subscribedSku.list.json": "subscribedSkus.json",
    "unifiedRoleAssignmentScheduleInstance.list.json": "roleAssignmentScheduleInstances.json",
    "unifiedRoleEligibilityScheduleInstance.list.json": "roleEligibilityScheduleInstances.json",
    "administrativeUnit.list.json": "administrativeUnits.json",
    "domain.list.json": "domains.json",
}
EXPECTED_RECORDS = {
    "authorizationPolicy": 1, "authenticationMethodsPolicy": 1,
    "identitySecurityDefaultsEnforcementPolicy": 1, "adminConsentRequestPolicy": 1,
    "permissionGrantPolicies": 2, "groupSettings": 1, "crossTenantAccessPolicyPartners": 1,
    "roleManagementPolicies": 2, "roleManagementPolicyAssignments": 2,
    "authenticationStrengthPolicies": 3, "defaultAppManagementPolicy": 1, "subscribedSkus": 2,
    "roleAssignmentScheduleInstances": 2, "roleEligibilityScheduleInstances": 1,
    "administrativeUnits": 1, "domains": 1,
}  # fmt: skip


@pytest.fixture
def examples_store(tmp_path: Path) -> Store:
    store = Store.open(tmp_path / "store.duckdb")
    report = ingest_folder(store, snapshot_from_examples(tmp_path / "snap", SETTINGS_EXAMPLES))
    assert report.records == EXPECTED_RECORDS
    assert not report.warnings
    return store


def test_published_examples_ingest_with_their_typed_columns(examples_store: Store) -> None:
    con = examples_store.con
    assert con.execute(
        "SELECT id, allowInvitesFrom, allowedToUseSSPR, guestUserRoleId FROM authorizationPolicy"
    ).fetchall() == [("authorizationPolicy", "everyone", True, None)]
    methods = con.execute(
        "SELECT json_array_length(authenticationMethodConfigurations) "
        "FROM authenticationMethodsPolicy"
    ).fetchone()[0]
    assert methods == 5
    assert con.execute(
        "SELECT isEnabled FROM identitySecurityDefaultsEnforcementPolicy"
    ).fetchone() == (True,)
    assert con.execute('SELECT json_array_length("values") FROM groupSettings').fetchone() == (14,)
    skus = con.execute("SELECT skuPartNumber, consumedUnits FROM subscribedSkus ORDER BY 1")
    assert skus.fetchall() == [("CRMSTANDARD", 14), ("ENTERPRISEPREMIUM", 14)]
    instances = con.execute(
        "SELECT count(*) FROM roleAssignmentScheduleInstances WHERE startDateTime IS NULL"
    ).fetchone()
    assert instances == (2,)


def test_settings_published_without_an_id_are_keyed_without_a_warning(
    examples_store: Store,
) -> None:
    con = examples_store.con
    consent = con.execute(
        "SELECT id, isEnabled, requestDurationInDays, json_array_length(reviewers) "
        "FROM adminConsentRequestPolicy"
    )
    assert consent.fetchall() == [("adminConsentRequestPolicy", True, 0, 2)]
    assert con.execute("SELECT id, tenantId FROM crossTenantAccessPolicyPartners").fetchall() == [
        ("123f4846-ba00-4fd7-ba43-dac1f8f63013", "123f4846-ba00-4fd7-ba43-dac1f8f63013")
    ]


def test_reingesting_the_examples_changes_nothing(examples_store: Store, tmp_path: Path) -> None:
    report = ingest_folder(examples_store, tmp_path / "snap")
    assert report.total_changed == 0


def test_the_snapshot_records_the_collections_it_brought(tmp_path: Path) -> None:
    folder = tmp_path / "snap"
    folder.mkdir()
    (folder / "authorizationPolicy.json").write_text(
        (GRAPH_EXAMPLES / "authorizationPolicy.get.json").read_text()
    )
    (folder / "roleAssignmentScheduleInstances.json").write_text('{"value": []}')
    store = Store.open(tmp_path / "store.duckdb")
    ingest_folder(store, folder)
    assert sorted(store.con.execute("SELECT * FROM snapshot_collections").fetchall()) == [
        ("authorizationPolicy", 1),
        ("roleAssignmentScheduleInstances", 0),
    ]


SINGLETON = orjson.loads((GRAPH_EXAMPLES / "adminConsentRequestPolicy.get.json").read_bytes())


@pytest.mark.parametrize(
    "document",
    [
        SINGLETON,
        [SINGLETON],
        {"value": [SINGLETON]},
        {"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#x", "value": [SINGLETON]},
    ],
    ids=["object", "array", "list-response", "list-response-with-context"],
)
def test_a_singleton_is_read_in_every_shape(document: object, tmp_path: Path) -> None:
    folder = tmp_path / "snap"
    folder.mkdir()
    (folder / "adminConsentRequestPolicy.json").write_text(json.dumps(document))
    store = Store.open(tmp_path / "store.duckdb")
    report = ingest_folder(store, folder)
    assert report.records == {"adminConsentRequestPolicy": 1} and not report.warnings
    row = store.con.execute("SELECT id, raw FROM adminConsentRequestPolicy").fetchall()
    assert [(r[0], orjson.loads(r[1])) for r in row] == [("adminConsentRequestPolicy", SINGLETON)]


def test_an_id_less_record_of_another_collection_is_still_refused(tmp_path: Path) -> None:
    folder = tmp_path / "snap"
    folder.mkdir()
    (folder / "roleManagementPolicies.json").write_text('{"value": [{"displayName": "x"}]}')
    with pytest.raises(SnapshotError, match="needs a string 'id'"):
        ingest_folder(Store.open(tmp_path / "store.duckdb"), folder)


def test_the_cross_tenant_default_as_published_is_refused_at_its_trailing_comma(
    tmp_path: Path,
) -> None:
    published = "crossTenantAccessPolicyConfigurationDefault.get.json"
    folder = snapshot_from_examples(
        tmp_path / "snap", {published: "crossTenantAccessPolicyDefault.json"}
    )
    with pytest.raises(SnapshotError) as refused:
        ingest_folder(Store.open(tmp_path / "store.duckdb"), folder)
    assert (refused.value.line, refused.value.column) == (7, 49)  # the comma after `false`
    assert "trailing comma" in str(refused.value)


def test_the_cross_tenant_default_without_its_comma_is_keyed_by_name(tmp_path: Path) -> None:
    text = (GRAPH_EXAMPLES / "crossTenantAccessPolicyConfigurationDefault.get.json").read_text()
    folder = tmp_path / "snap"
    folder.mkdir()
    fixed = text.replace(
        '"isHybridAzureADJoinedDeviceAccepted": false,',
        '"isHybridAzureADJoinedDeviceAccepted": false',
    )
    (folder / "crossTenantAccessPolicyDefault.json").write_text(fixed)
    store = Store.open(tmp_path / "store.duckdb")
    ingest_folder(store, folder)
    assert store.con.execute(
        "SELECT id, isServiceDefault FROM crossTenantAccessPolicyDefault"
    ).fetchall() == [("crossTenantAccessPolicyDefault", True)]


def test_every_settings_example_names_its_published_page_and_commit() -> None:
    sources = (GRAPH_EXAMPLES.parent / "README.md").read_text()
    published = [*SETTINGS_EXAMPLES, "crossTenantAccessPolicyConfigurationDefault.get.json"]
    for name in published:
        row = next((line for line in sources.splitlines() if line.startswith(f"| {name} |")), "")
        assert re.search(r"\| [a-z0-9-]+\.md \| [0-9a-f]{40} \|", row), name
