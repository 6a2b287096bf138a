"""A small Graph-shaped fixture tenant with planted sign-in problems, built in a temp folder.

Recorded `appliedConditionalAccessPolicies` come from the CA engine over the store, as a real
tenant's log would carry them; tests that need a wrong record change one on purpose.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from idpilot.conditional_access import PolicySet, context_from_sign_in
from idpilot.sources.ingest import ingest_folder
from idpilot.store import Store
from idpilot.store.ca_directory import StoreDirectory

CAPTURED = datetime(2024, 5, 20, 15, 0, tzinfo=UTC)
GLOBAL_ADMIN = "62e90394-69f5-4237-9190-012177145e10"
SALESFORCE = "a0000000-0000-0000-0000-00000000005f"
EXCHANGE = "00000002-0000-0ff1-ce00-000000000000"
HQ_IP = "203.0.113.10"
SPRAY_IP = "198.51.100.66"
PARIS_IP = "192.0.2.77"

U = {
    "alice": "11111111-0000-0000-0000-000000000001",
    "alice2": "11111111-0000-0000-0000-000000000002",
    "bob": "11111111-0000-0000-0000-000000000003",
    "admin": "11111111-0000-0000-0000-000000000004",
    "bg": "11111111-0000-0000-0000-000000000005",
    "guest": "11111111-0000-0000-0000-000000000006",
    "larry": "11111111-0000-0000-0000-000000000007",
    "mia": "11111111-0000-0000-0000-000000000008",
    "carl": "11111111-0000-0000-0000-000000000009",
    "dana": "11111111-0000-0000-0000-00000000000a",
    "erin": "11111111-0000-0000-0000-00000000000b",
    "finn": "11111111-0000-0000-0000-00000000000c",
    "gina": "11111111-0000-0000-0000-00000000000d",
    "hank": "11111111-0000-0000-0000-00000000000e",
    "ivan": "11111111-0000-0000-0000-00000000000f",
    "jill": "11111111-0000-0000-0000-000000000010",
}
G = {
    "staff": "22222222-0000-0000-0000-000000000001",
    "sales": "22222222-0000-0000-0000-000000000002",
    "admins": "22222222-0000-0000-0000-000000000003",
    "mfa_excluded": "22222222-0000-0000-0000-000000000004",
    "pilot": "22222222-0000-0000-0000-000000000005",
}
P = {
    "mfa": "33333333-0000-0000-0000-000000000001",
    "legacy": "33333333-0000-0000-0000-000000000002",
    "compliant": "33333333-0000-0000-0000-000000000003",
    "country": "33333333-0000-0000-0000-000000000004",
    "report_only": "33333333-0000-0000-0000-000000000005",
    "never": "33333333-0000-0000-0000-000000000006",
    "admin_mfa": "33333333-0000-0000-0000-000000000007",
}
L = {"hq": "44444444-0000-0000-0000-000000000001", "risky": "44444444-0000-0000-0000-000000000002"}

_NAMES = {
    "alice": ("Alice Johnson", "alice.johnson", "Member"),
    "alice2": ("Alice Other", "alice.other", "Member"),
    "bob": ("Bob Smith", "bob.smith", "Member"),
    "admin": ("Grace Admin", "grace.admin", "Member"),
    "bg": ("Emergency Access 01", "breakglass01", "Member"),
    "guest": ("Gus Guest", "gus_partner.example#EXT#", "Guest"),
    "larry": ("Larry Legacy", "larry.legacy", "Member"),
    "mia": ("Mia Fatigue", "mia.fatigue", "Member"),
    "carl": ("Carl Spray", "carl.spray", "Member"),
    "dana": ("Dana Spray", "dana.spray", "Member"),
    "erin": ("Erin Spray", "erin.spray", "Member"),
    "finn": ("Finn Spray", "finn.spray", "Member"),
    "gina": ("Gina Spray", "gina.spray", "Member"),
    "hank": ("Hank Spray", "hank.spray", "Member"),
    "ivan": ("Ivan Spray", "ivan.spray", "Member"),
    "jill": ("Jill Spray", "jill.spray", "Member"),
}


def _users() -> list[dict[str, Any]]:
    return [
        {
            "id": U[key],
            "displayName": name,
            "givenName": name.split()[0],
            "userPrincipalName": f"{alias}@contoso.example",
            "userType": user_type,
            "accountEnabled": True,
        }
        for key, (name, alias, user_type) in _NAMES.items()
    ]


def _member(kind: str, object_id: str) -> dict[str, str]:
    return {"@odata.type": f"#microsoft.graph.{kind}", "id": object_id}


def _groups() -> list[dict[str, Any]]:
    def group(key: str, name: str, members: list[dict], assignable: bool = False) -> dict:
        return {
            "id": G[key],
            "displayName": name,
            "securityEnabled": True,
            "isAssignableToRole": assignable,
            "members": members,
        }

    return [
        group("staff", "All Staff", [_member("group", G["sales"]), _member("user", U["larry"])]),
        group("sales", "Sales", [_member("user", U["alice"]), _member("user", U["bob"])]),
        group("admins", "Tier0 Admins", [_member("user", U["admin"])], assignable=True),
        group("mfa_excluded", "MFA Exclusions", [_member("user", U["larry"])]),
        group("pilot", "Pilot", [_member("user", U["bob"])]),
    ]


def _policy(key: str, name: str, state: str, users: dict, grant: dict | None, **conditions) -> dict:
    return {
        "id": P[key],
        "displayName": name,
        "state": state,
        "conditions": {
            "users": {
                "includeUsers": [],
                "excludeUsers": [],
                "includeGroups": [],
                "excludeGroups": [],
                "includeRoles": [],
                "excludeRoles": [],
                **users,
            },
            "applications": conditions.pop(
                "applications", {"includeApplications": ["All"], "excludeApplications": []}
            ),
            "clientAppTypes": conditions.pop("clientAppTypes", ["all"]),
            **conditions,
        },
        "grantControls": grant,
        "sessionControls": None,
    }


def policies() -> list[dict[str, Any]]:
    """The fixture's Conditional Access policies."""
    return [
        _policy(
            "mfa",
            "Require MFA for all users",
            "enabled",
            {
                "includeUsers": ["All"],
                "excludeUsers": [U["bg"]],
                "excludeGroups": [G["mfa_excluded"]],
            },
            {"operator": "OR", "builtInControls": ["mfa"]},
            locations={"includeLocations": ["All"], "excludeLocations": ["AllTrusted"]},
        ),
        _policy(
            "legacy",
            "Block legacy authentication",
            "enabled",
            {"includeUsers": ["All"]},
            {"operator": "OR", "builtInControls": ["block"]},
            clientAppTypes=["exchangeActiveSync", "other"],
        ),
        _policy(
            "compliant",
            "Require compliant device for Salesforce",
            "enabled",
            {"includeGroups": [G["sales"]]},
            {"operator": "OR", "builtInControls": ["compliantDevice"]},
            applications={"includeApplications": [SALESFORCE]},
        ),
        _policy(
            "country",
            "Block sign-ins from risky countries",
            "enabled",
            {"includeUsers": ["All"], "excludeUsers": [U["bg"]]},
            {"operator": "OR", "builtInControls": ["block"]},
            locations={"includeLocations": [L["risky"]]},
        ),
        _policy(
            "report_only",
            "Report-only: require compliant device",
            "enabledForReportingButNotEnforced",
            {"includeUsers": ["All"]},
            {"operator": "OR", "builtInControls": ["compliantDevice"]},
        ),
        _policy(
            "never",
            "Pilot policy that never applies",
            "enabled",
            {"includeGroups": [G["pilot"]], "excludeGroups": [G["pilot"]]},
            {"operator": "OR", "builtInControls": ["mfa"]},
        ),
        _policy(
            "admin_mfa",
            "Require MFA for admins",
            "enabled",
            {"includeRoles": [GLOBAL_ADMIN]},
            {"operator": "OR", "builtInControls": ["mfa"]},
        ),
    ]


def named_locations() -> list[dict[str, Any]]:
    """A trusted HQ range and a country list."""
    return [
        {
            "@odata.type": "#microsoft.graph.ipNamedLocation",
            "id": L["hq"],
            "displayName": "Headquarters",
            "isTrusted": True,
            "ipRanges": [
                {"@odata.type": "#microsoft.graph.iPv4CidrRange", "cidrAddress": "203.0.113.0/24"}
            ],
        },
        {
            "@odata.type": "#microsoft.graph.countryNamedLocation",
            "id": L["risky"],
            "displayName": "Risky countries",
            "countriesAndRegions": ["KP", "RU"],
            "includeUnknownCountriesAndRegions": False,
            "countryLookupMethod": "clientIpAddress",
        },
    ]


def _directory_files() -> dict[str, Any]:
    return {
        "users": _users(),
        "groups": _groups(),
        "servicePrincipals": [
            {"id": "55555555-0000-0000-0000-000000000001", "appId": SALESFORCE,
             "displayName": "Salesforce"},
            {"id": "55555555-0000-0000-0000-000000000002", "appId": EXCHANGE,
             "displayName": "Office 365 Exchange Online"},
        ],
        "roleDefinitions": [
            {"id": GLOBAL_ADMIN, "displayName": "Global Administrator", "templateId": GLOBAL_ADMIN,
             "isBuiltIn": True, "isEnabled": True},
        ],
        "roleAssignments": [
            {"id": "ra-1", "principalId": G["admins"], "roleDefinitionId": GLOBAL_ADMIN,
             "directoryScopeId": "/"},
            {"id": "ra-2", "principalId": U["bg"], "roleDefinitionId": GLOBAL_ADMIN,
             "directoryScopeId": "/"},
        ],
        "roleEligibilitySchedules": [  # Dana may activate Global Administrator through PIM
            {"id": "re-1", "principalId": U["dana"], "roleDefinitionId": GLOBAL_ADMIN,
             "directoryScopeId": "/", "appScopeId": None, "status": "Provisioned",
             "memberType": "Direct", "createdDateTime": "2026-01-05T09:00:00Z",
             "scheduleInfo": {"startDateTime": "2026-01-05T09:00:00Z", "recurrence": None,
                              "expiration": {"type": "noExpiration", "endDateTime": None,
                                             "duration": None}}},
        ],
        "conditionalAccessPolicies": policies(),
        "namedLocations": named_locations(),
    }  # fmt: skip


class _SignIns:
    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []
        self.counter = 0

    def add(
        self,
        user: str,
        when: datetime,
        code: int = 0,
        *,
        app: str = EXCHANGE,
        app_name: str = "Office 365 Exchange Online",
        ip: str = HQ_IP,
        country: str = "US",
        client: str = "Browser",
        os: str = "Windows 10",
        compliant: bool | None = True,
        correlation: str | None = None,
        mfa: str | None = None,  # completed | denied | timeout
    ) -> dict[str, Any]:
        self.counter += 1
        name, alias, _ = _NAMES[user]
        steps = [{"authenticationMethod": "Password", "succeeded": code not in (50126, 50053),
                  "authenticationStepRequirement": "Primary authentication",
                  "authenticationStepResultDetail": "Correct password"}]  # fmt: skip
        row: dict[str, Any] = {
            "id": f"66666666-0000-0000-0000-{self.counter:012d}",
            "createdDateTime": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "userId": U[user],
            "userDisplayName": name,
            "userPrincipalName": f"{alias}@contoso.example",
            "appId": app,
            "appDisplayName": app_name,
            "ipAddress": ip,
            "clientAppUsed": client,
            "correlationId": correlation or f"77777777-0000-0000-0000-{self.counter:012d}",
            "isInteractive": True,
            "riskLevelDuringSignIn": "none",
            "authenticationRequirement": "singleFactorAuthentication",
            "status": {"errorCode": code, "failureReason": "" if code == 0 else f"code {code}"},
            "deviceDetail": {"operatingSystem": os, "isCompliant": compliant,
                             "isManaged": bool(compliant), "trustType": "",
                             "browser": "Edge", "deviceId": "", "displayName": ""},
            "location": {"city": "Somewhere", "countryOrRegion": country},
            "mfaDetail": None,
            "authenticationDetails": steps,
        }  # fmt: skip
        if mfa:
            row["authenticationRequirement"] = "multiFactorAuthentication"
            row["mfaDetail"] = {"authMethod": "Mobile app notification", "authDetail": None}
            detail = {
                "completed": "MFA completed in Azure AD",
                "denied": "MFA denied; user declined the authentication",
                "timeout": "MFA denied; user did not respond to mobile app notification",
            }[mfa]
            steps.append({"authenticationMethod": "Mobile app notification",
                          "succeeded": mfa == "completed",
                          "authenticationStepRequirement": "Multifactor authentication",
                          "authenticationStepResultDetail": detail})  # fmt: skip
        self.rows.append(row)
        return row


def sign_ins() -> list[dict[str, Any]]:
    """The planted sign-in stories (recorded CA results are added after the directory ingest)."""
    s = _SignIns()
    morning = CAPTURED.replace(hour=8, minute=30)
    # Alice Johnson: Salesforce from an unmanaged iPhone in France fails the device policy.
    s.add("alice", morning - timedelta(days=1), mfa="completed", ip=PARIS_IP, country="FR")
    s.add("alice", morning, 53000, app=SALESFORCE, app_name="Salesforce", ip=PARIS_IP,
          country="FR", os="iOS 17.4", compliant=False, client="Mobile Apps and Desktop clients",
          mfa="completed")  # fmt: skip
    # Alice Johnson: an MFA interrupt followed by success in the same attempt (not a failure).
    corr = "88888888-0000-0000-0000-000000000001"
    s.add("alice", morning - timedelta(hours=3), 50074, ip=PARIS_IP, country="FR",
          correlation=corr)  # fmt: skip
    s.add("alice", morning - timedelta(hours=3) + timedelta(seconds=30), ip=PARIS_IP,
          country="FR", correlation=corr, mfa="completed")  # fmt: skip
    # Alice Other: only successes.
    s.add("alice2", morning)
    # Bob: wrong passwords, then lockout.
    for minute in range(4):
        s.add("bob", morning + timedelta(minutes=minute), 50126, ip="192.0.2.10")
    s.add("bob", morning + timedelta(minutes=5), 50053, ip="192.0.2.10")
    # Password spray: one IP, ten users (the detection's threshold), wrong passwords.
    sprayed = ["carl", "dana", "erin", "finn", "guest", "admin", "gina", "hank", "ivan", "jill"]
    for index, user in enumerate(sprayed):
        s.add(user, morning - timedelta(hours=2, minutes=index), 50126, ip=SPRAY_IP,
              country="NL")  # fmt: skip
    # Larry: IMAP blocked by the legacy authentication policy.
    s.add("larry", morning, 53003, client="IMAP4", ip="192.0.2.20")
    s.add("larry", morning + timedelta(minutes=10), 53003, client="IMAP4", ip="192.0.2.20")
    # Mia: MFA fatigue: many denied pushes, then an approval.
    for minute in range(6):
        s.add("mia", morning + timedelta(minutes=minute), 500121, ip="192.0.2.30",
              mfa="denied" if minute % 2 == 0 else "timeout")  # fmt: skip
    s.add("mia", morning + timedelta(minutes=7), ip="192.0.2.30", mfa="completed")
    # Break-glass and admin sign in from HQ.
    s.add("bg", morning)
    s.add("admin", morning, mfa="completed", ip="192.0.2.40")
    # An unmanaged device from a country the tenant blocks.
    s.add("guest", morning - timedelta(days=2), 53003, ip="192.0.2.50", country="RU",
          compliant=None, os="Linux")  # fmt: skip
    return s.rows


NOT_EVALUATED = {
    "enabled": "notApplied",
    "enabledForReportingButNotEnforced": "reportOnlyNotApplied",
    "disabled": "notEnabled",
}


def record_policies(store: Store, rows: list[dict[str, Any]]) -> None:
    """Write appliedConditionalAccessPolicies / conditionalAccessStatus as the engine computes."""
    from idpilot.store.ca_directory import load_named_locations, load_policies

    policy_set = PolicySet.from_graph(load_policies(store), load_named_locations(store))
    directory = StoreDirectory(store)
    for row in rows:
        if row["status"]["errorCode"] in (50126, 50053):
            # Failed primary authentication: Conditional Access did not run. Written from the
            # policies' states as Entra records it, not by the engine.
            row["appliedConditionalAccessPolicies"] = [
                {
                    "id": p["id"],
                    "displayName": p["displayName"],
                    "enforcedGrantControls": [],
                    "enforcedSessionControls": [],
                    "result": NOT_EVALUATED[p["state"]],
                }
                for p in policies()
            ]
            row["conditionalAccessStatus"] = "notApplied"
            continue
        evaluation = policy_set.evaluate(context_from_sign_in(row), directory)
        row["appliedConditionalAccessPolicies"] = [
            {
                "id": p.policy_id,
                "displayName": p.display_name,
                "enforcedGrantControls": p.enforced_grant_controls,
                "enforcedSessionControls": p.enforced_session_controls,
                "result": str(p.result),
            }
            for p in evaluation.policies
        ]
        results = {str(p.result) for p in evaluation.policies}
        status = "success" if "success" in results else "notApplied"
        row["conditionalAccessStatus"] = "failure" if "failure" in results else status


def write_json(path: Path, value: Any) -> None:
    """Write a Graph list response."""
    path.write_text(json.dumps({"value": value}, indent=1))


def build_tenant(folder: Path, store_path: Path, *, tamper: bool = False) -> Path:
    """Write the snapshot folder, ingest it, and return the store path."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "manifest.json").write_text(
        json.dumps({"tenantId": "contoso-test", "capturedDateTime": CAPTURED.isoformat()})
    )
    for name, value in _directory_files().items():
        write_json(folder / f"{name}.json", value)
    with Store.open(store_path) as store:
        ingest_folder(store, folder)
        rows = sign_ins()
        record_policies(store, rows)
        if tamper:
            tamper_one(rows)
        write_json(folder / "signIns.json", rows)
        ingest_folder(store, folder)
    return store_path


TAMPERED_SIGN_IN = "66666666-0000-0000-0000-000000000002"


def tamper_one(rows: list[dict[str, Any]]) -> None:
    """Record a wrong result for the device policy on Alice's Salesforce failure."""
    row = next(r for r in rows if r["id"] == TAMPERED_SIGN_IN)
    for applied in row["appliedConditionalAccessPolicies"]:
        if applied["id"] == P["compliant"]:
            applied["result"] = "success"
