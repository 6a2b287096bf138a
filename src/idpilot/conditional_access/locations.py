"""Compiled named locations: does a sign-in's IP or country fall inside one?"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from enum import StrEnum

from idpilot.conditional_access.facts import Facts
from idpilot.conditional_access.named_location import (
    AnyNamedLocation,
    CountryNamedLocation,
    IpNamedLocation,
)
from idpilot.model.enums import CountryLookupMethod

IP_ADDRESS_FACT = "ip_address"
GPS_COUNTRY_FACT = "gpsCountry"
COUNTRY_FACT = "country"


class LocationKind(StrEnum):
    """What a compiled named location matches on."""

    ip = "ip"
    country = "country"
    other = "other"  # a location type we cannot evaluate offline


@dataclass(frozen=True, slots=True)
class CompiledLocation:
    """A named location reduced to integer IP ranges or a set of upper-cased countries."""

    id: str
    display_name: str
    kind: LocationKind
    trusted: bool = False
    ranges: tuple[tuple[int, int, int], ...] = ()  # (ip version, first, last)
    countries: frozenset[str] = frozenset()
    include_unknown_countries: bool = False
    uses_gps: bool = False

    def contains(self, facts: Facts) -> tuple[bool | None, str | None]:
        """Whether the sign-in is inside this location, and the missing fact when undecidable.

        A recorded sign-in without a country counts as an "unknown country/region" (that is
        what the sign-in log shows when the IP cannot be placed); a hypothetical one whose
        country was not stated is undecided; GPS-based country lookup cannot be decided offline.
        """
        if self.kind is LocationKind.ip:
            ip = facts.ip()
            if ip.version is None:
                return None, IP_ADDRESS_FACT
            value = ip.value
            version = ip.version
            for range_version, first, last in self.ranges:
                if range_version == version and first <= value <= last:
                    return True, None
            return False, None
        if self.kind is LocationKind.country:
            if self.uses_gps:
                return None, GPS_COUNTRY_FACT
            country = facts.context.country
            if not country:
                if not facts.context.country_known:
                    return None, COUNTRY_FACT
                return self.include_unknown_countries, None
            return country.upper() in self.countries, None
        return None, f"namedLocation:{self.id}"


def compile_location(location: AnyNamedLocation) -> CompiledLocation:
    """Turn a parsed named location into integer ranges / country sets."""
    name = location.display_name or location.id
    if isinstance(location, IpNamedLocation):
        ranges = []
        for ip_range in location.ip_ranges:
            if not ip_range.cidr_address:
                continue
            network = ipaddress.ip_network(ip_range.cidr_address.strip(), strict=False)
            ranges.append(
                (network.version, int(network.network_address), int(network.broadcast_address))
            )
        return CompiledLocation(
            location.id.lower(),
            name,
            LocationKind.ip,
            bool(location.is_trusted),
            ranges=tuple(ranges),
        )
    if isinstance(location, CountryNamedLocation):
        return CompiledLocation(
            location.id.lower(),
            name,
            LocationKind.country,
            countries=frozenset(c.upper() for c in location.countries_and_regions),
            include_unknown_countries=bool(location.include_unknown_countries_and_regions),
            uses_gps=location.country_lookup_method == CountryLookupMethod.authenticator_app_gps,
        )
    return CompiledLocation(location.id.lower(), name, LocationKind.other)
