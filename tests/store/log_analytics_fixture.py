"""A small snapshot built from Microsoft's Graph reference examples, for the Log Analytics views.

The reference records are copied verbatim (`graph/`); variants of them add what the examples
lack: more failures from one IP, a success with Conditional Access results, a non-interactive
and a service principal sign-in, an old failure outside `ago(1d)`, a role assignment audit.
"""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path
from typing import Any

from idpilot.sources.ingest import ingest_folder
from idpilot.store import Store

GRAPH = Path(__file__).parent / "graph"
SCHEMAS = Path(__file__).parent / "schemas"
TENANT_ID = "99081087-73c4-48d1-a112-f60ff75114f7"
CAPTURED = "2021-07-01T00:00:00Z"
# The sign-in of signIn.beta.list.json: interactive, error 50126, 2021-06-30T16:34:32Z.
REFERENCE_SIGN_IN_ID = "1691d37b-8579-43a7-966a-0f35583c1300"
SPRAY_IP = "131.107.159.37"
POLICIES = [
    {
        "id": "de7e60eb-ed89-4d73-8205-2227def6b7c9",
        "displayName": "Require MFA for admins",
        "enforcedGrantControls": ["Mfa"],
        "enforcedSessionControls": [],
        "result": "success",
    },
    {
        "id": "6701123a-b4c6-48af-8565-565c8bf7cabc",
        "displayName": "Medium signin risk block",
        "enforcedGrantControls": [],
        "enforcedSessionControls": [],
        "result": "notEnabled",
    },
]


def reference(name: str) -> list[dict[str, Any]]:
    """The records of a reference Graph list response."""
    return json.loads((GRAPH / name).read_text(encoding="utf-8"))["value"]


def _variant(record: dict[str, Any], **changes: Any) -> dict[str, Any]:
    changed = copy.deepcopy(record)
    changed.update(changes)
    return changed


def sign_in_variants() -> list[dict[str, Any]]:
    """Sign-ins derived from the reference one, each showing one more case."""
    base = reference("signIn.beta.list.json")[0]
    failures = [
        _variant(
            base,
            id=f"spray-{n}",
            userPrincipalName=f"user{n}@contoso.com",
            userDisplayName=f"User {n}",
            userId=f"00000000-0000-0000-0000-00000000000{n}",
            createdDateTime=f"2021-06-30T1{n}:00:00Z",
        )
        for n in (2, 3, 4)
    ]
    success = _variant(
        base,
        id="success-1",
        createdDateTime="2021-06-30T18:00:00Z",
        ipAddress="203.0.113.10",
        status={"errorCode": 0, "failureReason": "Other.", "additionalDetails": None},
        conditionalAccessStatus="success",
        appliedConditionalAccessPolicies=POLICIES,
        authenticationRequirement="multiFactorAuthentication",
        mfaDetail={"authMethod": "PhoneAppNotification", "authDetail": None},
        location={"city": "Paris", "state": "Paris", "countryOrRegion": "FR", "geoCoordinates": {}},
    )
    non_interactive = _variant(
        base,
        id="non-interactive-1",
        isInteractive=False,
        signInEventTypes=["nonInteractiveUser"],
        createdDateTime="2021-06-30T20:00:00Z",
        status={"errorCode": 0, "failureReason": None, "additionalDetails": None},
        appliedConditionalAccessPolicies=POLICIES,
    )
    service_principal = _variant(
        base,
        id="service-principal-1",
        isInteractive=False,
        signInEventTypes=["servicePrincipal"],
        createdDateTime="2021-06-30T21:00:00Z",
        userDisplayName=None,
        userPrincipalName=None,
        userId="",
        servicePrincipalId="9089a539-a539-9089-39a5-899039a58990",
        servicePrincipalName="Contoso App",
        appId="b55552fe-a272-4b56-990b-95038d917878",
        appDisplayName="Contoso App",
        status={"errorCode": 7000215, "failureReason": "Invalid client secret is provided."},
    )
    old_failure = _variant(
        base,
        id="old-failure-1",
        userPrincipalName="user9@contoso.com",
        createdDateTime="2021-06-20T10:00:00Z",
    )
    unknown_interactivity = {k: v for k, v in base.items() if k != "isInteractive"}
    unknown_interactivity.update(id="no-flag-1", createdDateTime="2021-06-30T22:00:00Z")
    return [*failures, success, non_interactive, service_principal, old_failure,
            unknown_interactivity]  # fmt: skip


def audit_variants() -> list[dict[str, Any]]:
    """A role assignment, shaped like the reference group membership audit."""
    base = reference("directoryAudit.list.json")[0]
    return [
        _variant(
            base,
            id="role-1",
            category="RoleManagement",
            activityDisplayName="Add member to role",
            activityDateTime="2021-06-30T12:00:00Z",
            operationType="Assign",
            result="failure",
            resultReason="Role is locked",
            targetResources=[
                {
                    "id": "1f0e98f5-3161-4c6b-9b50-d488572f2bb7",
                    "displayName": None,
                    "type": "User",
                    "userPrincipalName": "bob@contoso.com",
                    "modifiedProperties": [],
                }
            ],
        )
    ]


def risky_users() -> list[dict[str, Any]]:
    """The reference riskyUser with its documentation placeholders filled in."""
    base = reference("riskyUser.list.json")[0]
    return [
        _variant(
            base,
            isDeleted=False,
            isProcessing=False,
            riskLastUpdatedDateTime="2021-06-30T17:00:00Z",
            riskLevel="high",
            riskState="atRisk",
            riskDetail="none",
            userDisplayName="Test contoso",
            userPrincipalName="testaccount1@contoso.com",
        )
    ]


def _write_jsonl(path: Path, records: list[dict[str, Any]]) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")


def write_snapshot(folder: Path, *, variants: bool = True) -> Path:
    """Write the fixture snapshot folder; without variants, only the verbatim references."""
    folder.mkdir(parents=True, exist_ok=True)
    for reference_name, collection in (
        ("signIn.beta.list.json", "signIns"),
        ("directoryAudit.list.json", "directoryAudits"),
        ("riskDetection.list.json", "riskDetections"),
        ("riskyServicePrincipal.list.json", "riskyServicePrincipals"),
    ):
        shutil.copy(GRAPH / reference_name, folder / f"{collection}.json")
    if variants:
        _write_jsonl(folder / "signIns.jsonl", sign_in_variants())
        _write_jsonl(folder / "directoryAudits.jsonl", audit_variants())
        _write_jsonl(folder / "riskyUsers.jsonl", risky_users())
    (folder / "manifest.json").write_text(
        json.dumps({"tenantId": TENANT_ID, "capturedDateTime": CAPTURED}), encoding="utf-8"
    )
    return folder


def build_store(folder: Path, path: Path | None = None, *, variants: bool = True) -> Store:
    """A store (in memory unless `path`) holding the fixture snapshot."""
    store = Store.open(path)
    ingest_folder(store, write_snapshot(folder, variants=variants))
    return store
