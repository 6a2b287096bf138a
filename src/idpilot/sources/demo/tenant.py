"""The in-memory demo tenant: Graph-shaped collections plus the indexes the generators share."""

from __future__ import annotations

from dataclasses import dataclass, field

DOMAIN = "contoso.com"
INITIAL_DOMAIN = "contoso.onmicrosoft.com"


@dataclass
class UserProfile:
    """Generator-side facts about a user that Graph does not carry (never written out)."""

    office: str | None
    kind: str  # active | stale | never | disabled | occasional
    stale_days: int = 0
    persona: str | None = None


@dataclass
class Tenant:
    """Every collection of the snapshot, as lists of Graph objects, plus lookup indexes."""

    seed: int
    tenant_id: str
    days: int
    users: list[dict] = field(default_factory=list)
    groups: list[dict] = field(default_factory=list)
    applications: list[dict] = field(default_factory=list)
    service_principals: list[dict] = field(default_factory=list)
    app_role_assignments: list[dict] = field(default_factory=list)
    oauth2_permission_grants: list[dict] = field(default_factory=list)
    role_definitions: list[dict] = field(default_factory=list)
    role_assignments: list[dict] = field(default_factory=list)
    role_eligibility_schedules: list[dict] = field(default_factory=list)
    named_locations: list[dict] = field(default_factory=list)
    policies: list[dict] = field(default_factory=list)
    directory_audits: list[dict] = field(default_factory=list)
    risk_detections: list[dict] = field(default_factory=list)
    risky_users: list[dict] = field(default_factory=list)
    risky_service_principals: list[dict] = field(default_factory=list)
    sp_risk_detections: list[dict] = field(default_factory=list)
    registration_details: list[dict] = field(default_factory=list)
    workflows: list[dict] = field(default_factory=list)
    organization: list[dict] = field(default_factory=list)
    domains: list[dict] = field(default_factory=list)
    settings: dict[str, list[dict]] = field(default_factory=dict)
    """Tenant settings, PIM, licences and administrative units, by collection name."""
    workflow_history: dict[str, list[tuple[str, list[dict]]]] = field(default_factory=dict)
    """Workflow versions and runs by collection name: (list context, records) per parent."""
    workflow_findings: list[dict] = field(default_factory=list)
    """The failed workflow runs planted (answer key `workflow_findings`)."""
    settings_findings: list[dict] = field(default_factory=list)
    """The settings a CISA SCuBA review flags (answer key `settings_findings`)."""

    profiles: dict[str, UserProfile] = field(default_factory=dict)
    personas: dict[str, dict] = field(default_factory=dict)  # key -> user object
    apps: dict[str, dict] = field(default_factory=dict)  # key -> servicePrincipal object
    app_objects: dict[str, dict] = field(default_factory=dict)  # key -> application object
    groups_by_key: dict[str, dict] = field(default_factory=dict)
    policies_by_key: dict[str, dict] = field(default_factory=dict)
    locations_by_key: dict[str, dict] = field(default_factory=dict)
    scenarios: list[dict] = field(default_factory=list)
    hostile_strings: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._user_index: dict[str, dict] | None = None

    def user(self, user_id: str) -> dict:
        if self._user_index is None or len(self._user_index) != len(self.users):
            self._user_index = {u["id"]: u for u in self.users}
        return self._user_index[user_id]

    def members(self) -> list[dict]:
        return [u for u in self.users if u["userType"] == "Member"]


def user_ref(user: dict) -> dict:
    """A user as a group's `members`/`owners` list returns it with $expand."""
    return {
        "@odata.type": "#microsoft.graph.user",
        "id": user["id"],
        "displayName": user["displayName"],
        "userPrincipalName": user["userPrincipalName"],
    }


def group_ref(group: dict) -> dict:
    return {
        "@odata.type": "#microsoft.graph.group",
        "id": group["id"],
        "displayName": group["displayName"],
    }


def sp_ref(sp: dict) -> dict:
    return {
        "@odata.type": "#microsoft.graph.servicePrincipal",
        "id": sp["id"],
        "displayName": sp["displayName"],
        "appId": sp["appId"],
    }
