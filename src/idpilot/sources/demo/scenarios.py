"""Plants the security scenarios consistently across collections and keeps the answer key."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from .activity import Habit, SignInActivity
from .app_catalog import GRAPH_APP_ROLES
from .apps import add_app_role_assignment, password_credential
from .ids import CAPTURED_AT, days_before, iso
from .planted_sign_ins import plant_sign_ins
from .roles import GLOBAL_ADMIN, assign_role
from .routine import routine_audits
from .signins import AppUse, SignInFactory
from .tenant import Tenant

PERSONA_KEYS = [
    "alice_johnson",
    "alice_other",
    "bob",
    "eve",
    "mfa_fatigue_user",
    "lockout_user",
    "legacy_user",
    "impossible_travel_user",
    "stale_guest",
    "admin_without_phishing_resistant_mfa",
    "eve_role_actor",
    "injection_user",
    "spray_victim",
    "it_admin",
    "breakglass01",
    "breakglass02",
]


def _person(user: dict) -> dict:
    return {k: user[k] for k in ("id", "userPrincipalName", "displayName")}


class Planter:
    """Plants each scenario and records its evidence for scenarios.json."""

    def __init__(self, tenant: Tenant, rng: random.Random) -> None:
        self.tenant = tenant
        self.rng = rng
        self.p = tenant.personas
        self.rows: list[dict] = []
        self.found: dict[str, dict] = {}  # scenario id -> entry
        self.report_only_failures: list[str] = []
        self.report_only_count = 0
        self.times: dict[str, datetime] = {}
        self.noise_candidates: list[dict] = []
        self._seen_rows = 0
        self._persona_ids = {u["id"] for u in tenant.personas.values()}

    # -- time helpers ----------------------------------------------------------------------

    def when(self, days_ago: int, hour: float) -> datetime:
        """A moment `days_ago` calendar days before capture (clamped into the window)."""
        days_ago = min(days_ago, self.tenant.days - 1)
        day = CAPTURED_AT.replace(hour=0, minute=0, second=0) - timedelta(days=days_ago)
        moment = day + timedelta(hours=hour)
        return min(moment, CAPTURED_AT - timedelta(minutes=5))

    def scenario(self, sid: str, title: str, description: str, **entities) -> dict:
        entry = {
            "id": sid,
            "title": title,
            "description": description,
            "entities": entities,
            "evidence": {},
            "facts": {},
        }
        self.found[sid] = entry
        return entry

    @staticmethod
    def cite(entry: dict, kind: str, *ids: str) -> None:
        bucket = entry["evidence"].setdefault(kind, [])
        bucket.extend(i for i in ids if i not in bucket)

    # -- directory changes (before sign-ins, so CA sees the final roles) --------------------

    def plant_directory(self) -> None:
        t, p = self.tenant, self.p
        eve_time = self.when(1, 23.6)
        self.times["eve_role"] = eve_time
        self.eve_assignment = assign_role(t, p["eve"]["id"], GLOBAL_ADMIN)
        app = t.apps["automation"]
        secret_time = self.when(1, 3.08)
        self.times["app_secret"] = secret_time
        secret = password_credential(self.rng, "runbook-key-2", 0, 730)
        secret["startDateTime"] = iso(secret_time)
        secret["endDateTime"] = iso(secret_time + timedelta(days=730))
        app["passwordCredentials"].append(secret)
        self.new_secret = secret
        grant_time = secret_time + timedelta(minutes=7)
        self.times["app_grant"] = grant_time
        self.new_grant = add_app_role_assignment(
            self.rng,
            t,
            app,
            t.apps["graph"],
            GRAPH_APP_ROLES["RoleManagement.ReadWrite.Directory"],
            grant_time,
        )

    # -- sign-ins ----------------------------------------------------------------------------

    def emit(self, rows: list[dict]) -> list[dict]:
        """Keep planted sign-in rows for the stream writer."""
        self.rows.extend(rows)
        return rows

    def plant_sign_ins(
        self, factory: SignInFactory, habits: dict[str, Habit], uses: dict[str, AppUse]
    ) -> list[dict]:
        self.factory, self.habits, self.uses = factory, habits, uses
        habits[self.p["alice_other"]["id"]].clean = True
        plant_sign_ins(self)
        return self.rows

    # -- after sign-ins: audits, risk, answer key -------------------------------------------

    def observe(self, row: dict) -> None:
        """Watch rows as they are written (counts report-only failures of CA050)."""
        self._seen_rows += 1
        if (
            self._seen_rows % 1499 == 0
            and len(self.noise_candidates) < 8
            and row["isInteractive"]
            and row["status"]["errorCode"] == 0
            and row["userId"] not in self._persona_ids
        ):
            self.noise_candidates.append(row)
        for applied in row["appliedConditionalAccessPolicies"]:
            if applied["id"] == self.report_only_policy_id:
                if applied["result"] == "reportOnlyFailure":
                    self.report_only_count += 1
                    if len(self.report_only_failures) < 10:
                        self.report_only_failures.append(row["id"])
                break

    @property
    def report_only_policy_id(self) -> str:
        return self.tenant.policies_by_key["report_only_block_untrusted"]["id"]

    def plant_logs(self, rng: random.Random) -> None:
        from .planted_logs import plant_logs

        routine_audits(rng, self.tenant, self.times)
        plant_logs(self, rng)

    def finish(self) -> None:
        """Order the audit log by time, as Graph returns it (newest first)."""
        self.tenant.directory_audits.sort(key=lambda a: a["activityDateTime"], reverse=True)

    def answer_key(self, captured: str) -> dict:
        t = self.tenant
        personas = {key: _person(t.personas[key]) for key in PERSONA_KEYS}
        personas["breakglass_not_excluded"] = _person(t.personas["breakglass02"])
        for key, app_key in (("risky_app", "legacy_sync"), ("privileged_app", "automation")):
            sp = t.apps[app_key]
            personas[key] = {"id": sp["id"], "appId": sp["appId"], "displayName": sp["displayName"]}
        order = [
            "password_spray",
            "impossible_travel",
            "leaked_credentials",
            "mfa_fatigue",
            "legacy_auth_blocked",
            "compliant_device_failure",
            "account_lockout",
            "privileged_role_outside_pim",
            "service_principal_privilege_escalation",
            "risky_workload_identity",
            "stale_guest_in_privileged_group",
            "admin_without_phishing_resistant_mfa",
            "breakglass_not_excluded",
            "overlapping_policies",
            "report_only_policy_would_block",
            "policy_never_applies",
            "ownerless_group_owner_removed",
            "account_disabled_by_admin",
            "lockout_password_reset",
            "recent_group_change",
            "breakglass_exclusion_removed",
        ]
        return {
            "seed": t.seed,
            "tenantId": t.tenant_id,
            "capturedDateTime": captured,
            "personas": personas,
            "scenarios": [self.found[sid] for sid in order],
            "hostile_strings": list(t.hostile_strings),
            "settings_findings": list(t.settings_findings),
            "workflow_findings": list(t.workflow_findings),
        }


def apply_sign_in_activity(tenant: Tenant, activity: SignInActivity) -> None:
    """signInActivity on users, from the written rows or, for stale accounts, before the window."""
    for user in tenant.users:
        found = activity.for_user(user["id"])
        profile = tenant.profiles[user["id"]]
        if found is None and profile.kind in ("stale", "disabled"):
            days = profile.stale_days or (tenant.days + 20 + len(user["id"]) % 60)
            when = iso(days_before(days))
            found = {
                "lastSignInDateTime": when,
                "lastSignInRequestId": None,
                "lastNonInteractiveSignInDateTime": when,
                "lastNonInteractiveSignInRequestId": None,
                "lastSuccessfulSignInDateTime": when,
                "lastSuccessfulSignInRequestId": None,
            }
        user["signInActivity"] = found
