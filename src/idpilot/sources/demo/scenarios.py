"""Plants the security scenarios consistently across collections and keeps the answer key."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from . import geo
from .activity import Habit, SignInActivity, device
from .apps import GRAPH_APP_ROLES, add_app_role_assignment, password_credential
from .ids import CAPTURED_AT, days_before, guid, iso
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

    def _attacker_device(self) -> tuple[dict, dict]:
        return device(self.rng, "windows_personal", "unknown")

    def _emit(self, rows: list[dict]) -> list[dict]:
        self.rows.extend(rows)
        return rows

    def plant_sign_ins(
        self, factory: SignInFactory, habits: dict[str, Habit], uses: dict[str, AppUse]
    ) -> list[dict]:
        self.factory, self.habits, self.uses = factory, habits, uses
        habits[self.p["alice_other"]["id"]].clean = True
        self._password_spray()
        self._impossible_travel()
        self._bob()
        self._mfa_fatigue()
        self._legacy_auth()
        self._compliant_device()
        self._lockout()
        self._overlap_sign_in()
        return self.rows

    def _password_spray(self) -> None:
        f, rng, t = self.factory, self.rng, self.tenant
        start = self.when(6, 2.15)
        victim = self.p["spray_victim"]
        persona_ids = {u["id"] for u in self.p.values()}
        pool = [
            u
            for u in t.members()
            if u["accountEnabled"] and u["department"] and u["id"] not in persona_ids
        ]
        targets = rng.sample(pool, min(22, len(pool)))
        dev = self._attacker_device()[0]
        loc = geo.SPRAY_PLACE.location()
        app = self.uses["owa"]
        failures = []
        for i, user in enumerate(targets):
            epoch = start.timestamp() + i * 105 + rng.randint(0, 40)
            row = f.row(
                user, epoch, app, dev, geo.SPRAY_IP, loc, interactive=True, correlation=guid(rng)
            )
            failures.append(f.primary_failure(row, 50126))
        success_epoch = start.timestamp() + len(targets) * 105 + 60
        success = f.attempt(
            victim, success_epoch, app, dev, geo.SPRAY_IP, loc, interactive=True, mfa="inline"
        )
        self._emit(failures + success)
        self.spray_success = success[-1]
        entry = self.scenario(
            "password_spray",
            "Password spray from one IP",
            f"{geo.SPRAY_IP} tried {len(targets) + 1} accounts with wrong passwords (50126) within "
            "an hour; the service account svc-printscan, excluded from MFA, signed in "
            "successfully.",
            ip=geo.SPRAY_IP,
            compromisedUserId=victim["id"],
        )
        self.cite(entry, "signIn", *[r["id"] for r in failures], self.spray_success["id"])
        self.cite(entry, "user", victim["id"])
        self.cite(entry, "conditionalAccessPolicy", t.policies_by_key["mfa_all_users"]["id"])
        self.cite(entry, "group", t.groups_by_key["service_account_exclusion"]["id"])
        entry["facts"] = {
            "ip": geo.SPRAY_IP,
            "country": geo.SPRAY_PLACE.country,
            "distinctUsersTargeted": len({r["userId"] for r in failures}) + 1,
            "failedAttempts": len(failures),
            "errorCode": 50126,
            "successfulUser": victim["userPrincipalName"],
            "successErrorCode": self.spray_success["status"]["errorCode"],
            "firstAttempt": failures[0]["createdDateTime"],
            "lastAttempt": self.spray_success["createdDateTime"],
        }

    def _impossible_travel(self) -> None:
        f, rng = self.factory, self.rng
        user = self.p["impossible_travel_user"]
        habit = self.habits[user["id"]]
        first_time = self.when(4, 15.2)
        home = f.attempt(
            user,
            first_time.timestamp(),
            self.uses["outlook"],
            habit.laptop[1],
            habit.office_ips[0],
            habit.home,
            interactive=True,
            mfa="inline",
            method=habit.method,
        )
        dev = self._attacker_device()
        away = f.attempt(
            user,
            first_time.timestamp() + 41 * 60 + rng.randint(0, 60),
            self.uses["owa"],
            dev[0],
            geo.TRAVEL_IP,
            geo.TRAVEL_PLACE.location(),
            interactive=True,
            mfa="claim",
        )
        self._emit(home + away)
        self.travel = (home[-1], away[-1])
        entry = self.scenario(
            "impossible_travel",
            "Impossible travel",
            f"{user['displayName']} signed in from Seattle and, 41 minutes later, from Singapore "
            "with a token that already carried MFA; Identity Protection raised unlikelyTravel.",
            userId=user["id"],
            ips=[home[-1]["ipAddress"], geo.TRAVEL_IP],
        )
        self.cite(entry, "signIn", home[-1]["id"], away[-1]["id"])
        self.cite(entry, "user", user["id"])
        entry["facts"] = {
            "countries": [home[-1]["location"]["countryOrRegion"], "SG"],
            "minutesApart": 41,
            "riskEventType": "unlikelyTravel",
        }

    def _bob(self) -> None:
        f = self.factory
        bob = self.p["bob"]
        habit = self.habits[bob["id"]]
        when = self.when(3, 16.33)
        risk = ("medium", "atRisk", ["anonymizedIPAddress"])
        rows = f.attempt(
            bob,
            when.timestamp(),
            self.uses["owa"],
            self._attacker_device()[0],
            geo.TOR_IP,
            geo.TOR_PLACE.location(),
            interactive=True,
            mfa="inline",
            method=habit.method,
            risk=risk,
        )
        self._emit(rows)
        self.bob_tor = rows[-1]
        entry = self.scenario(
            "leaked_credentials",
            "Leaked credentials for Bob",
            "Identity Protection found Bob's credentials in a leak (offline, high); two days later "
            "Bob's account signed in successfully from an anonymizing (Tor) IP address.",
            userId=bob["id"],
            ip=geo.TOR_IP,
        )
        user_risk_policy = self.tenant.policies_by_key["high_user_risk_password_change"]
        self.cite(entry, "signIn", self.bob_tor["id"])
        self.cite(entry, "user", bob["id"])
        self.cite(entry, "conditionalAccessPolicy", user_risk_policy["id"])
        entry["facts"] = {
            "riskyUserLevel": "high",
            "riskyUserState": "atRisk",
            "riskEventTypes": ["leakedCredentials", "anonymizedIPAddress"],
            "torSignInErrorCode": self.bob_tor["status"]["errorCode"],
            "userRiskPolicyState": user_risk_policy["state"],
        }

    def _mfa_fatigue(self) -> None:
        f, rng = self.factory, self.rng
        user = self.p["mfa_fatigue_user"]
        start = self.when(2, 22.8)
        dev = self._attacker_device()[0]
        loc = geo.FATIGUE_PLACE.location()
        app = self.uses["owa"]
        denied = []
        for i in range(9):
            epoch = start.timestamp() + i * 170 + rng.randint(0, 50)
            row = f.row(
                user, epoch, app, dev, geo.FATIGUE_IP, loc, interactive=True, correlation=guid(rng)
            )
            denied.append(
                f.mfa_failure(row, "microsoftAuthenticatorPush", "denied" if i % 3 else "timeout")
            )
        approve_epoch = start.timestamp() + 9 * 170 + 120
        row = f.row(
            user,
            approve_epoch,
            app,
            dev,
            geo.FATIGUE_IP,
            loc,
            interactive=True,
            correlation=guid(rng),
        )
        approved = f.settle(f.with_mfa(row, "microsoftAuthenticatorPush", "completed"))
        self._emit([*denied, approved])
        self.fatigue_success = approved
        entry = self.scenario(
            "mfa_fatigue",
            "MFA fatigue",
            f"{user['displayName']} received 9 Authenticator pushes from {geo.FATIGUE_IP} "
            "(Romania) within 30 minutes late at night, denied or ignored them (500121), then "
            "approved one.",
            userId=user["id"],
            ip=geo.FATIGUE_IP,
        )
        self.cite(entry, "signIn", *[r["id"] for r in denied], approved["id"])
        self.cite(entry, "user", user["id"])
        entry["facts"] = {
            "deniedPushes": len(denied),
            "errorCode": 500121,
            "approvedErrorCode": approved["status"]["errorCode"],
            "country": "RO",
        }

    def _legacy_auth(self) -> None:
        f, rng = self.factory, self.rng
        user = self.p["legacy_user"]
        habit = self.habits[user["id"]]
        legacy_device = {
            "deviceId": "",
            "displayName": None,
            "operatingSystem": None,
            "browser": None,
            "isCompliant": None,
            "isManaged": None,
            "trustType": None,
        }
        rows = []
        for k in range(min(self.tenant.days - 1, 14), -1, -1):
            for _ in range(2):
                moment = self.when(k, rng.uniform(0.5, 9.5) if k == 0 else rng.uniform(14, 23.5))
                client = rng.choice(("IMAP4", "IMAP4", "POP3", "Authenticated SMTP"))
                rows += f.attempt(
                    user,
                    moment.timestamp(),
                    self.uses["imap"],
                    legacy_device,
                    habit.office_ips[0],
                    habit.home,
                    interactive=True,
                    client=client,
                )
        self._emit(rows)
        policy = self.tenant.policies_by_key["block_legacy_auth"]
        entry = self.scenario(
            "legacy_auth_blocked",
            "Legacy authentication blocked",
            f"{user['displayName']}'s mail client keeps signing in over IMAP4/POP3/SMTP and is "
            f"blocked (53003) by '{policy['displayName']}'.",
            userId=user["id"],
            policyId=policy["id"],
        )
        self.cite(entry, "signIn", *[r["id"] for r in rows])
        self.cite(entry, "user", user["id"])
        self.cite(entry, "conditionalAccessPolicy", policy["id"])
        entry["facts"] = {
            "errorCode": 53003,
            "clientAppsUsed": sorted({r["clientAppUsed"] for r in rows}),
            "blockedSignIns": sum(1 for r in rows if r["status"]["errorCode"] == 53003),
        }

    def _compliant_device(self) -> None:
        f, rng = self.factory, self.rng
        alice = self.p["alice_johnson"]
        habit = self.habits[alice["id"]]
        personal = device(rng, "windows_personal", "alicej")[0]
        rows = []
        for minute in (7 * 60 + 46, 7 * 60 + 52, 8 * 60 + 31):
            moment = self.when(0, minute / 60)
            rows += f.attempt(
                alice,
                moment.timestamp(),
                self.uses["finance_portal"],
                personal,
                habit.office_ips[0],
                habit.home,
                interactive=True,
                mfa="inline",
                method=habit.method,
            )
        self._emit(rows)
        failed = [r for r in rows if r["status"]["errorCode"] == 53000]
        policy = self.tenant.policies_by_key["finance_compliant_device"]
        other = self.p["alice_other"]
        entry = self.scenario(
            "compliant_device_failure",
            "Alice Johnson blocked by the compliant-device requirement",
            "This morning Alice Johnson (Finance, Paris office) tried the Contoso Finance Portal "
            "three times from a personal, unmanaged laptop and failed with 53000 because "
            f"'{policy['displayName']}' requires a compliant device. Alice Moreau has only "
            "successful sign-ins.",
            userId=alice["id"],
            otherAliceId=other["id"],
            appId=self.uses["finance_portal"].app_id,
            policyId=policy["id"],
        )
        self.cite(entry, "signIn", *[r["id"] for r in failed])
        self.cite(entry, "user", alice["id"])
        self.cite(entry, "conditionalAccessPolicy", policy["id"])
        entry["facts"] = {
            "errorCode": 53000,
            "failedSignIns": len(failed),
            "deviceIsCompliant": False,
            "appDisplayName": self.uses["finance_portal"].app_name,
            "captureDay": iso(CAPTURED_AT)[:10],
        }

    def _lockout(self) -> None:
        f, rng = self.factory, self.rng
        user = self.p["lockout_user"]
        habit = self.habits[user["id"]]
        start = self.when(5, 8.25).timestamp()
        rows = []
        for i in range(9):
            row = f.row(
                user,
                start + i * 25 + rng.randint(0, 10),
                self.uses["owa"],
                habit.laptop[0],
                habit.home_ip,
                habit.home,
                interactive=True,
                correlation=guid(rng),
            )
            rows.append(f.primary_failure(row, 50126 if i < 6 else 50053))
        self._emit(rows)
        entry = self.scenario(
            "account_lockout",
            "Account lockout (50053)",
            f"{user['displayName']} entered a wrong password six times (50126) and the account "
            "was then locked (50053).",
            userId=user["id"],
        )
        self.cite(entry, "signIn", *[r["id"] for r in rows])
        self.cite(entry, "user", user["id"])
        entry["facts"] = {"wrongPasswordAttempts": 6, "lockedAttempts": 3, "errorCode": 50053}

    def _overlap_sign_in(self) -> None:
        user = self.p["finance_manager"]
        habit = self.habits[user["id"]]
        moment = self.when(3, 19.1)
        rows = self.factory.attempt(
            user,
            moment.timestamp(),
            self.uses["finance_portal"],
            habit.laptop[0],
            habit.home_ip,
            habit.home,
            interactive=True,
            mfa="inline",
            method=habit.method,
        )
        self._emit(rows)
        self.overlap_rows = rows

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
        ]
        return {
            "seed": t.seed,
            "tenantId": t.tenant_id,
            "capturedDateTime": captured,
            "personas": personas,
            "scenarios": [self.found[sid] for sid in order],
            "hostile_strings": list(t.hostile_strings),
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
