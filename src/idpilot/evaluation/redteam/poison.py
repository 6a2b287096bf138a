"""Poisoned tenant records: the cases' planted records, filled out to Graph's shape, written as
a snapshot folder and ingested by idpilot's own ingest into a copy of the store."""

from __future__ import annotations

import json
import shutil
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from idpilot.evaluation.redteam.cases import Collection, RedTeamCase
from idpilot.sources.ingest import ingest_folder
from idpilot.sources.snapshot_files import LISTING_KEY
from idpilot.store import Store

_PLACEHOLDERS = {
    Collection.users: "user",
    Collection.groups: "group",
    Collection.applications: "app",
    Collection.service_principals: "sp",
    Collection.policies: "policy",
}
_NAMESPACE = uuid.UUID("6f1d3c52-94a1-4d8e-9a57-2f0e8b1c7d40")
_HOURS_BEFORE = 6


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class PlantedCase:
    """One case's planted records by collection, and its placeholders' values."""

    records: dict[Collection, list[dict[str, Any]]] = field(default_factory=dict)
    placeholders: dict[str, str] = field(default_factory=dict)


class Planter:
    """Fills planted records out to Graph's shape, with ids stable per case and index."""

    def __init__(self, captured: datetime) -> None:
        self.captured = captured
        self.folder: dict[Collection, list[dict[str, Any]]] = {}

    def plant(self, case: RedTeamCase) -> PlantedCase:
        """The case's records (defaults filled), added to the folder to write."""
        planted = PlantedCase()
        for n, item in enumerate(case.plant):
            oid = str(uuid.uuid5(_NAMESPACE, f"{case.id}/{n}"))
            record = self._default(item.collection, case.id, n, oid, planted)
            record.update(_filled(item.fields, planted.placeholders))
            planted.records.setdefault(item.collection, []).append(record)
            self.folder.setdefault(item.collection, []).append(record)
            name = _PLACEHOLDERS.get(item.collection)
            if name is not None and name not in planted.placeholders:
                planted.placeholders[name] = (
                    record["userPrincipalName"] if name == "user" else record["id"]
                )
                if name == "user":
                    planted.placeholders["user_id"] = record["id"]
        return planted

    def write(self, folder: Path) -> Path:
        """Write the planted records as a snapshot folder (one JSON file per collection) that
        adds them to the store's own (`listing: partial`: nothing else is deleted)."""
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "manifest.json").write_text(json.dumps({LISTING_KEY: "partial"}), "utf-8")
        for collection, records in self.folder.items():
            if collection is Collection.audits or collection is Collection.sign_ins:
                lines = "\n".join(json.dumps(r, ensure_ascii=False) for r in records)
                (folder / f"{collection.value}.jsonl").write_text(lines + "\n", encoding="utf-8")
            else:
                document = {"value": records}
                text = json.dumps(document, ensure_ascii=False, indent=1)
                (folder / f"{collection.value}.json").write_text(text, encoding="utf-8")
        return folder

    def _default(
        self, collection: Collection, case_id: str, n: int, oid: str, planted: PlantedCase
    ) -> dict[str, Any]:
        alias = f"rt.{case_id}.{n}".replace("_", ".").lower()
        when = _iso(self.captured - timedelta(hours=_HOURS_BEFORE + n))
        user = (planted.records.get(Collection.users) or [None])[0]
        if collection is Collection.users:
            return {
                "id": oid, "displayName": f"Red Team {case_id} {n}",
                "userPrincipalName": f"{alias}@contoso.com", "mail": f"{alias}@contoso.com",
                "mailNickname": alias, "accountEnabled": True, "userType": "Member",
                "createdDateTime": _iso(self.captured - timedelta(days=90)),
                "department": "Red Team", "jobTitle": "Analyst", "assignedLicenses": [],
                "signInActivity": {"lastSignInDateTime": when},
            }  # fmt: skip
        if collection is Collection.groups:
            members = [_member(user)] if user else []
            return {
                "id": oid, "displayName": f"Red Team group {case_id}", "description": None,
                "securityEnabled": True, "mailEnabled": False, "groupTypes": [],
                "mailNickname": alias, "isAssignableToRole": False, "members": members,
                "createdDateTime": _iso(self.captured - timedelta(days=30)),
            }  # fmt: skip
        if collection is Collection.applications:
            return {
                "id": oid, "appId": str(uuid.uuid5(_NAMESPACE, f"{case_id}/{n}/app")),
                "displayName": f"Red Team app {case_id}", "description": None,
                "signInAudience": "AzureADMyOrg", "passwordCredentials": [],
                "keyCredentials": [], "requiredResourceAccess": [],
                "createdDateTime": _iso(self.captured - timedelta(days=60)),
            }  # fmt: skip
        if collection is Collection.service_principals:
            return {
                "id": oid, "appId": str(uuid.uuid5(_NAMESPACE, f"{case_id}/{n}/sp")),
                "displayName": f"Red Team service {case_id}", "appDisplayName": None,
                "servicePrincipalType": "Application", "accountEnabled": True,
                "appRoles": [], "passwordCredentials": [], "keyCredentials": [], "tags": [],
                "description": None, "notes": None,
            }  # fmt: skip
        if collection is Collection.policies:
            include = [user["id"]] if user else ["None"]
            return {
                "id": oid, "displayName": f"Red Team policy {case_id}", "state": "disabled",
                "createdDateTime": _iso(self.captured - timedelta(days=20)),
                "conditions": {
                    "clientAppTypes": ["all"],
                    "applications": {"includeApplications": ["All"], "excludeApplications": []},
                    "users": {"includeUsers": include, "excludeUsers": [], "includeGroups": [],
                              "excludeGroups": [], "includeRoles": [], "excludeRoles": []},
                },
                "grantControls": {"operator": "OR", "builtInControls": ["mfa"]},
            }  # fmt: skip
        if collection is Collection.audits:
            target = user or {"id": oid, "displayName": "Red Team", "userPrincipalName": None}
            return {
                "id": f"RedTeam_{oid}", "category": "UserManagement", "correlationId": oid,
                "result": "success", "resultReason": "", "activityDisplayName": "Update user",
                "activityDateTime": when, "loggedByService": "Core Directory",
                "operationType": "Update",
                "initiatedBy": {"user": {"id": target["id"], "displayName": target["displayName"],
                                         "userPrincipalName": target["userPrincipalName"],
                                         "ipAddress": "198.51.100.7"}, "app": None},
                "targetResources": [{
                    "id": target["id"], "displayName": target["displayName"], "type": "User",
                    "userPrincipalName": target["userPrincipalName"],
                    "modifiedProperties": [{"displayName": "JobTitle",
                                            "oldValue": '["Analyst"]', "newValue": '["Analyst"]'}],
                }],
                "additionalDetails": [],
            }  # fmt: skip
        target = user or {"id": oid, "displayName": "Red Team", "userPrincipalName": alias}
        return {
            "id": oid, "createdDateTime": when, "userDisplayName": target["displayName"],
            "userPrincipalName": target["userPrincipalName"], "userId": target["id"],
            "appId": "1fec8e78-bce4-4aaf-ab1b-5451cc387264", "appDisplayName": "Microsoft Teams",
            "ipAddress": "198.51.100.7", "clientAppUsed": "Browser", "correlationId": oid,
            "conditionalAccessStatus": "notApplied", "isInteractive": True,
            "resourceDisplayName": "Microsoft Graph",
            "resourceId": "00000003-0000-0000-c000-000000000000",
            "status": {"errorCode": 50126, "failureReason": "Invalid username or password.",
                       "additionalDetails": None},
            "deviceDetail": {"operatingSystem": "Windows 10", "browser": "Edge 120"},
            "location": {"city": "Seattle", "state": "Washington", "countryOrRegion": "US"},
            "appliedConditionalAccessPolicies": [], "userAgent": "Mozilla/5.0",
            "riskLevelDuringSignIn": "none", "riskState": "none",
        }  # fmt: skip


def _filled(value: Any, placeholders: dict[str, str]) -> Any:
    """`value` with `{user_id}`-style placeholders of earlier planted records filled."""
    if isinstance(value, str):
        for name, replacement in placeholders.items():
            value = value.replace("{" + name + "}", replacement)
        return value
    if isinstance(value, dict):
        return {key: _filled(item, placeholders) for key, item in value.items()}
    if isinstance(value, list):
        return [_filled(item, placeholders) for item in value]
    return value


def _member(user: dict[str, Any]) -> dict[str, Any]:
    return {
        "@odata.type": "#microsoft.graph.user",
        "id": user["id"],
        "displayName": user["displayName"],
        "userPrincipalName": user["userPrincipalName"],
    }


def poisoned_copy(
    source: Path, workdir: Path, cases: list[RedTeamCase]
) -> tuple[Path, dict[str, PlantedCase]]:
    """A copy of the store at `source` with every case's records planted through ingest, and
    each case's planted records and placeholders."""
    target = workdir / "poisoned.duckdb"
    shutil.copyfile(source, target)
    wal = source.with_name(source.name + ".wal")
    if wal.exists():
        shutil.copyfile(wal, target.with_name(target.name + ".wal"))
    with Store.open(target) as store:
        planter = Planter(store.captured_at())
        planted = {case.id: planter.plant(case) for case in cases}
        if planter.folder:
            ingest_folder(store, planter.write(workdir / "poisoned-snapshot"))
    return target, planted
