"""Planted sign-in situations, each with its ground truth in the answer key."""

from __future__ import annotations

from datetime import date, timedelta

from idpilot.evaluation.tenants.vindelkraft._core import Record, Tenant, at, iso
from idpilot.evaluation.tenants.vindelkraft.activity import Places
from idpilot.evaluation.tenants.vindelkraft.audits import audit, user_target
from idpilot.evaluation.tenants.vindelkraft.signins import Device, Env, Place, sign_in

SPRAY_IP = Place("193.142.146.23", "Amsterdam", "Noord-Holland", "NL", 52.3676, 4.9041)
FATIGUE_IP = Place("189.40.88.17", "Rio de Janeiro", "Rio de Janeiro", "BR", -22.9068, -43.1729)
TOR_IP = Place("185.220.101.33", "Frankfurt am Main", "Hessen", "DE", 50.1109, 8.6821)
FOREIGN_IP = Place("45.83.220.14", "București", "București", "RO", 44.4268, 26.1025)
UNMANAGED_MAC = Device("", None, "MacOs", "Safari 17.6", False, False, None, "macOS")
ATTACKER_PC = Device("", None, "Windows 10", "Chrome 131.0.0", False, False, None, "windows")
UNMANAGED_PC = ATTACKER_PC
LINUX_TOR = Device("", None, "Linux", "Firefox 115.0", False, False, None, "linux")
SPRAY_TARGETS = 26


def skip_days(tenant: Tenant) -> dict[str, set[date]]:
    """Days the baseline leaves out for planted users ('*never*' = no baseline at all)."""
    u = tenant.user
    after = {
        "jorg": date(2026, 11, 12),
        "grzegorz": date(2026, 10, 27),
        "begona": date(2026, 10, 29),
    }
    skip: dict[str, set[date]] = {
        u("zofia")["id"]: {date(2026, 11, 17)},
        u("marta")["id"]: {date(2026, 11, 11)},
    }
    for key, first in after.items():
        skip[u(key)["id"]] = {first + timedelta(days=n) for n in range(40)}
    skip["*never*"] = {u(k)["id"] for k in ("bjorn", "svc_scada", "new3")}
    skip["*quiet*"] = {
        u(k)["id"] for k in ("zofia", "jorg", "marta", "henrik", "ingrid", "paulo", "raul")
    }
    return skip


def _ids(records: list[Record]) -> list[str]:
    return [r["id"] for r in records]


def lockout_then_reset(env: Env, places: Places) -> None:
    """Zofia: wrong passwords on Tuesday morning, locked, reset by the desk, fine after lunch."""
    tenant = env.tenant
    zofia, agnieszka = tenant.user("zofia"), tenant.user("agnieszka")
    office, device = places.office("Kraków"), places.device(zofia)
    failures = [
        sign_in(env, zofia, "kvitto", at(17, 8, m, 11), office, device, primary_error=code)
        for m, code in (
            (2, 50126),
            (4, 50126),
            (7, 50126),
            (11, 50126),
            (15, 50126),
            (19, 50053),
            (31, 50053),
        )
    ]
    reset = audit(
        tenant,
        at(17, 11, 42, 5),
        "Reset user password",
        "UserManagement",
        [user_target(zofia)],
        actor=agnieszka,
        operation="Update",
        actor_ip="153.19.66.21",
    )
    later = [
        sign_in(env, zofia, key, at(17, h, m, 40), office, device)
        for key, h, m in (("kvitto", 12, 48), ("teams", 12, 50), ("exchange", 14, 10))
    ]
    tenant.scenario(
        "lockout_reset",
        "Locked out on Tuesday morning; the service desk reset the password",
        {
            "user": zofia["displayName"],
            "user_id": zofia["id"],
            "app": "Kvitto Expenses",
            "admin": agnieszka["displayName"],
            "signIn_after": _ids(later),
            "lockout_signin": failures[-1]["id"],
        },
        {
            "date": "2026-11-17",
            "weekday": "Tuesday",
            "failed_attempts": len(failures),
            "error_codes": [50126, 50053],
            "reset_at": iso(at(17, 11, 42, 5)),
        },
        {"signIn": _ids(failures), "directoryAudit": [reset["id"]]},
    )


def password_spray(env: Env, places: Places) -> None:
    """One IP tries one password on many accounts on Monday 9 November around 3 pm."""
    tenant = env.tenant
    rng = tenant.rng
    raul = tenant.user("raul")
    pool = [
        u
        for u in tenant.records("users")
        if u.get("department") and u["accountEnabled"] and u["id"] != raul["id"]
    ]
    targets = rng.sample(pool, SPRAY_TARGETS - 1)
    attempts = []
    for index, user in enumerate(targets):
        moment = at(9, 14, 52, 0) + timedelta(seconds=63 * index + rng.randrange(0, 20))
        attempts.append(
            sign_in(env, user, "officehome", moment, SPRAY_IP, ATTACKER_PC, primary_error=50126)
        )
    hit = sign_in(env, raul, "officehome", at(9, 15, 19, 7), SPRAY_IP, ATTACKER_PC)
    tenant.scenario(
        "password_spray",
        "Password spray from one Amsterdam IP; one password was right but "
        "the country block stopped it",
        {
            "ip": SPRAY_IP.ip,
            "country": "NL",
            "city": SPRAY_IP.city,
            "compromised_user": raul["displayName"],
            "compromised_user_id": raul["id"],
            "hit_signin": hit["id"],
            "blocking_policy": tenant.planted["policy:country_block"]["displayName"],
        },
        {
            "date": "2026-11-09",
            "accounts": SPRAY_TARGETS,
            "wrong_password": len(attempts),
            "hit_error_code": hit["status"]["errorCode"],
        },
        {"signIn": [*_ids(attempts), hit["id"]]},
    )


def disabled_account(env: Env, places: Places, disable_audit: Record) -> None:
    """Jörg: disabled by an admin on the 12th, fails on Friday the 13th and the Monday after."""
    tenant = env.tenant
    jorg = tenant.user("jorg")
    office, device = places.office("München"), places.device(jorg)
    failures = [
        sign_in(env, jorg, app, moment, office, device, primary_error=50057)
        for app, moment in (
            ("procura_portal", at(13, 7, 40, 3)),
            ("procura_portal", at(13, 7, 42, 51)),
            ("exchange", at(13, 8, 2, 30)),
            ("teams", at(16, 7, 55, 12)),
        )
    ]
    tenant.scenario(
        "disabled_by_admin",
        "Account disabled by a user administrator; later sign-ins fail 50057",
        {
            "user": jorg["displayName"],
            "user_id": jorg["id"],
            "admin": tenant.user("lukasz")["displayName"],
            "first_signin": failures[0]["id"],
        },
        {
            "disabled_at": disable_audit["activityDateTime"],
            "error_code": 50057,
            "first_failure": failures[0]["createdDateTime"],
            "failures": len(failures),
        },
        {"signIn": _ids(failures), "directoryAudit": [disable_audit["id"]]},
    )


def mfa_fatigue(env: Env) -> Record:
    """Ingrid: a burst of push prompts from Rio on Wednesday evening, then one approval."""
    tenant = env.tenant
    ingrid = tenant.user("ingrid")
    denied = [
        sign_in(
            env,
            ingrid,
            "officehome",
            at(18, 21, 2, 0) + timedelta(seconds=90 * n + 7),
            FATIGUE_IP,
            ATTACKER_PC,
            will_do_mfa=False,
        )
        for n in range(11)
    ]
    approved = sign_in(
        env,
        ingrid,
        "officehome",
        at(18, 21, 19, 33),
        FATIGUE_IP,
        ATTACKER_PC,
        risk="medium",
        risk_events=["unfamiliarFeatures"],
    )
    tenant.scenario(
        "mfa_fatigue",
        "Eleven denied MFA pushes from Rio de Janeiro, then an approval",
        {
            "user": ingrid["displayName"],
            "user_id": ingrid["id"],
            "ip": FATIGUE_IP.ip,
            "city": FATIGUE_IP.city,
            "approved_signin": approved["id"],
        },
        {"date": "2026-11-18", "weekday": "Wednesday", "denied": len(denied), "error_code": 500121},
        {"signIn": [*_ids(denied), approved["id"]]},
    )
    return approved


def risky_sign_ins(env: Env) -> tuple[Record, Record]:
    """Paulo's account used from a Tor exit node, then blocked from Romania."""
    tenant = env.tenant
    paulo = tenant.user("paulo")
    tor = sign_in(
        env,
        paulo,
        "exchange",
        at(14, 2, 13, 9),
        TOR_IP,
        LINUX_TOR,
        risk="medium",
        risk_events=["anonymizedIPAddress"],
    )
    foreign = sign_in(
        env,
        paulo,
        "exchange",
        at(15, 3, 40, 51),
        FOREIGN_IP,
        LINUX_TOR,
        risk="medium",
        risk_events=["unfamiliarFeatures"],
    )
    return tor, foreign


def device_not_compliant(env: Env, places: Places) -> None:
    """Märta tries the expenses app from her own Mac on Wednesday afternoon."""
    tenant = env.tenant
    marta = tenant.user("marta")
    home = places.home(marta)
    failures = [
        sign_in(env, marta, "kvitto", at(11, 13, m, 5), home, UNMANAGED_MAC) for m in (20, 23, 26)
    ]
    later = sign_in(
        env, marta, "kvitto", at(11, 15, 5, 44), places.office("Malmö"), places.device(marta)
    )
    tenant.scenario(
        "device_not_compliant",
        "Finance apps need a compliant or hybrid-joined device",
        {
            "user": marta["displayName"],
            "user_id": marta["id"],
            "app": "Kvitto Expenses",
            "signIn_after": later["id"],
            "policy": tenant.planted["policy:finance_device"]["displayName"],
        },
        {"date": "2026-11-11", "error_code": 53000, "failures": len(failures)},
        {
            "signIn": _ids(failures),
            "conditionalAccessPolicy": [tenant.planted["policy:finance_device"]["id"]],
        },
    )


def legacy_protocol(env: Env, places: Places) -> None:
    """Henrik's old mail client keeps trying IMAP from the office; the legacy block stops it."""
    tenant = env.tenant
    henrik = tenant.user("henrik")
    tries = []
    for day in range(2, 21):
        if date(2026, 11, day).weekday() < 5:
            tries.append(
                sign_in(
                    env,
                    henrik,
                    "exchange",
                    at(day, 6, 1, 17),
                    places.office("Malmö"),
                    places.device(henrik),
                    client="other",
                )
            )
    policy = tenant.planted["policy:legacy_block"]
    tenant.scenario(
        "legacy_auth_blocked",
        "IMAP attempts blocked by the legacy authentication policy",
        {
            "user": henrik["displayName"],
            "user_id": henrik["id"],
            "policy": policy["displayName"],
            "client": "IMAP4",
        },
        {"attempts": len(tries), "error_code": 53003},
        {"signIn": _ids(tries), "conditionalAccessPolicy": [policy["id"]]},
    )


def special_accounts(env: Env, places: Places) -> None:
    """A break-glass check-in, the service account and the guest administrator's sessions."""
    tenant = env.tenant
    bg2 = tenant.user("breakglass02")
    check = sign_in(
        env,
        bg2,
        "portal",
        at(4, 9, 3, 12),
        places.office("Malmö"),
        Device("", None, "Windows 11", "Edge 130.0.2849", False, False, None, "windows"),
    )
    tenant.planted["bg2_signin"] = check
    svc = tenant.user("svc_scada")
    for day in range(1, 21):
        sign_in(
            env,
            svc,
            "scada",
            at(day, 4, 0, 30),
            places.office("Bergen"),
            Device(
                "", None, "Windows Server 2019", "Rich Client 4.6", False, False, None, "windows"
            ),
            client="mobileAppsAndDesktopClients",
        )
    martin = tenant.user("martin")
    vpn = Place("198.51.100.23", "Madrid", "Comunidad de Madrid", "ES", 40.4168, -3.7038)
    sessions = [
        sign_in(env, martin, "portal", at(day, 10, 12, 0), vpn, UNMANAGED_PC)
        for day in (3, 10, 17, 19)
    ]
    tenant.planted["martin_portal"] = sessions[-1]
