"""Vindelkraft AB: a second evaluation tenant, built independently of the Contoso demo.

A Swedish wind-energy company with sites in Malmö, München, Kraków, São Paulo, Bergen and
Valencia, its own Conditional Access design and its own planted situations. `generate_tenant`
writes a snapshot folder (one file per Graph collection) and `scenarios.json`, its answer key.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path

from idpilot.evaluation.tenants.vindelkraft._core import CAPTURED, TENANT_ID, Tenant, iso
from idpilot.evaluation.tenants.vindelkraft.activity import Places, build_baseline, sign_in_activity
from idpilot.evaluation.tenants.vindelkraft.apps import build_apps
from idpilot.evaluation.tenants.vindelkraft.audits import build_routine_audits
from idpilot.evaluation.tenants.vindelkraft.groups import build_groups
from idpilot.evaluation.tenants.vindelkraft.planted_admin import (
    app_credential,
    disable_accounts,
    membership_and_policy_changes,
    new_hires,
    ownerless_group,
    role_changes,
)
from idpilot.evaluation.tenants.vindelkraft.planted_signins import (
    device_not_compliant,
    disabled_account,
    legacy_protocol,
    lockout_then_reset,
    mfa_fatigue,
    password_spray,
    risky_sign_ins,
    skip_days,
    special_accounts,
)
from idpilot.evaluation.tenants.vindelkraft.policies import build_named_locations, build_policies
from idpilot.evaluation.tenants.vindelkraft.population import build_population
from idpilot.evaluation.tenants.vindelkraft.posture import (
    break_glass,
    build_governance,
    build_registration,
    stale_account,
)
from idpilot.evaluation.tenants.vindelkraft.risk import build_risk
from idpilot.evaluation.tenants.vindelkraft.roles import build_roles
from idpilot.evaluation.tenants.vindelkraft.signins import Env
from idpilot.evaluation.tenants.vindelkraft.summary import tenant_facts

NAME = "vindelkraft"
GENERATOR_VERSION = "1"
"""Bump when the generated tenant changes: `idpilot eval` rebuilds its cached store."""
DEFAULT_SEED = 4711

__all__ = ["DEFAULT_SEED", "GENERATOR_VERSION", "NAME", "TenantFiles", "build", "generate_tenant"]


@dataclass(frozen=True)
class TenantFiles:
    """Where a generated tenant was written."""

    folder: Path
    answer_key: Path
    records: int


def build(seed: int = DEFAULT_SEED) -> Tenant:
    """The whole tenant in memory, deterministic for a seed."""
    tenant = Tenant(rng=random.Random(seed))
    build_population(tenant)
    jorg_disabled = disable_accounts(tenant)
    groups = build_groups(tenant)
    tenant.planted.update(build_roles(tenant, groups))
    apps = build_apps(tenant)
    locations = build_named_locations(tenant)
    policies = build_policies(tenant, groups, apps, locations)
    env = Env(tenant, list(policies.values()), list(locations.values()), apps)
    places = Places(tenant)
    build_baseline(env, places, skip_days(tenant))
    lockout_then_reset(env, places)
    password_spray(env, places)
    disabled_account(env, places, jorg_disabled)
    approved = mfa_fatigue(env)
    paulo = risky_sign_ins(env)
    device_not_compliant(env, places)
    legacy_protocol(env, places)
    special_accounts(env, places)
    ownerless_group(tenant, groups)
    role_changes(tenant)
    app_credential(tenant, apps)
    membership_and_policy_changes(tenant, groups)
    new_hires(tenant, apps)
    build_routine_audits(tenant, apps)
    build_risk(tenant, paulo, approved, apps)
    for scenario in tenant.scenarios:
        if scenario["id"] == "mfa_fatigue":
            scenario["entities"]["detection_id"] = tenant.planted["ingrid_detection"]["id"]
    build_registration(tenant)
    stale_account(tenant)
    break_glass(tenant)
    sign_in_activity(tenant)
    build_governance(tenant)
    tenant.scenarios.append(tenant_facts(tenant, groups, apps))
    return tenant


def generate_tenant(folder: Path, seed: int = DEFAULT_SEED) -> TenantFiles:
    """Write the snapshot folder (one JSON file per collection, manifest) and scenarios.json."""
    tenant = build(seed)
    folder.mkdir(parents=True, exist_ok=True)
    total = 0
    for collection, records in sorted(tenant.collections.items()):
        records.sort(key=lambda r: str(r.get("createdDateTime") or r.get("activityDateTime") or ""))
        body = {
            "@odata.context": f"https://graph.microsoft.com/v1.0/$metadata#{collection}",
            "value": records,
        }
        (folder / f"{collection}.json").write_text(json.dumps(body, ensure_ascii=False))
        total += len(records)
    manifest = {"tenantId": TENANT_ID, "capturedDateTime": iso(CAPTURED)}
    (folder / "manifest.json").write_text(json.dumps(manifest))
    key = {
        "tenant": "Vindelkraft AB",
        "generator": NAME,
        "generatorVersion": GENERATOR_VERSION,
        "seed": seed,
        "capturedDateTime": iso(CAPTURED),
        "personas": tenant.personas,
        "scenarios": tenant.scenarios,
    }
    answer_key = folder / "scenarios.json"
    answer_key.write_text(json.dumps(key, ensure_ascii=False, indent=1))
    return TenantFiles(folder, answer_key, total)
