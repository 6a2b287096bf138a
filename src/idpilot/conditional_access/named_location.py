"""Pydantic models of Graph named locations (IP ranges and countries)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import Field

from idpilot.conditional_access._graph_model import GraphModel, StrList, open_enum
from idpilot.model.enums import CountryLookupMethod

IP_NAMED_LOCATION_TYPE = "#microsoft.graph.ipNamedLocation"
COUNTRY_NAMED_LOCATION_TYPE = "#microsoft.graph.countryNamedLocation"
ODATA_TYPE = "@odata.type"


class IpRange(GraphModel):
    """`ipRange` (iPv4CidrRange or iPv6CidrRange)."""

    odata_type: str | None = Field(default=None, alias=ODATA_TYPE)
    cidr_address: str | None = None


class NamedLocation(GraphModel):
    """Graph `namedLocation` of a type we do not evaluate."""

    odata_type: str | None = Field(default=None, alias=ODATA_TYPE)
    id: str
    display_name: str | None = None
    created_date_time: str | None = None
    modified_date_time: str | None = None


class IpNamedLocation(NamedLocation):
    """`#microsoft.graph.ipNamedLocation`."""

    is_trusted: bool | None = None
    ip_ranges: list[IpRange] = Field(default_factory=list)


class CountryNamedLocation(NamedLocation):
    """`#microsoft.graph.countryNamedLocation`."""

    countries_and_regions: StrList = Field(default_factory=list)
    include_unknown_countries_and_regions: bool | None = None
    country_lookup_method: open_enum(CountryLookupMethod) = None


AnyNamedLocation = IpNamedLocation | CountryNamedLocation | NamedLocation


def parse_named_location(data: Mapping[str, Any]) -> AnyNamedLocation:
    """Parse one Graph named location, choosing the model by `@odata.type`."""
    odata_type = data.get(ODATA_TYPE)
    raw = dict(data)
    if raw.get("ipRanges", []) is None:
        raw["ipRanges"] = []
    if odata_type == IP_NAMED_LOCATION_TYPE or (odata_type is None and "ipRanges" in data):
        return IpNamedLocation.model_validate(raw)
    if odata_type == COUNTRY_NAMED_LOCATION_TYPE or (
        odata_type is None and "countriesAndRegions" in data
    ):
        return CountryNamedLocation.model_validate(raw)
    return NamedLocation.model_validate(raw)
