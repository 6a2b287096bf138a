"""Thirty days of everyday sign-ins: offices, home networks, phones and laptops."""

from __future__ import annotations

import ipaddress
from datetime import UTC, date, datetime, timedelta

from idpilot.evaluation.tenants.vindelkraft._core import CAPTURED, DAYS, Record, Tenant
from idpilot.evaluation.tenants.vindelkraft.people import SITE_BY_CITY, Site
from idpilot.evaluation.tenants.vindelkraft.policies import OFFICE_RANGES
from idpilot.evaluation.tenants.vindelkraft.signins import Device, Env, Place, sign_in

STATES = {
    "Malmö": "Skåne län",
    "München": "Bayern",
    "Kraków": "Małopolskie",
    "São Paulo": "São Paulo",
    "Bergen": "Vestland",
    "Valencia": "Comunitat Valenciana",
}
TYPO_RATE = 0.012
"""Share of everyday sign-ins preceded by a mistyped password."""
MOBILE_DEPARTMENTS = {"Field Service", "Blade Manufacturing", "Offshore Operations"}
APPS_BY_DEPARTMENT = {
    "Finance & Controlling": ("kvitto", "lonn", "exchange", "teams", "sharepoint"),
    "Shared Services": ("kvitto", "exchange", "teams", "sharepoint"),
    "People & Culture": ("lonn", "exchange", "teams", "sharepoint"),
    "IT Operations": ("portal", "exchange", "teams", "sharepoint", "officehome"),
    "Legal": ("exchange", "sharepoint", "teams"),
    "Sales": ("exchange", "teams", "kvitto", "officehome"),
    "Turbine Engineering": ("sharepoint", "teams", "exchange", "scada"),
    "Procurement": ("procura_portal", "exchange", "teams"),
    "Field Service": ("hydra", "teams", "exchange"),
    "Offshore Operations": ("scada", "teams", "hydra"),
    "Blade Manufacturing": ("teams", "sharepoint"),
}


class Places:
    """Office and home networks per site, and a stable device per user."""

    def __init__(self, tenant: Tenant) -> None:
        self.tenant = tenant
        self._homes: dict[str, Place] = {}
        self._devices: dict[str, Device] = {}

    def office(self, city: str) -> Place:
        """A host inside the site's trusted office range."""
        site = SITE_BY_CITY[city]
        network = ipaddress.ip_network(OFFICE_RANGES[city][1])
        host = network.network_address + self.tenant.rng.randrange(5, network.num_addresses - 2)
        return Place(str(host), city, STATES[city], site.code, site.latitude, site.longitude)

    def home(self, user: Record) -> Place:
        """The user's home broadband address, in the site's country."""
        if user["id"] not in self._homes:
            site: Site = SITE_BY_CITY[user["city"]]
            rng = self.tenant.rng
            ip = f"{site.home_prefix}.{rng.randrange(1, 254)}.{rng.randrange(2, 254)}"
            self._homes[user["id"]] = Place(
                ip,
                site.city,
                STATES[site.city],
                site.code,
                round(site.latitude + rng.uniform(-0.05, 0.05), 4),
                round(site.longitude + rng.uniform(-0.05, 0.05), 4),
            )
        return self._homes[user["id"]]

    def device(self, user: Record) -> Device:
        """The user's managed work device (phone for floor and field staff)."""
        if user["id"] not in self._devices:
            rng = self.tenant.rng
            tag = f"{user['city'][:3].upper()}{rng.randrange(1000, 9999)}"
            if user.get("department") in MOBILE_DEPARTMENTS:
                device = Device(
                    self.tenant.new_id(),
                    f"VK-AND-{tag}",
                    "Android 14",
                    "Rich Client 5.2405.0",
                    True,
                    True,
                    "Azure AD registered",
                    "android",
                )
            elif user.get("department") == "Finance & Controlling" and rng.random() < 0.5:
                device = Device(
                    self.tenant.new_id(),
                    f"VK-LT-{tag}",
                    "Windows 10",
                    "Edge 130.0.2849",
                    False,
                    True,
                    "Hybrid Azure AD joined",
                    "windows",
                )
            else:
                device = Device(
                    self.tenant.new_id(),
                    f"VK-LT-{tag}",
                    "Windows 11",
                    "Edge 130.0.2849",
                    True,
                    True,
                    "Azure AD joined",
                    "windows",
                )
            self._devices[user["id"]] = device
        return self._devices[user["id"]]


def window_days() -> list[date]:
    """The days the snapshot covers, oldest first."""
    return [(CAPTURED - timedelta(days=n)).date() for n in range(DAYS - 1, -1, -1)]


def build_baseline(env: Env, places: Places, skip: dict[str, set[date]]) -> None:
    """Everyday sign-ins of every enabled member and guest (planted days left out)."""
    tenant = env.tenant
    rng = tenant.rng
    for user in tenant.records("users"):
        if user.get("userType") == "Guest":
            _guest_days(env, user)
            continue
        if not user.get("department") or user["id"] in skip.get("*never*", set()):
            continue
        apps = APPS_BY_DEPARTMENT[user["department"]]
        mobile = user["department"] in MOBILE_DEPARTMENTS
        created = datetime.fromisoformat(user["createdDateTime"].replace("Z", "+00:00"))
        for day in window_days():
            if day in skip.get(user["id"], set()) or day < created.date():
                continue
            weekend = day.weekday() >= 5
            if rng.random() > (0.06 if weekend else 0.78):
                continue
            for _ in range(rng.choice((1, 1, 2))):
                moment = datetime(
                    day.year,
                    day.month,
                    day.day,
                    rng.randrange(6, 16),
                    rng.randrange(60),
                    rng.randrange(60),
                    tzinfo=UTC,
                )
                if moment > CAPTURED:
                    continue
                at_office = not weekend and rng.random() < 0.72
                place = places.office(user["city"]) if at_office else places.home(user)
                client = (
                    "mobileAppsAndDesktopClients" if mobile or rng.random() < 0.3 else "browser"
                )
                app = rng.choice(apps)
                if rng.random() < TYPO_RATE and user["id"] not in skip.get("*quiet*", set()):
                    sign_in(
                        env,
                        user,
                        app,
                        moment - timedelta(seconds=rng.randrange(20, 90)),
                        place,
                        places.device(user),
                        client=client,
                        primary_error=50126,
                    )
                sign_in(env, user, app, moment, place, places.device(user), client=client)


def _guest_days(env: Env, guest: Record) -> None:
    rng = env.tenant.rng
    device = Device("", None, "Windows 10", "Chrome 131.0.0", False, False, None, "windows")
    place = Place(
        f"88.12.{rng.randrange(1, 254)}.{rng.randrange(2, 254)}",
        "Madrid",
        "Comunidad de Madrid",
        "ES",
        40.4168,
        -3.7038,
    )
    for day in window_days()[::4]:
        if rng.random() < 0.5 and day.weekday() < 5:
            moment = datetime(
                day.year, day.month, day.day, rng.randrange(8, 16), rng.randrange(60), tzinfo=UTC
            )
            sign_in(env, guest, "sharepoint", moment, place, device)


def sign_in_activity(tenant: Tenant) -> None:
    """Each user's signInActivity from the recorded sign-ins (planted values kept)."""
    latest: dict[str, Record] = {}
    success: dict[str, Record] = {}
    for record in tenant.records("signIns"):
        uid = record["userId"]
        if uid not in latest or record["createdDateTime"] > latest[uid]["createdDateTime"]:
            latest[uid] = record
        if record["status"]["errorCode"] == 0 and (
            uid not in success or record["createdDateTime"] > success[uid]["createdDateTime"]
        ):
            success[uid] = record
    for user in tenant.records("users"):
        if "signInActivity" in user:
            continue
        last, good = latest.get(user["id"]), success.get(user["id"])
        user["signInActivity"] = {
            "lastSignInDateTime": last["createdDateTime"] if last else None,
            "lastSignInRequestId": last["id"] if last else None,
            "lastNonInteractiveSignInDateTime": None,
            "lastNonInteractiveSignInRequestId": None,
            "lastSuccessfulSignInDateTime": good["createdDateTime"] if good else None,
            "lastSuccessfulSignInRequestId": good["id"] if good else None,
        }
