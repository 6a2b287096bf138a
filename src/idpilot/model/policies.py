"""Conditional Access policies and named locations, as records.

`conditions`, `grantControls` and `sessionControls` stay plain JSON objects here: the Conditional
Access engine parses them itself (`idpilot.conditional_access.parse_policy(record.model_dump(
by_alias=True, exclude_unset=True))`), and `idpilot.model` sits below it, so it does not import it.
"""

from __future__ import annotations

from typing import Any

from idpilot.model.base import GraphEntity, GraphRecord
from idpilot.model.enums import ConditionalAccessPolicyState, CountryLookupMethod
from idpilot.model.values import Bool, Open, Timestamp

IP_NAMED_LOCATION = "#microsoft.graph.ipNamedLocation"
COUNTRY_NAMED_LOCATION = "#microsoft.graph.countryNamedLocation"


class ConditionalAccessPolicy(GraphEntity):
    """Graph `conditionalAccessPolicy`."""

    display_name: str | None = None
    description: str | None = None
    state: Open[ConditionalAccessPolicyState] | None = None
    template_id: str | None = None
    created_date_time: Timestamp = None
    modified_date_time: Timestamp = None
    conditions: dict[str, Any] | None = None
    grant_controls: dict[str, Any] | None = None
    session_controls: dict[str, Any] | None = None


class IpRange(GraphRecord):
    """`ipRange`: an `iPv4CidrRange` or `iPv6CidrRange`."""

    cidr_address: str | None = None


class NamedLocation(GraphEntity):
    """Graph `namedLocation`: IP ranges or countries, told apart by `@odata.type`.

    One model for both kinds (the properties of the other kind stay None) keeps a collection one
    record type; `is_ip_location` / `is_country_location` say which it is.
    """

    display_name: str | None = None
    created_date_time: Timestamp = None
    modified_date_time: Timestamp = None
    # ipNamedLocation
    is_trusted: Bool = None
    ip_ranges: list[IpRange] | None = None
    # countryNamedLocation
    countries_and_regions: list[str] | None = None
    include_unknown_countries_and_regions: Bool = None
    country_lookup_method: Open[CountryLookupMethod] | None = None

    @property
    def is_ip_location(self) -> bool:
        """An `ipNamedLocation` (by type, or by its IP ranges when the type is missing)."""
        if self.odata_type is not None:
            return self.odata_type == IP_NAMED_LOCATION
        return self.ip_ranges is not None

    @property
    def is_country_location(self) -> bool:
        """A `countryNamedLocation` (by type, or by its countries when the type is missing)."""
        if self.odata_type is not None:
            return self.odata_type == COUNTRY_NAMED_LOCATION
        return self.countries_and_regions is not None
