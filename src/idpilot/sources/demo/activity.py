"""Baseline sign-in activity: per-user habits turned into a day-by-day stream of signIn rows."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from .geo import (
    GUEST_PLACES,
    HOME_ISP_PREFIXES,
    MOBILE_PREFIXES,
    OFFICE_BY_NAME,
    SEATTLE,
    Place,
    host,
)
from .ids import CAPTURED_AT, guid, iso_ts
from .signins import BROWSER, MODERN_CLIENT, AppUse, SignInFactory
from .tenant import Tenant

DAY = 86400.0
CAPTURED_EPOCH = CAPTURED_AT.timestamp()
EVENTS_PER_ACTIVE_DAY = 4.3  # tuned so the snapshot averages ~3.3 sign-in rows per user per day


def app_uses(tenant: Tenant) -> dict[str, AppUse]:
    a = tenant.apps

    def use(app: str, resource: str, client: str, phone: bool = False) -> AppUse:
        return AppUse(
            a[app]["appId"],
            a[app]["displayName"],
            a[resource]["appId"],
            a[resource]["displayName"],
            client,
            phone,
        )

    return {
        "outlook": use("office", "exchange", MODERN_CLIENT),
        "office_graph": use("office", "graph", MODERN_CLIENT),
        "teams": use("teams", "graph", MODERN_CLIENT),
        "teams_mobile": use("teams", "graph", MODERN_CLIENT, True),
        "outlook_mobile": use("office", "exchange", MODERN_CLIENT, True),
        "owa": use("exchange", "exchange", BROWSER),
        "sharepoint": use("sharepoint", "sharepoint", BROWSER),
        "intranet": use("intranet", "intranet", BROWSER),
        "expenses": use("expenses", "expenses", BROWSER),
        "finance_portal": use("finance_portal", "finance_portal", BROWSER),
        "hr_portal": use("hr_portal", "hr_portal", BROWSER),
        "field_service": use("field_service", "graph", MODERN_CLIENT, True),
        "azure_portal": use("azure_portal", "azure_management", BROWSER),
        "azure_cli": use("azure_cli", "azure_management", MODERN_CLIENT),
        "azure_powershell": use("azure_powershell", "azure_management", MODERN_CLIENT),
        "admin_center": use("admin_center", "admin_center", BROWSER),
        "imap": use("exchange", "exchange", "IMAP4"),
    }


BASE_APPS = (
    ("outlook", 5),
    ("teams", 5),
    ("office_graph", 2),
    ("sharepoint", 2),
    ("owa", 1),
    ("intranet", 1),
    ("expenses", 0.5),
    ("hr_portal", 0.3),
    ("teams_mobile", 1.5),
    ("outlook_mobile", 1.5),
)
DEPARTMENT_APPS = {
    "Finance": (("finance_portal", 3),),
    "Human Resources": (("hr_portal", 3),),
    "IT": (("azure_portal", 2), ("azure_cli", 1), ("azure_powershell", 1), ("admin_center", 1)),
    "Engineering": (("azure_portal", 1), ("azure_cli", 1.5)),
    "Operations": (("field_service", 1.5),),
    "Customer Support": (("field_service", 1),),
}
GUEST_APPS = (("teams", 4), ("sharepoint", 3), ("office_graph", 1))


def device(rng: random.Random, kind: str, owner: str) -> tuple[dict, dict]:
    """A device as deviceDetail reports it: (browser variant, rich-client variant)."""
    managed = kind in ("windows_joined", "windows_hybrid", "mac", "iphone", "android")
    os_name, browser, trust = {
        "windows_joined": ("Windows 10", "Edge 120.0.2210", "Azure AD joined"),
        "windows_hybrid": ("Windows 10", "Edge 119.0.2151", "Hybrid Azure AD joined"),
        "windows_personal": ("Windows 10", "Chrome 120.0.6099", None),
        "mac": ("MacOs", "Safari 17.1", "Azure AD registered"),
        "mac_personal": ("MacOs", "Chrome 120.0.6099", None),
        "iphone": ("iOS 17.4", "Mobile Safari 17.4", "Azure AD registered"),
        "android": ("Android 14", "Chrome Mobile 120.0.6099", "Azure AD registered"),
        "iphone_personal": ("iOS 17.4", "Mobile Safari 17.4", None),
    }[kind]
    phone = os_name.startswith(("iOS", "Android"))
    name = f"{'PHONE' if phone else 'CONTOSO-LT'}-{owner[:6].upper()}{rng.randint(10, 99)}"
    detail = {
        "deviceId": guid(rng) if managed else "",
        "displayName": name if managed else None,
        "operatingSystem": os_name,
        "browser": browser,
        "isCompliant": managed,
        "isManaged": managed,
        "trustType": trust,
    }
    rich = dict(detail, browser="Rich Client 5.2.6" if not phone else "Rich Client 4.64.0")
    return detail, rich


@dataclass
class Habit:
    """How one user usually signs in (generator-side, never written out)."""

    user: dict
    home: dict  # location
    office_ips: tuple[str, ...]
    home_ip: str
    mobile_ip: str
    laptop: tuple[dict, dict]
    phone: tuple[dict, dict]
    apps: list[AppUse]
    weights: list[float]
    start_hour: float  # UTC
    wfh: float
    method: str
    rate: float
    clean: bool = False
    days_active: float = 1.0
    extra: dict = field(default_factory=dict)


def build_habits(rng: random.Random, tenant: Tenant, uses: dict[str, AppUse]) -> dict[str, Habit]:
    habits: dict[str, Habit] = {}
    for user in tenant.users:
        profile = tenant.profiles[user["id"]]
        if profile.kind not in ("active", "occasional"):
            continue
        guest = user["userType"] == "Guest"
        if guest:
            domain = user["mail"].split("@")[1]
            place: Place = GUEST_PLACES.get(domain, SEATTLE)
            office_ips: tuple[str, ...] = ()
        else:
            office = OFFICE_BY_NAME[profile.office or "Seattle HQ"]
            place = office.place
            office_ips = tuple(host(rng, p) for p in office.egress for _ in range(2))
        country = place.country
        home_ip = host(rng, rng.choice(HOME_ISP_PREFIXES.get(country, HOME_ISP_PREFIXES["US"])))
        mobile_ip = host(rng, rng.choice(MOBILE_PREFIXES.get(country, MOBILE_PREFIXES["US"])))
        owner = user["mailNickname"].replace(".", "")
        if guest:
            laptop_kind = rng.choice(("windows_personal", "mac_personal"))
            phone_kind = "iphone_personal"
        else:
            roll = rng.random()
            laptop_kind = (
                "windows_joined"
                if roll < 0.55
                else "windows_hybrid"
                if roll < 0.78
                else "mac"
                if roll < 0.94
                else "windows_personal"
            )
            if user["department"] == "Finance" and laptop_kind == "windows_personal":
                laptop_kind = "windows_joined"
            phone_kind = rng.choice(("iphone", "iphone", "android", "iphone_personal"))
        pairs = list(GUEST_APPS if guest else BASE_APPS)
        pairs += DEPARTMENT_APPS.get(user["department"] or "", ())
        method = rng.choices(
            (
                "microsoftAuthenticatorPush",
                "softwareOneTimePasscode",
                "fido2",
                "windowsHelloForBusiness",
                "mobilePhone",
            ),
            weights=(70, 8, 5, 12, 5),
        )[0]
        habits[user["id"]] = Habit(
            user=user,
            home=place.location(),
            office_ips=office_ips,
            home_ip=home_ip,
            mobile_ip=mobile_ip,
            laptop=device(rng, laptop_kind, owner),
            phone=device(rng, phone_kind, owner),
            apps=[uses[k] for k, _ in pairs],
            weights=[w for _, w in pairs],
            start_hour=(rng.uniform(7.0, 9.5) - place.utc_offset) % 24,
            wfh=0.9 if guest else rng.uniform(0.1, 0.5),
            method=method,
            rate=EVENTS_PER_ACTIVE_DAY * rng.uniform(0.6, 1.4),
            days_active=0.2 if guest else 1.0,
        )
    return habits


def day_attempts(
    rng: random.Random, factory: SignInFactory, habit: Habit, day_start: float
) -> Iterable[dict]:
    """The ordinary sign-ins of one user on one day."""
    weekday = ((int(day_start // DAY) + 3) % 7) < 5  # 1970-01-01 was a Thursday
    if rng.random() > habit.days_active or (not weekday and rng.random() < 0.6):
        return
    n = int(habit.rate * (1.0 if weekday else 0.4) * rng.uniform(0.5, 1.5) + rng.random())
    at_office = weekday and bool(habit.office_ips) and rng.random() > habit.wfh
    office_ip = rng.choice(habit.office_ips) if at_office else None
    user = habit.user
    prompted = False
    for i in range(n):
        app = rng.choices(habit.apps, habit.weights)[0]
        interactive = i == 0 or rng.random() < 0.15
        epoch = day_start + (habit.start_hour + rng.uniform(0, 9.5 if interactive else 14)) * 3600
        if epoch >= CAPTURED_EPOCH:
            continue
        if app.on_phone:
            dev = habit.phone[app.client != BROWSER]
            ip = office_ip if office_ip and rng.random() < 0.5 else habit.mobile_ip
        else:
            dev = habit.laptop[app.client != BROWSER]
            ip = office_ip or habit.home_ip
        location = habit.home
        if not interactive and not habit.clean and rng.random() < 0.012:
            row = factory.row(
                user, epoch, app, dev, ip, location, interactive=False, correlation=guid(rng)
            )
            # The draw stays so the rest of the demo is unchanged. Only 700082 (refresh token
            # expired from inactivity, before Conditional Access) is written: what Entra records
            # for 70043 (a sign-in frequency check of a policy) is not documented.
            rng.choice((70043, 700082))
            yield factory.primary_failure(row, 700082)
            continue
        if interactive and not habit.clean and rng.random() < 0.03:
            row = factory.row(
                user,
                epoch - rng.randint(20, 120),
                app,
                dev,
                ip,
                location,
                interactive=True,
                correlation=guid(rng),
            )
            yield factory.primary_failure(row, 50126)
        mfa = "claim"
        if interactive and not prompted:
            prompted = True
            mfa = "inline" if habit.clean else ("prompt" if rng.random() < 0.3 else "inline")
        rows = factory.attempt(
            user,
            epoch,
            app,
            dev,
            ip,
            location,
            interactive=interactive,
            mfa=mfa,
            method=habit.method,
        )
        yield from rows
        if interactive and mfa != "claim" and not habit.clean and rng.random() < 0.06:
            last = rows[-1]
            if last["status"]["errorCode"] == 0:
                kmsi = factory.row(
                    user,
                    epoch + 5,
                    app,
                    dev,
                    ip,
                    location,
                    interactive=True,
                    correlation=last["correlationId"],
                )
                yield factory.kmsi_interrupt(kmsi, last)


class SignInActivity:
    """Tracks users' signInActivity from the rows as they are written."""

    def __init__(self) -> None:
        self.last: dict[str, list] = {}

    def see(self, row: dict) -> None:
        slot = self.last.get(row["userId"])
        if slot is None:
            slot = self.last[row["userId"]] = [None, None, None, None, None, None]
        when, rid = row["createdDateTime"], row["id"]
        i = 0 if row["isInteractive"] else 2
        if slot[i] is None or when >= slot[i]:
            slot[i], slot[i + 1] = when, rid
        if row["status"]["errorCode"] == 0 and (slot[4] is None or when >= slot[4]):
            slot[4], slot[5] = when, rid

    def for_user(self, user_id: str) -> dict | None:
        slot = self.last.get(user_id)
        if slot is None:
            return None
        return {
            "lastSignInDateTime": slot[0],
            "lastSignInRequestId": slot[1],
            "lastNonInteractiveSignInDateTime": slot[2],
            "lastNonInteractiveSignInRequestId": slot[3],
            "lastSuccessfulSignInDateTime": slot[4],
            "lastSuccessfulSignInRequestId": slot[5],
        }


def stream_sign_ins(
    rng: random.Random,
    tenant: Tenant,
    factory: SignInFactory,
    habits: dict[str, Habit],
    planted: list[dict],
    write: Callable[[dict], None],
) -> SignInActivity:
    """Generate the window day by day, merge the planted rows, and write them in time order."""
    activity = SignInActivity()
    first = (CAPTURED_AT - timedelta(days=tenant.days)).replace(hour=0, minute=0, second=0)
    window_start = iso_ts(CAPTURED_EPOCH - tenant.days * DAY)
    planted_by_day: dict[str, list[dict]] = {}
    for row in planted:
        planted_by_day.setdefault(row["createdDateTime"][:10], []).append(row)
    ordered = [habits[u["id"]] for u in tenant.users if u["id"] in habits]
    day_start = first.timestamp()
    while day_start < CAPTURED_EPOCH:
        rows = planted_by_day.pop(iso_ts(day_start)[:10], [])
        for habit in ordered:
            for row in day_attempts(rng, factory, habit, day_start):
                if row["createdDateTime"] >= window_start:
                    rows.append(row)
        rows.sort(key=lambda r: r["createdDateTime"])
        for row in rows:
            activity.see(row)
            write(row)
        day_start += DAY
    for leftover in planted_by_day.values():  # planted rows outside the window (none expected)
        for row in leftover:
            activity.see(row)
            write(row)
    return activity
