"""The generator's contract: determinism, speed, files, Graph shapes, scale of the output."""

from __future__ import annotations

import re
from pathlib import Path

import orjson

from idpilot.model.collections import Collection
from idpilot.sources.demo import generate_demo_tenant

GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
STAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")
CAMEL = re.compile(r"^(@odata\.[a-z]+|[a-z][A-Za-z0-9]*|riskEventTypes_v2)$")
EXPECTED_FILES = {
    "users.json groups.json servicePrincipals.json applications.json appRoleAssignments.json "
    "oauth2PermissionGrants.json roleDefinitions.json roleAssignments.json "
    "roleEligibilitySchedules.json signIns.jsonl directoryAudits.jsonl riskyUsers.json "
    "riskDetections.json riskyServicePrincipals.json servicePrincipalRiskDetections.json "
    "conditionalAccessPolicies.json namedLocations.json userRegistrationDetails.json "
    "lifecycleWorkflows.json organization.json domains.json manifest.json scenarios.json",
    "authorizationPolicy.json authenticationMethodsPolicy.json "
    "identitySecurityDefaultsEnforcementPolicy.json adminConsentRequestPolicy.json "
    "permissionGrantPolicies.json groupSettings.json crossTenantAccessPolicyDefault.json "
    "crossTenantAccessPolicyPartners.json roleManagementPolicies.json "
    "roleManagementPolicyAssignments.json authenticationStrengthPolicies.json "
    "defaultAppManagementPolicy.json subscribedSkus.json roleAssignmentScheduleInstances.json "
    "roleEligibilityScheduleInstances.json administrativeUnits.json",
    "lifecycleWorkflowVersions.json lifecycleWorkflowRuns.json "
    "lifecycleWorkflowUserProcessingResults.json lifecycleWorkflowTaskProcessingResults.json "
    "lifecycleWorkflowTaskReports.json",
}
# Settings Graph publishes without `id` (keyed at ingest by the file's name or `tenantId`).
WITHOUT_ID = {"adminConsentRequestPolicy", "crossTenantAccessPolicyDefault",
              "crossTenantAccessPolicyPartners", "lifecycleWorkflowVersions"}  # fmt: skip


def test_small_tenant_is_byte_identical(tmp_path: Path) -> None:
    first = generate_demo_tenant(tmp_path / "a", seed=7, users=60, days=3)
    second = generate_demo_tenant(tmp_path / "b", seed=7, users=60, days=3)
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "b").iterdir())
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    assert first.counts == second.counts
    assert first.counts["signIns"] > 0


def test_another_seed_gives_another_tenant(tmp_path: Path) -> None:
    a = generate_demo_tenant(tmp_path / "a", seed=1, users=60, days=3)
    b = generate_demo_tenant(tmp_path / "b", seed=2, users=60, days=3)
    assert a.tenant_id != b.tenant_id


def test_snapshot_folder_has_every_collection(demo) -> None:
    assert {p.name for p in demo.path.iterdir()} == {
        name for line in EXPECTED_FILES for name in line.split()
    }
    for file in demo.path.glob("*.json"):
        body = orjson.loads(file.read_bytes())
        if isinstance(body, list):  # one list response per parent workflow or run
            assert body and all("workflows('" in page["@odata.context"] for page in body)
            body = body[0]
        if file.stem not in ("manifest", "scenarios"):
            assert body["@odata.context"].startswith("https://graph.microsoft.com/v1.0/$metadata#")
            if Collection(file.stem).is_singleton:
                assert "value" not in body, file.name
            else:
                assert isinstance(body["value"], list) and body["value"], file.name


def test_every_object_has_an_id(demo) -> None:
    for name, items in demo.collections.items():
        if name in WITHOUT_ID:
            continue
        for item in items:
            assert item.get("id"), (name, item)
        assert len({item["id"] for item in items}) == len(items), name


def test_manifest_and_summary(demo) -> None:
    manifest = orjson.loads((demo.path / "manifest.json").read_bytes())
    assert manifest["capturedDateTime"] == "2026-11-20T10:00:00Z"
    assert manifest["generator"] == "idpilot demo"
    assert manifest["seed"] == 42
    assert manifest["tenantId"] == demo.summary.tenant_id == demo.key["tenantId"]
    assert demo.summary.scenarios_path == demo.path / "scenarios.json"
    assert demo.summary.counts["signIns"] == len(demo.sign_ins)
    assert demo.summary.counts["users"] == 300


def _walk(value, path=""):
    if isinstance(value, dict):
        for key, inner in value.items():
            yield path, key, inner
            yield from _walk(inner, f"{path}.{key}")
    elif isinstance(value, list):
        for inner in value:
            yield from _walk(inner, path)


def test_graph_shapes_camel_case_utc_guid(demo) -> None:
    for name, items in demo.collections.items():
        for item in items[:400]:
            for path, key, value in _walk(item):
                assert CAMEL.match(key), (name, path, key)
                if key.endswith("DateTime") and value is not None:
                    assert STAMP.match(value), (name, key, value)
    for name in ("users", "groups", "servicePrincipals", "applications", "signIns"):
        for item in demo.collections[name]:
            assert GUID.match(item["id"]), (name, item["id"])


def test_sign_in_volume_and_mix(demo) -> None:
    per_user_day = len(demo.sign_ins) / (300 * 30)
    assert 2.6 < per_user_day < 4.0
    interactive = sum(1 for s in demo.sign_ins if s["isInteractive"])
    assert 0.2 < interactive / len(demo.sign_ins) < 0.6
    for s in demo.sign_ins:
        assert s["signInEventTypes"] == (
            ["interactiveUser"] if s["isInteractive"] else ["nonInteractiveUser"]
        )
        assert "2026-10-21T10:00:00Z" <= s["createdDateTime"] < "2026-11-20T10:00:00Z"
    codes = {s["status"]["errorCode"] for s in demo.sign_ins}
    assert {0, 50126, 50074, 50140, 53003, 53000, 50053, 500121} <= codes
    assert 700082 in codes
