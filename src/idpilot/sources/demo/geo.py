"""Where Contoso works from: offices, egress ranges, home ISPs, and attacker infrastructure."""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Place:
    """A city as sign-in `location` reports it."""

    city: str
    state: str
    country: str  # ISO 3166 alpha-2, as countryOrRegion
    latitude: float
    longitude: float
    utc_offset: int  # hours, standard time; the demo ignores daylight saving

    def location(self) -> dict:
        return {
            "city": self.city,
            "state": self.state,
            "countryOrRegion": self.country,
            "geoCoordinates": {
                "altitude": None,
                "latitude": self.latitude,
                "longitude": self.longitude,
            },
        }


@dataclass(frozen=True)
class Office:
    name: str
    place: Place
    egress: tuple[str, ...]  # /24 prefixes "a.b.c"
    weight: float
    usage_location: str
    country_name: str


SEATTLE = Place("Seattle", "Washington", "US", 47.6062, -122.3321, -8)
OFFICES = (
    Office("Seattle HQ", SEATTLE, ("52.148.12", "52.148.13"), 0.38, "US", "United States"),
    Office(
        "Paris office",
        Place("Paris", "Ile-de-France", "FR", 48.8566, 2.3522, 1),
        ("92.154.66",),
        0.20,
        "FR",
        "France",
    ),
    Office(
        "New York",
        Place("New York", "New York", "US", 40.7128, -74.006, -5),
        ("64.124.9",),
        0.12,
        "US",
        "United States",
    ),
    Office(
        "London",
        Place("London", "England", "GB", 51.5072, -0.1276, 0),
        ("81.134.20",),
        0.10,
        "GB",
        "United Kingdom",
    ),
    Office(
        "Munich",
        Place("Munich", "Bavaria", "DE", 48.1351, 11.582, 1),
        ("195.145.88",),
        0.08,
        "DE",
        "Germany",
    ),
    Office(
        "Bengaluru",
        Place("Bengaluru", "Karnataka", "IN", 12.9716, 77.5946, 5),
        ("115.110.71",),
        0.07,
        "IN",
        "India",
    ),
    Office(
        "Tokyo",
        Place("Tokyo", "Tokyo", "JP", 35.6762, 139.6503, 9),
        ("210.148.40",),
        0.05,
        "JP",
        "Japan",
    ),
)
OFFICE_BY_NAME = {office.name: office for office in OFFICES}

HOME_ISP_PREFIXES = {
    "US": ("73.53", "98.97", "24.16", "67.183"),
    "FR": ("90.45", "86.246", "78.192"),
    "GB": ("86.150", "82.31", "94.2"),
    "DE": ("84.150", "91.64", "79.205"),
    "IN": ("49.207", "106.51"),
    "JP": ("126.76", "60.113"),
    "CA": ("142.114", "174.112"),
}
MOBILE_PREFIXES = {
    "US": ("172.58", "174.204"),
    "FR": ("37.171", "176.134"),
    "GB": ("31.94", "92.40"),
    "DE": ("176.2", "80.187"),
    "IN": ("223.187",),
    "JP": ("110.163",),
}

GUEST_PLACES = {
    "fabrikam.com": Place("Redmond", "Washington", "US", 47.674, -122.1215, -8),
    "northwindtraders.com": Place("Chicago", "Illinois", "US", 41.8781, -87.6298, -6),
    "adatum.com": Place("London", "England", "GB", 51.5072, -0.1276, 0),
    "tailspintoys.com": Place("Toronto", "Ontario", "CA", 43.6532, -79.3832, -5),
}

BLOCKED_COUNTRIES = ("KP", "IR", "RU", "BY", "SY")

# Attacker infrastructure for the planted scenarios (countries outside the blocked list on purpose).
SPRAY_PLACE = Place("Amsterdam", "North Holland", "NL", 52.3676, 4.9041, 1)
SPRAY_IP = "185.220.101.47"
FATIGUE_PLACE = Place("Bucharest", "Bucuresti", "RO", 44.4268, 26.1025, 2)
FATIGUE_IP = "89.38.97.115"
TRAVEL_PLACE = Place("Singapore", "Singapore", "SG", 1.3521, 103.8198, 8)
TRAVEL_IP = "103.252.118.23"
TOR_PLACE = Place("Frankfurt am Main", "Hesse", "DE", 50.1109, 8.6821, 1)
TOR_IP = "185.220.100.252"
LEAK_PLACE = Place("Lagos", "Lagos", "NG", 6.5244, 3.3792, 1)
LEAK_IP = "102.89.34.201"
WORKLOAD_ATTACK_PLACE = Place("Hong Kong", "Hong Kong", "HK", 22.3193, 114.1694, 8)
WORKLOAD_ATTACK_IP = "45.129.14.77"


def host(rng: random.Random, prefix: str) -> str:
    """A host address under a /24 ("a.b.c") or /16 ("a.b") prefix."""
    if prefix.count(".") == 2:
        return f"{prefix}.{rng.randint(2, 250)}"
    return f"{prefix}.{rng.randint(0, 255)}.{rng.randint(2, 250)}"
