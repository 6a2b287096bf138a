"""The Log Analytics views: published columns and types exactly, and rows mapped from Graph."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from idpilot.sources.ingest import ingest_folder
from idpilot.store import Store
from idpilot.store.migrations import applied_versions, available_migrations, migrate

from .log_analytics_fixture import (
    POLICIES,
    REFERENCE_SIGN_IN_ID,
    SCHEMAS,
    TENANT_ID,
    build_store,
    write_snapshot,
)

KQL_TO_DUCKDB = {
    "string": "VARCHAR",
    "datetime": "TIMESTAMP WITH TIME ZONE",
    "bool": "BOOLEAN",
    "int": "INTEGER",
    "long": "BIGINT",
    "real": "DOUBLE",
    "dynamic": "JSON",
    "guid": "VARCHAR",
}
VIEWS = sorted(path.name.removesuffix(".schema.csv") for path in SCHEMAS.glob("*.schema.csv"))


def published_columns(view: str) -> list[tuple[str, str]]:
    with (SCHEMAS / f"{view}.schema.csv").open(encoding="utf-8", newline="") as handle:
        return [(row["column"], KQL_TO_DUCKDB[row["type"]]) for row in csv.DictReader(handle)]


def view_columns(store: Store, view: str) -> list[tuple[str, str]]:
    rows = store.con.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_name = ? ORDER BY ordinal_position",
        [view],
    ).fetchall()
    return [(name, data_type) for name, data_type in rows]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    return build_store(tmp_path_factory.mktemp("snapshot"))


def rows(store: Store, view: str, where: str = "true", params: list | None = None) -> list[dict]:
    return store.query(f'SELECT * FROM "{view}" WHERE {where} ORDER BY "TimeGenerated"', params)


def test_the_seven_published_tables_are_checked() -> None:
    assert VIEWS == [
        "AADNonInteractiveUserSignInLogs",
        "AADRiskyServicePrincipals",
        "AADRiskyUsers",
        "AADServicePrincipalSignInLogs",
        "AADUserRiskEvents",
        "AuditLogs",
        "SigninLogs",
    ]


@pytest.mark.parametrize("view", VIEWS)
def test_view_has_exactly_the_published_columns_and_types(view: str) -> None:
    with Store.open(None) as empty:
        assert view_columns(empty, view) == published_columns(view)
        assert empty.scalar(f'SELECT count(*) FROM "{view}"') == 0


@pytest.mark.parametrize("view", VIEWS)
def test_types_hold_on_a_populated_store(store: Store, view: str) -> None:
    assert view_columns(store, view) == published_columns(view)
    store.query(f'SELECT * FROM "{view}"')  # every expression evaluates on real rows


def test_sign_ins_split_by_interactivity_and_application(store: Store) -> None:
    interactive = {r["Id"] for r in rows(store, "SigninLogs")}
    non_interactive = {r["Id"] for r in rows(store, "AADNonInteractiveUserSignInLogs")}
    service = {r["Id"] for r in rows(store, "AADServicePrincipalSignInLogs")}
    assert interactive == {
        REFERENCE_SIGN_IN_ID, "spray-2", "spray-3", "spray-4", "success-1", "old-failure-1",
        "no-flag-1",
    }  # fmt: skip
    assert non_interactive == {"non-interactive-1"}
    assert service == {"service-principal-1"}
    assert store.scalar("SELECT count(*) FROM signIns") == len(
        interactive | non_interactive | service
    )


def test_reference_sign_in_maps_like_the_diagnostic_export(store: Store) -> None:
    (row,) = rows(store, "SigninLogs", '"Id" = ?', [REFERENCE_SIGN_IN_ID])
    assert row["TimeGenerated"] == datetime(2021, 6, 30, 16, 34, 32, tzinfo=UTC)
    assert row["CreatedDateTime"] == row["TimeGenerated"]
    assert row["ResultType"] == "50126"
    assert row["ResultDescription"] == (
        "Error validating credentials due to invalid username or password."
    )
    assert row["UserPrincipalName"] == "testaccount1@contoso.com"
    assert row["UserId"] == "26be570a-1111-5555-b4e2-a37c6808512d"
    assert row["UserDisplayName"] == row["Identity"] == "Test contoso"
    assert row["AppDisplayName"] == "Azure Portal"
    assert row["AppId"] == "c44b4083-3bb0-49c1-b47d-974e53cbdf3c"
    assert row["IPAddress"] == "131.107.159.37"
    assert row["Location"] == "US"
    assert row["LocationDetails"]["city"] == "Redmond"
    assert row["DeviceDetail"]["browser"] == "Edge 91.0.864"
    assert row["Status"]["errorCode"] == 50126
    assert row["ConditionalAccessPolicies"] == []
    assert row["ClientAppUsed"] == "Browser"
    assert row["ConditionalAccessStatus"] == "notApplied"
    assert row["CorrelationId"] == "5d295068-919b-4017-85d8-44be2f5f5483"
    assert row["IsInteractive"] is True
    assert row["AuthenticationRequirement"] == "singleFactorAuthentication"
    assert row["ResourceDisplayName"] == "Windows Azure Service Management API"
    assert row["ResourceIdentity"] == "797f4846-ba00-4fd7-ba43-dac1f8f63013"
    assert row["RiskLevelDuringSignIn"] == row["RiskState"] == row["RiskDetail"] == "none"
    assert row["UserAgent"].startswith("Mozilla/5.0")
    assert row["AutonomousSystemNumber"] == "3598"
    assert json.loads(row["AuthenticationDetails"])[0]["authenticationMethod"] == "Password"
    assert row["FlaggedForReview"] is False
    assert row["Category"] == "SignInLogs"
    assert row["OperationName"] == "Sign-in activity"
    assert row["Type"] == "SigninLogs"
    assert row["AADTenantId"] == TENANT_ID
    assert row["DurationMs"] is None
    assert row["MfaDetail"] is None


def test_success_is_result_type_zero_with_policies_as_json(store: Store) -> None:
    (row,) = rows(store, "SigninLogs", '"Id" = ?', ["success-1"])
    assert row["ResultType"] == "0"
    assert row["ConditionalAccessPolicies"] == POLICIES
    assert row["MfaDetail"]["authMethod"] == "PhoneAppNotification"
    assert row["Location"] == "FR"


def test_non_interactive_nested_columns_are_json_text(store: Store) -> None:
    (row,) = rows(store, "AADNonInteractiveUserSignInLogs")
    assert row["Category"] == "NonInteractiveUserSignInLogs"
    assert isinstance(row["Status"], str)  # published as string: JSON text, as in Sentinel
    assert row["Type"] == "AADNonInteractiveUserSignInLogs"
    assert row["IsInteractive"] is False
    assert row["ResultType"] == "0"
    assert json.loads(row["ConditionalAccessPolicies"]) == POLICIES
    assert json.loads(row["LocationDetails"])["countryOrRegion"] == "US"
    assert json.loads(row["Status"])["errorCode"] == 0
    assert json.loads(row["SignInEventTypes"]) == ["nonInteractiveUser"]
    assert row["AuthenticationProtocol"] == "oAuth2"
    assert row["TenantId"] == TENANT_ID


def test_service_principal_sign_in(store: Store) -> None:
    (row,) = rows(store, "AADServicePrincipalSignInLogs")
    assert row["ServicePrincipalName"] == row["Identity"] == "Contoso App"
    assert row["ServicePrincipalId"] == "9089a539-a539-9089-39a5-899039a58990"
    assert row["AppId"] == "b55552fe-a272-4b56-990b-95038d917878"
    assert row["ResultType"] == "7000215"
    assert row["ResultDescription"] == "Invalid client secret is provided."
    assert row["Category"] == "ServicePrincipalSignInLogs"


def test_no_service_principal_sign_ins_means_an_empty_view(tmp_path: Path) -> None:
    with build_store(tmp_path / "snap", variants=False) as only_references:
        assert only_references.scalar("SELECT count(*) FROM SigninLogs") == 1
        assert only_references.scalar("SELECT count(*) FROM AADServicePrincipalSignInLogs") == 0


def test_audit_logs(store: Store) -> None:
    (group, role) = rows(store, "AuditLogs")
    assert group["Id"] == "id"
    assert group["OperationName"] == group["ActivityDisplayName"] == "Add member to group"
    assert group["Category"] == "UserManagement"
    assert group["Result"] == "success"
    assert group["ResultType"] == "Success"
    assert group["ResultReason"] == "Successfully added member to group"
    assert group["LoggedByService"] == "Core Directory"
    assert group["CorrelationId"] == "da159bfb-54fa-4092-8a38-6e1fa7870e30"
    assert group["TimeGenerated"] == group["ActivityDateTime"]
    assert group["Identity"] == "Audry Oliver"
    initiated = group["InitiatedBy"]
    assert initiated["user"]["userPrincipalName"] == "bob@wingtiptoysonline.com"
    targets = group["TargetResources"]
    assert targets[1]["userPrincipalName"] == "bob@contoso.com"
    assert group["AdditionalDetails"][0]["key"] == "Additional Detail Name"
    assert group["Level"] == "Informational"
    assert group["AADTenantId"] == TENANT_ID
    assert role["OperationName"] == "Add member to role"
    assert role["AADOperationType"] == "Assign"
    assert role["ResultType"] == "Failure"


def test_user_risk_events(store: Store) -> None:
    (row,) = rows(store, "AADUserRiskEvents")
    assert row["Id"] == "6a5874ca-abcd-9d82-5ad39bd71600"
    assert row["RiskEventType"] == "unfamiliarFeatures"
    assert row["RiskLevel"] == "medium"
    assert row["RiskState"] == "remediated"
    assert row["IpAddress"] == "123.456.7.89"
    assert row["UserPrincipalName"] == "olack@adatum.com"
    assert row["OperationName"] == "User Risk Detection"
    assert row["Location"]["city"] == "Seattle"
    assert row["AdditionalInfo"][0]["Key"] == "userAgent"
    assert row["TimeGenerated"] == datetime(2018, 9, 5, 0, 11, 27, 773602, tzinfo=UTC)


def test_risky_users_and_service_principals(store: Store) -> None:
    (user,) = rows(store, "AADRiskyUsers")
    assert user["UserPrincipalName"] == "testaccount1@contoso.com"
    assert user["RiskLevel"] == "high"
    assert user["IsDeleted"] is False
    assert user["TimeGenerated"] == datetime(2021, 6, 30, 17, 0, tzinfo=UTC)
    (principal,) = rows(store, "AADRiskyServicePrincipals")
    assert principal["DisplayName"] == "Contoso App"
    assert principal["AccountEnabled"] is True
    assert principal["RiskState"] == "atRisk"
    assert principal["ServicePrincipalType"] == "Application"
    assert principal["TenantId"] == TENANT_ID


def test_a_store_built_before_the_views_is_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    first = next(m for m in available_migrations() if m.version == 1)
    con = duckdb.connect(str(path))
    applied_versions(con)  # creates schema_migrations
    con.execute(first.sql)
    con.execute("INSERT INTO schema_migrations VALUES (1, ?, now())", [first.name])
    con.close()
    with Store.open(path) as old:  # migrates 002 on open
        assert old.scalar("SELECT max(version) FROM schema_migrations") >= 2
    path.unlink()
    # Ingest into a store still at 001, then migrate: the sign-in kinds are filled from raw.
    con = duckdb.connect(str(path))
    applied_versions(con)
    con.execute(first.sql)
    con.execute("INSERT INTO schema_migrations VALUES (1, ?, now())", [first.name])
    store = Store(con, path)
    ingest_folder(store, write_snapshot(tmp_path / "snap"))
    migrate(con)
    assert store.scalar("SELECT count(*) FROM AADServicePrincipalSignInLogs") == 1
    assert store.scalar("SELECT count(*) FROM AADNonInteractiveUserSignInLogs") == 1
    con.close()
