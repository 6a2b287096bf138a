"""Deterministic "Contoso" demo tenant: a Graph-shaped snapshot folder with planted scenarios."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel

from idpilot.model.collections import Collection

from . import scenarios
from .activity import app_uses, build_habits, stream_sign_ins
from .apps import build_apps
from .conditional import ConditionalAccessRecorder
from .groups import build_groups
from .ids import CAPTURED_AT, guid, iso, stream
from .organization import admin_ids, build_organization, build_registration_details, build_workflows
from .policies import build_named_locations, build_policies
from .privileged_access import build_privileged_access
from .roles import build_role_assignments, build_role_definitions
from .signins import SignInFactory
from .tenant import Tenant
from .tenant_settings import build_tenant_settings
from .users import build_users
from .workflow_history import build_workflow_history
from .writer import JsonLines, write_collection, write_json, write_pages, write_singleton

__all__ = ["DemoSummary", "generate_demo_tenant"]

GENERATOR = "idpilot demo"


class DemoSummary(BaseModel):
    """What `generate_demo_tenant` wrote."""

    tenant_id: str
    captured_at: str
    path: Path
    scenarios_path: Path
    counts: dict[str, int]


def build_tenant(seed: int, users: int, days: int) -> Tenant:
    """The directory, apps, roles and policies (everything but the activity logs)."""
    tenant = Tenant(seed=seed, tenant_id=guid(stream(seed, "tenant")), days=days)
    build_users(stream(seed, "users"), tenant, max(users, 40))
    build_groups(stream(seed, "groups"), tenant)
    build_apps(stream(seed, "apps"), tenant)
    build_role_definitions(tenant)
    build_role_assignments(stream(seed, "roles"), tenant)
    build_named_locations(stream(seed, "locations"), tenant)
    build_policies(stream(seed, "policies"), tenant)
    build_organization(tenant)
    build_workflows(stream(seed, "workflows"), tenant)
    return tenant


def generate_demo_tenant(
    out_dir: Path, *, seed: int = 42, users: int = 300, days: int = 30
) -> DemoSummary:
    """Write the Contoso snapshot folder to `out_dir`; same seed and sizes give identical bytes.

    `users` below 40 is raised to 40 (the planted personas need room); `days` must be >= 1.
    Every sign-in's Conditional Access results come from `idpilot.conditional_access` evaluating
    exactly what the written record says (`context_from_sign_in`), so replaying the snapshot
    agrees with the recorded results; user risk is not on Graph sign-ins, hence the user-risk
    policy is disabled (see `policies.build_policies`).
    """
    if days < 1:
        raise ValueError(f"days must be at least 1, got {days}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    tenant = build_tenant(seed, users, days)
    plan = scenarios.Planter(tenant, stream(seed, "scenarios"))
    plan.plant_directory()

    recorder = ConditionalAccessRecorder(tenant)
    factory = SignInFactory(stream(seed, "signins"), recorder)
    uses = app_uses(tenant)
    habits = build_habits(stream(seed, "habits"), tenant, uses)
    planted = plan.plant_sign_ins(factory, habits, uses)

    sink = JsonLines(out_dir / "signIns.jsonl")

    def write(row: dict) -> None:
        plan.observe(row)
        sink.write(row)

    try:
        activity = stream_sign_ins(
            stream(seed, "activity"), tenant, factory, habits, planted, write
        )
    finally:
        sink.close()
    scenarios.apply_sign_in_activity(tenant, activity)
    plan.plant_logs(stream(seed, "audits"))
    methods = {uid: h.method for uid, h in habits.items()}
    build_registration_details(stream(seed, "registration"), tenant, methods, admin_ids(tenant))
    plan.finish()
    build_tenant_settings(stream(seed, "settings"), tenant)
    build_privileged_access(stream(seed, "pim"), tenant, {plan.eve_assignment["id"]})
    build_workflow_history(stream(seed, "workflow_history"), tenant)

    collections = {
        "users": tenant.users,
        "groups": tenant.groups,
        "servicePrincipals": tenant.service_principals,
        "applications": tenant.applications,
        "appRoleAssignments": tenant.app_role_assignments,
        "oauth2PermissionGrants": tenant.oauth2_permission_grants,
        "roleDefinitions": tenant.role_definitions,
        "roleAssignments": tenant.role_assignments,
        "roleEligibilitySchedules": tenant.role_eligibility_schedules,
        "directoryAudits": tenant.directory_audits,
        "riskyUsers": tenant.risky_users,
        "riskDetections": tenant.risk_detections,
        "riskyServicePrincipals": tenant.risky_service_principals,
        "servicePrincipalRiskDetections": tenant.sp_risk_detections,
        "conditionalAccessPolicies": tenant.policies,
        "namedLocations": tenant.named_locations,
        "userRegistrationDetails": tenant.registration_details,
        "lifecycleWorkflows": tenant.workflows,
        "organization": tenant.organization,
        "domains": tenant.domains,
        **tenant.settings,
    }
    counts = {name: len(items) for name, items in collections.items()}
    counts["signIns"] = sink.count
    for name, pages in tenant.workflow_history.items():
        counts[name] = sum(len(items) for _, items in pages)
        write_pages(out_dir, name, pages)
    for name, items in collections.items():
        if name == "directoryAudits":
            audits = JsonLines(out_dir / "directoryAudits.jsonl")
            for audit in items:
                audits.write(audit)
            audits.close()
        elif Collection(name).is_singleton:
            write_singleton(out_dir, name, items[0])
        else:
            write_collection(out_dir, name, items)
    captured = iso(CAPTURED_AT)
    write_json(
        out_dir / "manifest.json",
        {
            "tenantId": tenant.tenant_id,
            "capturedDateTime": captured,
            "generator": GENERATOR,
            "seed": seed,
            "users": users,
            "days": days,
            "counts": counts,
        },
    )
    scenarios_path = write_json(out_dir / "scenarios.json", plan.answer_key(captured))
    return DemoSummary(
        tenant_id=tenant.tenant_id,
        captured_at=captured,
        path=out_dir,
        scenarios_path=scenarios_path,
        counts=counts,
    )
