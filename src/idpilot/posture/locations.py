"""Named location checks: trusted ranges that are far too broad."""

from __future__ import annotations

import ipaddress

from idpilot.model.records import Record
from idpilot.posture.base import Baseline, Outcome, check, failed_if, not_applicable
from idpilot.posture.data import PostureData
from idpilot.security.severity import Severity

MIN_TRUSTED_IPV4_PREFIX = 16
"""A trusted IPv4 range wider than /16 (65,536 addresses) covers far more than one network:
a /8 trusts a sixteenth of a percent of the Internet."""

MIN_TRUSTED_IPV6_PREFIX = 48
"""A trusted IPv6 range wider than /48 is more than one site's allocation."""


@check(
    "IDP-LOC-001",
    "Trusted named locations are narrow",
    Severity.high,
    Baseline.microsoft,
    "Named locations: mark only your own egress ranges as trusted",
    "Replace the broad range with the organisation's exact egress ranges, or untick "
    "'Mark as trusted location'.",
)
def broad_trusted_locations(data: PostureData) -> Outcome:
    trusted = [loc for loc in data.named_locations if loc["isTrusted"]]
    if not trusted:
        return not_applicable("no trusted named location")
    affected = []
    for loc in trusted:
        wide = []
        for item in loc["ipRanges"]:
            cidr = item.get("cidrAddress") if isinstance(item, dict) else None
            try:
                network = ipaddress.ip_network(str(cidr), strict=False)
            except ValueError:
                continue
            limit = MIN_TRUSTED_IPV4_PREFIX if network.version == 4 else MIN_TRUSTED_IPV6_PREFIX
            if network.prefixlen < limit:
                wide.append(str(network))
        if wide:
            affected.append(
                Record(
                    kind="namedLocation",
                    id=loc["id"],
                    label=loc["displayName"] or loc["id"],
                    detail="trusts " + ", ".join(wide),
                    fields={"displayName": loc["displayName"], "cidrs": wide},
                )
            )
    return failed_if(affected)
