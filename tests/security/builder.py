"""Small Graph-shaped tenants for tests: build objects, write a snapshot folder, ingest it."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from idpilot.sources.ingest import ingest_folder
from idpilot.store import Store

CAPTURED = datetime(2025, 6, 30, 12, 0, tzinfo=UTC)
TENANT_ID = "11111111-2222-3333-4444-555555555555"
GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000"
MICROSOFT_TENANT = "f8cdef31-a31e-4b4a-93e4-5f571e91255a"
GLOBAL_ADMIN = "62e90394-69f5-4237-9190-012177145e10"
USER_ADMIN = "fe930be7-5e62-47db-91af-98c3a49a38b1"
GRAPH_ROLES = {
    "RoleManagement.ReadWrite.Directory": "9e3f62cf-ca93-4989-b6ce-bf83c28f9fe8",
    "Mail.Read": "810c84a8-4a9e-49e6-bf7d-12d183f40d01",
    "User.Read.All": "df021288-bdef-4463-88db-98f22de89214",
}
# Real coordinates, so distances are what a person expects.
SEATTLE = ("Seattle", "US", 47.61, -122.33)
SINGAPORE = ("Singapore", "SG", 1.35, 103.82)
TACOMA = ("Tacoma", "US", 47.25, -122.44)


def iso(moment: datetime) -> str:
    """Graph's timestamp spelling."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class TenantBuilder:
    """Collects Graph objects per collection; ids are deterministic per name."""

    def __init__(self, captured: datetime = CAPTURED) -> None:
        self.captured = captured
        self.collections: dict[str, list[dict[str, Any]]] = {}
        self._n = 0

    def id(self, seed: str | None = None) -> str:
        """A stable GUID for `seed` (or the next counter value)."""
        self._n += 1
        return str(uuid.uuid5(uuid.NAMESPACE_URL, seed or f"object-{self._n}"))

    def ago(self, **delta: float) -> datetime:
        """A moment before the snapshot time."""
        return self.captured - timedelta(**delta)

    def add(self, collection: str, obj: dict[str, Any]) -> dict[str, Any]:
        """Append an object to a collection and return it."""
        self.collections.setdefault(collection, []).append(obj)
        return obj

    # -- directory ------------------------------------------------------------------------

    def user(self, name: str, **kw: Any) -> dict[str, Any]:
        """A member user named `name` (UPN from the name), with overrides."""
        alias = name.lower().replace(" ", ".")
        obj = {
            "id": self.id(f"user:{name}"),
            "displayName": name,
            "userPrincipalName": f"{alias}@contoso.test",
            "mail": f"{alias}@contoso.test",
            "userType": "Member",
            "accountEnabled": True,
            "createdDateTime": iso(self.ago(days=400)),
            "signInActivity": {"lastSignInDateTime": iso(self.ago(days=1))},
        }
        obj.update(kw)
        return self.add("users", obj)

    def group(self, name: str, members: list[dict[str, Any]], **kw: Any) -> dict[str, Any]:
        """A security group with direct members."""
        obj = {
            "id": self.id(f"group:{name}"),
            "displayName": name,
            "securityEnabled": True,
            "mailEnabled": False,
            "groupTypes": [],
            "isAssignableToRole": False,
            "members": [
                {"@odata.type": "#microsoft.graph." + ("group" if "securityEnabled" in m
                 else "user"), "id": m["id"], "displayName": m["displayName"]}
                for m in members
            ],
        }  # fmt: skip
        obj.update(kw)
        return self.add("groups", obj)

    def role(self, template_id: str, name: str) -> dict[str, Any]:
        """A built-in role definition (id = template id, as Graph returns built-ins)."""
        return self.add(
            "roleDefinitions",
            {"id": template_id, "templateId": template_id, "displayName": name,
             "isBuiltIn": True, "isEnabled": True},
        )  # fmt: skip

    def assign(self, principal: dict[str, Any], template_id: str, eligible: bool = False):
        """An active role assignment, or a PIM eligibility schedule."""
        obj = {
            "id": self.id(),
            "principalId": principal["id"],
            "roleDefinitionId": template_id,
            "directoryScopeId": "/",
        }
        if eligible:
            obj.update(memberType="Direct", status="Provisioned")
            return self.add("roleEligibilitySchedules", obj)
        return self.add("roleAssignments", obj)

    def registration(self, user: dict[str, Any], methods: list[str], **kw: Any):
        """userRegistrationDetails for a user."""
        obj = {
            "id": user["id"],
            "userPrincipalName": user["userPrincipalName"],
            "userDisplayName": user["displayName"],
            "userType": "member",
            "isAdmin": False,
            "isMfaRegistered": any(m != "email" for m in methods),
            "isMfaCapable": bool(methods),
            "isPasswordlessCapable": False,
            "methodsRegistered": methods,
            "defaultMfaMethod": methods[0] if methods else "none",
            "lastUpdatedDateTime": iso(self.ago(days=2)),
        }
        obj.update(kw)
        return self.add("userRegistrationDetails", obj)

    # -- apps -----------------------------------------------------------------------------

    def service_principal(self, name: str, **kw: Any) -> dict[str, Any]:
        """A service principal owned by this tenant."""
        obj = {
            "id": self.id(f"sp:{name}"),
            "appId": self.id(f"app:{name}"),
            "displayName": name,
            "servicePrincipalType": "Application",
            "appOwnerOrganizationId": TENANT_ID,
            "accountEnabled": True,
            "appRoles": [],
            "passwordCredentials": [],
            "keyCredentials": [],
            "tags": [],
        }
        obj.update(kw)
        return self.add("servicePrincipals", obj)

    def graph(self) -> dict[str, Any]:
        """Microsoft Graph's service principal, publishing a few app roles."""
        return self.service_principal(
            "Microsoft Graph",
            appId=GRAPH_APP_ID,
            appOwnerOrganizationId=MICROSOFT_TENANT,
            appRoles=[
                {"id": role_id, "value": name, "allowedMemberTypes": ["Application"]}
                for name, role_id in GRAPH_ROLES.items()
            ],
        )

    def application(self, sp: dict[str, Any], **kw: Any) -> dict[str, Any]:
        """The app registration behind a service principal."""
        obj = {
            "id": self.id(f"application:{sp['displayName']}"),
            "appId": sp["appId"],
            "displayName": sp["displayName"],
            "signInAudience": "AzureADMyOrg",
            "createdDateTime": iso(self.ago(days=300)),
            "passwordCredentials": [],
            "keyCredentials": [],
            "requiredResourceAccess": [],
        }
        obj.update(kw)
        return self.add("applications", obj)

    def secret(self, name: str, start: datetime, end: datetime) -> dict[str, Any]:
        """A passwordCredential."""
        return {"keyId": self.id(f"key:{name}"), "displayName": name,
                "startDateTime": iso(start), "endDateTime": iso(end), "hint": "abc"}  # fmt: skip

    def grant_app_role(self, client: dict[str, Any], resource: dict[str, Any], role_id: str):
        """An appRoleAssignment of an application permission to a client service principal."""
        return self.add(
            "appRoleAssignments",
            {"id": self.id(), "principalId": client["id"], "principalType": "ServicePrincipal",
             "principalDisplayName": client["displayName"], "resourceId": resource["id"],
             "resourceDisplayName": resource["displayName"], "appRoleId": role_id,
             "createdDateTime": iso(self.ago(days=100))},
        )  # fmt: skip

    def app_role(self, name: str, description: str | None = None, **kw: Any) -> dict[str, Any]:
        """An app role users and groups can be assigned (value from the name), for `appRoles`."""
        role = {"id": self.id(f"appRole:{name}"), "displayName": name,
                "value": name.replace(" ", ""), "description": description,
                "allowedMemberTypes": ["User"], "isEnabled": True}  # fmt: skip
        role.update(kw)
        return role

    def assign_app_role(
        self, principal: dict[str, Any], resource: dict[str, Any], role: dict[str, Any]
    ) -> dict[str, Any]:
        """An appRoleAssignment of `role` of the resource app to a user or group."""
        kind = "Group" if "securityEnabled" in principal else "User"
        return self.add(
            "appRoleAssignments",
            {"id": self.id(), "principalId": principal["id"], "principalType": kind,
             "principalDisplayName": principal["displayName"], "resourceId": resource["id"],
             "resourceDisplayName": resource["displayName"], "appRoleId": role["id"],
             "createdDateTime": iso(self.ago(days=50))},
        )  # fmt: skip

    # -- logs -----------------------------------------------------------------------------

    def sign_in(
        self,
        user: dict[str, Any],
        when: datetime,
        ip: str = "203.0.113.10",
        error: int = 0,
        place: tuple[str, str, float, float] | None = SEATTLE,
        client: str = "Browser",
        **kw: Any,
    ) -> dict[str, Any]:
        """A sign-in by `user`; `place` None leaves out geoCoordinates."""
        city, country, lat, lon = place or ("Unknown", "US", None, None)
        obj = {
            "id": self.id(),
            "createdDateTime": iso(when),
            "userId": user["id"],
            "userPrincipalName": user["userPrincipalName"],
            "userDisplayName": user["displayName"],
            "appId": "00000002-0000-0ff1-ce00-000000000000",
            "appDisplayName": "Office 365 Exchange Online",
            "ipAddress": ip,
            "clientAppUsed": client,
            "correlationId": self.id(),
            "isInteractive": True,
            "riskLevelDuringSignIn": "none",
            "riskState": "none",
            "riskEventTypes_v2": [],
            "status": {"errorCode": error, "failureReason": None, "additionalDetails": None},
            "location": {
                "city": city,
                "countryOrRegion": country,
                "geoCoordinates": None if lat is None else {"latitude": lat, "longitude": lon},
            },
            "appliedConditionalAccessPolicies": [],
        }
        obj.update(kw)
        return self.add("signIns", obj)

    def audit(
        self,
        activity: str,
        when: datetime,
        actor: dict[str, Any],
        targets: list[dict[str, Any]],
        category: str = "RoleManagement",
        **kw: Any,
    ) -> dict[str, Any]:
        """A directoryAudit initiated by a user (or an app when `actor` has appId)."""
        if "appId" in actor:
            initiated = {
                "user": None,
                "app": {
                    "appId": actor["appId"],
                    "displayName": actor["displayName"],
                    "servicePrincipalId": actor["id"],
                },
            }
        else:
            initiated = {"user": {"id": actor["id"], "displayName": actor["displayName"],
                         "userPrincipalName": actor["userPrincipalName"],
                         "ipAddress": kw.pop("ip", "198.51.100.7")}, "app": None}  # fmt: skip
        obj = {
            "id": f"Directory_{self.id()}",
            "activityDateTime": iso(when),
            "activityDisplayName": activity,
            "category": category,
            "correlationId": self.id(),
            "result": "success",
            "loggedByService": "Core Directory",
            "operationType": "Assign",
            "initiatedBy": initiated,
            "targetResources": targets,
            "additionalDetails": [],
        }
        obj.update(kw)
        return self.add("directoryAudits", obj)

    @staticmethod
    def target(obj: dict[str, Any], kind: str, **props: Any) -> dict[str, Any]:
        """An audit target with JSON-encoded modifiedProperties."""
        return {
            "id": obj["id"],
            "displayName": obj.get("displayName"),
            "type": kind,
            "userPrincipalName": obj.get("userPrincipalName"),
            "modifiedProperties": [
                {"displayName": k, "oldValue": None, "newValue": json.dumps(v)}
                for k, v in props.items()
            ],
        }

    def risky_user(self, user: dict[str, Any], level: str, state: str = "atRisk", **kw: Any):
        """A riskyUsers record."""
        obj = {
            "id": user["id"],
            "userPrincipalName": user["userPrincipalName"],
            "userDisplayName": user["displayName"],
            "riskLevel": level,
            "riskState": state,
            "riskDetail": "none",
            "riskLastUpdatedDateTime": iso(self.ago(days=1)),
            "isDeleted": False,
            "isProcessing": False,
        }
        obj.update(kw)
        return self.add("riskyUsers", obj)

    def risk_detection(
        self,
        user: dict[str, Any],
        event: str,
        level: str,
        when: datetime,
        sign_in: dict[str, Any] | None = None,
        timing: str = "realtime",
        **kw: Any,
    ) -> dict[str, Any]:
        """A riskDetection, tied to a sign-in when given."""
        obj = {
            "id": self.id(),
            "requestId": sign_in["id"] if sign_in else None,
            "correlationId": sign_in["correlationId"] if sign_in else None,
            "riskEventType": event,
            "riskState": "atRisk",
            "riskLevel": level,
            "riskDetail": "none",
            "source": "IdentityProtection",
            "detectionTimingType": timing,
            "activity": "signin" if sign_in else "user",
            "ipAddress": sign_in["ipAddress"] if sign_in else None,
            "location": sign_in["location"] if sign_in else None,
            "activityDateTime": iso(when),
            "detectedDateTime": iso(when),
            "lastUpdatedDateTime": iso(when),
            "userId": user["id"],
            "userDisplayName": user["displayName"],
            "userPrincipalName": user["userPrincipalName"],
            "additionalInfo": "[]",
        }
        obj.update(kw)
        return self.add("riskDetections", obj)

    # -- policies -------------------------------------------------------------------------

    def policy(
        self,
        name: str,
        state: str = "enabled",
        include_users: list[str] | None = None,
        exclude_users: list[str] | None = None,
        include_roles: list[str] | None = None,
        exclude_groups: list[str] | None = None,
        apps: list[str] | None = None,
        controls: list[str] | None = None,
        **conditions: Any,
    ) -> dict[str, Any]:
        """A Conditional Access policy (Graph shape); extra kwargs go into `conditions`."""
        user_actions = conditions.pop("user_actions", [])
        strength = conditions.pop("strength", None)
        obj = {
            "id": self.id(f"policy:{name}"),
            "displayName": name,
            "state": state,
            "createdDateTime": iso(self.ago(days=200)),
            "conditions": {
                "users": {
                    "includeUsers": include_users if include_users is not None else ["All"],
                    "excludeUsers": exclude_users or [],
                    "includeGroups": [],
                    "excludeGroups": exclude_groups or [],
                    "includeRoles": include_roles or [],
                    "excludeRoles": [],
                },
                "applications": {
                    "includeApplications": [] if user_actions else (apps or ["All"]),
                    "excludeApplications": [],
                    "includeUserActions": user_actions,
                },
                "clientAppTypes": ["all"],
                **conditions,
            },
            "grantControls": {
                "operator": "OR",
                "builtInControls": controls if controls is not None else ["mfa"],
                "authenticationStrength": strength,
            },
            "sessionControls": None,
        }
        return self.add("conditionalAccessPolicies", obj)

    def named_location(self, name: str, cidrs: list[str], trusted: bool = True):
        """An IP named location."""
        return self.add(
            "namedLocations",
            {"@odata.type": "#microsoft.graph.ipNamedLocation", "id": self.id(f"loc:{name}"),
             "displayName": name, "isTrusted": trusted,
             "ipRanges": [{"@odata.type": "#microsoft.graph.iPv4CidrRange", "cidrAddress": c}
                          for c in cidrs]},
        )  # fmt: skip

    # -- output ---------------------------------------------------------------------------

    def write(self, folder: Path) -> Path:
        """Write the snapshot folder (one JSON file per collection, plus manifest.json)."""
        folder.mkdir(parents=True, exist_ok=True)
        for name, objects in self.collections.items():
            (folder / f"{name}.json").write_text(json.dumps({"value": objects}))
        (folder / "manifest.json").write_text(
            json.dumps({"tenantId": TENANT_ID, "capturedDateTime": iso(self.captured)})
        )
        return folder

    def store(self, folder: Path) -> Store:
        """Write the folder and ingest it into an in-memory store."""
        store = Store.open()
        ingest_folder(store, self.write(folder))
        return store
