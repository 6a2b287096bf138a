"""The sign-in side of the planted scenarios, each with its answer-key entry."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import geo
from .activity import device
from .ids import CAPTURED_AT, guid, iso

if TYPE_CHECKING:
    from .scenarios import Planter


def plant_sign_ins(planter: Planter) -> None:
    """Plant every sign-in scenario in a fixed order (the random stream depends on it)."""
    _password_spray(planter)
    _impossible_travel(planter)
    _bob(planter)
    _mfa_fatigue(planter)
    _legacy_auth(planter)
    _compliant_device(planter)
    _lockout(planter)
    _overlap_sign_in(planter)


def _attacker_device(planter: Planter) -> tuple[dict, dict]:
    return device(planter.rng, "windows_personal", "unknown")


def _password_spray(planter: Planter) -> None:
    f, rng, t = planter.factory, planter.rng, planter.tenant
    start = planter.when(6, 2.15)
    victim = planter.p["spray_victim"]
    persona_ids = {u["id"] for u in planter.p.values()}
    pool = [
        u
        for u in t.members()
        if u["accountEnabled"] and u["department"] and u["id"] not in persona_ids
    ]
    targets = rng.sample(pool, min(22, len(pool)))
    dev = _attacker_device(planter)[0]
    loc = geo.SPRAY_PLACE.location()
    app = planter.uses["owa"]
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
    planter.emit(failures + success)
    planter.spray_success = success[-1]
    entry = planter.scenario(
        "password_spray",
        "Password spray from one IP",
        f"{geo.SPRAY_IP} tried {len(targets) + 1} accounts with wrong passwords (50126) within "
        "an hour; the service account svc-printscan, excluded from MFA, signed in "
        "successfully.",
        ip=geo.SPRAY_IP,
        compromisedUserId=victim["id"],
    )
    planter.cite(entry, "signIn", *[r["id"] for r in failures], planter.spray_success["id"])
    planter.cite(entry, "user", victim["id"])
    planter.cite(entry, "conditionalAccessPolicy", t.policies_by_key["mfa_all_users"]["id"])
    planter.cite(entry, "group", t.groups_by_key["service_account_exclusion"]["id"])
    entry["facts"] = {
        "ip": geo.SPRAY_IP,
        "country": geo.SPRAY_PLACE.country,
        "distinctUsersTargeted": len({r["userId"] for r in failures}) + 1,
        "failedAttempts": len(failures),
        "errorCode": 50126,
        "successfulUser": victim["userPrincipalName"],
        "successErrorCode": planter.spray_success["status"]["errorCode"],
        "firstAttempt": failures[0]["createdDateTime"],
        "lastAttempt": planter.spray_success["createdDateTime"],
    }


def _impossible_travel(planter: Planter) -> None:
    f, rng = planter.factory, planter.rng
    user = planter.p["impossible_travel_user"]
    habit = planter.habits[user["id"]]
    first_time = planter.when(4, 15.2)
    home = f.attempt(
        user,
        first_time.timestamp(),
        planter.uses["outlook"],
        habit.laptop[1],
        habit.office_ips[0],
        habit.home,
        interactive=True,
        mfa="inline",
        method=habit.method,
    )
    dev = _attacker_device(planter)
    away = f.attempt(
        user,
        first_time.timestamp() + 41 * 60 + rng.randint(0, 60),
        planter.uses["owa"],
        dev[0],
        geo.TRAVEL_IP,
        geo.TRAVEL_PLACE.location(),
        interactive=True,
        mfa="claim",
    )
    planter.emit(home + away)
    planter.travel = (home[-1], away[-1])
    entry = planter.scenario(
        "impossible_travel",
        "Impossible travel",
        f"{user['displayName']} signed in from Seattle and, 41 minutes later, from Singapore "
        "with a token that already carried MFA; Identity Protection raised unlikelyTravel.",
        userId=user["id"],
        ips=[home[-1]["ipAddress"], geo.TRAVEL_IP],
    )
    planter.cite(entry, "signIn", home[-1]["id"], away[-1]["id"])
    planter.cite(entry, "user", user["id"])
    entry["facts"] = {
        "countries": [home[-1]["location"]["countryOrRegion"], "SG"],
        "minutesApart": 41,
        "riskEventType": "unlikelyTravel",
    }


def _bob(planter: Planter) -> None:
    f = planter.factory
    bob = planter.p["bob"]
    habit = planter.habits[bob["id"]]
    when = planter.when(3, 16.33)
    risk = ("medium", "atRisk", ["anonymizedIPAddress"])
    rows = f.attempt(
        bob,
        when.timestamp(),
        planter.uses["owa"],
        _attacker_device(planter)[0],
        geo.TOR_IP,
        geo.TOR_PLACE.location(),
        interactive=True,
        mfa="inline",
        method=habit.method,
        risk=risk,
    )
    planter.emit(rows)
    planter.bob_tor = rows[-1]
    entry = planter.scenario(
        "leaked_credentials",
        "Leaked credentials for Bob",
        "Identity Protection found Bob's credentials in a leak (offline, high); two days later "
        "Bob's account signed in successfully from an anonymizing (Tor) IP address.",
        userId=bob["id"],
        ip=geo.TOR_IP,
    )
    user_risk_policy = planter.tenant.policies_by_key["high_user_risk_password_change"]
    planter.cite(entry, "signIn", planter.bob_tor["id"])
    planter.cite(entry, "user", bob["id"])
    planter.cite(entry, "conditionalAccessPolicy", user_risk_policy["id"])
    entry["facts"] = {
        "riskyUserLevel": "high",
        "riskyUserState": "atRisk",
        "riskEventTypes": ["leakedCredentials", "anonymizedIPAddress"],
        "torSignInErrorCode": planter.bob_tor["status"]["errorCode"],
        "userRiskPolicyState": user_risk_policy["state"],
    }


def _mfa_fatigue(planter: Planter) -> None:
    f, rng = planter.factory, planter.rng
    user = planter.p["mfa_fatigue_user"]
    start = planter.when(2, 22.8)
    dev = _attacker_device(planter)[0]
    loc = geo.FATIGUE_PLACE.location()
    app = planter.uses["owa"]
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
    planter.emit([*denied, approved])
    planter.fatigue_success = approved
    entry = planter.scenario(
        "mfa_fatigue",
        "MFA fatigue",
        f"{user['displayName']} received 9 Authenticator pushes from {geo.FATIGUE_IP} "
        "(Romania) within 30 minutes late at night, denied or ignored them (500121), then "
        "approved one.",
        userId=user["id"],
        ip=geo.FATIGUE_IP,
    )
    planter.cite(entry, "signIn", *[r["id"] for r in denied], approved["id"])
    planter.cite(entry, "user", user["id"])
    entry["facts"] = {
        "deniedPushes": len(denied),
        "errorCode": 500121,
        "approvedErrorCode": approved["status"]["errorCode"],
        "country": "RO",
    }


def _legacy_auth(planter: Planter) -> None:
    f, rng = planter.factory, planter.rng
    user = planter.p["legacy_user"]
    habit = planter.habits[user["id"]]
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
    for k in range(min(planter.tenant.days - 1, 14), -1, -1):
        for _ in range(2):
            moment = planter.when(k, rng.uniform(0.5, 9.5) if k == 0 else rng.uniform(14, 23.5))
            client = rng.choice(("IMAP4", "IMAP4", "POP3", "Authenticated SMTP"))
            rows += f.attempt(
                user,
                moment.timestamp(),
                planter.uses["imap"],
                legacy_device,
                habit.office_ips[0],
                habit.home,
                interactive=True,
                client=client,
            )
    planter.emit(rows)
    policy = planter.tenant.policies_by_key["block_legacy_auth"]
    entry = planter.scenario(
        "legacy_auth_blocked",
        "Legacy authentication blocked",
        f"{user['displayName']}'s mail client keeps signing in over IMAP4/POP3/SMTP and is "
        f"blocked (53003) by '{policy['displayName']}'.",
        userId=user["id"],
        policyId=policy["id"],
    )
    planter.cite(entry, "signIn", *[r["id"] for r in rows])
    planter.cite(entry, "user", user["id"])
    planter.cite(entry, "conditionalAccessPolicy", policy["id"])
    entry["facts"] = {
        "errorCode": 53003,
        "clientAppsUsed": sorted({r["clientAppUsed"] for r in rows}),
        "blockedSignIns": sum(1 for r in rows if r["status"]["errorCode"] == 53003),
    }


def _compliant_device(planter: Planter) -> None:
    f, rng = planter.factory, planter.rng
    alice = planter.p["alice_johnson"]
    habit = planter.habits[alice["id"]]
    personal = device(rng, "windows_personal", "alicej")[0]
    rows = []
    for minute in (7 * 60 + 46, 7 * 60 + 52, 8 * 60 + 31):
        moment = planter.when(0, minute / 60)
        rows += f.attempt(
            alice,
            moment.timestamp(),
            planter.uses["finance_portal"],
            personal,
            habit.office_ips[0],
            habit.home,
            interactive=True,
            mfa="inline",
            method=habit.method,
        )
    planter.emit(rows)
    failed = [r for r in rows if r["status"]["errorCode"] == 53000]
    policy = planter.tenant.policies_by_key["finance_compliant_device"]
    other = planter.p["alice_other"]
    entry = planter.scenario(
        "compliant_device_failure",
        "Alice Johnson blocked by the compliant-device requirement",
        "This morning Alice Johnson (Finance, Paris office) tried the Contoso Finance Portal "
        "three times from a personal, unmanaged laptop and failed with 53000 because "
        f"'{policy['displayName']}' requires a compliant device. Alice Moreau has only "
        "successful sign-ins.",
        userId=alice["id"],
        otherAliceId=other["id"],
        appId=planter.uses["finance_portal"].app_id,
        policyId=policy["id"],
    )
    planter.cite(entry, "signIn", *[r["id"] for r in failed])
    planter.cite(entry, "user", alice["id"])
    planter.cite(entry, "conditionalAccessPolicy", policy["id"])
    entry["facts"] = {
        "errorCode": 53000,
        "failedSignIns": len(failed),
        "deviceIsCompliant": False,
        "appDisplayName": planter.uses["finance_portal"].app_name,
        "captureDay": iso(CAPTURED_AT)[:10],
    }


def _lockout(planter: Planter) -> None:
    f, rng = planter.factory, planter.rng
    user = planter.p["lockout_user"]
    habit = planter.habits[user["id"]]
    start = planter.when(5, 8.25).timestamp()
    rows = []
    for i in range(9):
        row = f.row(
            user,
            start + i * 25 + rng.randint(0, 10),
            planter.uses["owa"],
            habit.laptop[0],
            habit.home_ip,
            habit.home,
            interactive=True,
            correlation=guid(rng),
        )
        rows.append(f.primary_failure(row, 50126 if i < 6 else 50053))
    planter.emit(rows)
    entry = planter.scenario(
        "account_lockout",
        "Account lockout (50053)",
        f"{user['displayName']} entered a wrong password six times (50126) and the account "
        "was then locked (50053).",
        userId=user["id"],
    )
    planter.cite(entry, "signIn", *[r["id"] for r in rows])
    planter.cite(entry, "user", user["id"])
    entry["facts"] = {"wrongPasswordAttempts": 6, "lockedAttempts": 3, "errorCode": 50053}


def _overlap_sign_in(planter: Planter) -> None:
    user = planter.p["finance_manager"]
    habit = planter.habits[user["id"]]
    moment = planter.when(3, 19.1)
    rows = planter.factory.attempt(
        user,
        moment.timestamp(),
        planter.uses["finance_portal"],
        habit.laptop[0],
        habit.home_ip,
        habit.home,
        interactive=True,
        mfa="inline",
        method=habit.method,
    )
    planter.emit(rows)
    planter.overlap_rows = rows
