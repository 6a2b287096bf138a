"""Where a hypothetical sign-in comes from, in the terms Conditional Access evaluates.

A what-if that names an address or an office but no country leaves country locations
undecided, unless the tenant's own sign-ins tell: the country they record for that address,
or for the addresses of that named location, most often.
"""

from __future__ import annotations

import ipaddress
from collections import Counter

from idpilot.conditional_access.locations import CompiledLocation
from idpilot.store import Store
from idpilot.store.directory import sign_in_address_countries


def recorded_country(
    store: Store, address: str, location: CompiledLocation | None = None
) -> str | None:
    """The country the tenant's sign-ins record most often for `address`, or, given the
    named location it was taken from, for any address inside that location; None if none."""
    counts: Counter[str] = Counter()
    for row in sign_in_address_countries(store):
        if row["ipAddress"] == address or (
            location is not None and _inside(row["ipAddress"], location)
        ):
            counts[row["country"]] += row["n"]
    if not counts:
        return None
    return min(counts, key=lambda code: (-counts[code], code))


def _inside(address: str, location: CompiledLocation) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    value = int(ip)
    return any(
        version == ip.version and first <= value <= last for version, first, last in location.ranges
    )
