"""`geo_info_from_ip_address(ip)`: where an address is, as the tenant's own sign-ins place it.

Kusto looks the address up in a GeoIP database; idpilot is offline and has none. What it has is
Entra's own geolocation of every address that signed in: `LocationDetails` of SigninLogs and
AADNonInteractiveUserSignInLogs. The function answers the newest of those for the address, as
Kusto's bag `{country, state, city, latitude, longitude}` (country is the ISO code Entra
records, not Kusto's country name), and an empty bag for an address no sign-in came from.

The addresses and their places are gathered once per query into a map (an uncorrelated scalar
subquery), and the address is looked up in it, so the argument is evaluated in the caller's
scope, never inside the subquery where a column of the same name would capture it.
"""

from __future__ import annotations

from duckdb_kql import ir
from duckdb_kql.translate import _SPECIAL_FORMS, render_expr
from duckdb_kql.translate.functions import SCALAR_FUNCTIONS, FunctionSpec

SIGN_IN_VIEWS = ("SigninLogs", "AADNonInteractiveUserSignInLogs")

_PLACE = (
    "json_object('country', json_extract_string(_location, '$.countryOrRegion'), "
    "'state', json_extract_string(_location, '$.state'), "
    "'city', json_extract_string(_location, '$.city'), "
    "'latitude', json_extract(_location, '$.geoCoordinates.latitude'), "
    "'longitude', json_extract(_location, '$.geoCoordinates.longitude'))"
)


def register() -> None:
    """Add `geo_info_from_ip_address` to duckdb-kql's registry and special forms."""
    SCALAR_FUNCTIONS["geo_info_from_ip_address"] = FunctionSpec(
        "geo_info_from_ip_address", "template", "", (1,), note="special"
    )
    _SPECIAL_FORMS["geo_info_from_ip_address"] = render_geo_info_from_ip_address


def render_geo_info_from_ip_address(node: ir.FunctionCall) -> str:
    """The SQL of `geo_info_from_ip_address(ip)`: a lookup in the map of signed-in places."""
    return (
        f"coalesce(map_extract_value(({_places_map()}), "
        f"CAST({render_expr(node.args[0])} AS VARCHAR)), CAST('{{}}' AS JSON))"
    )


def _places_map() -> str:
    """A scalar subquery: the map of each signed-in address to its newest place."""
    sign_ins = " UNION ALL ".join(
        f'SELECT "IPAddress" AS _ip, CAST("LocationDetails" AS JSON) AS _location, '
        f'"TimeGenerated" AS _at FROM "{view}"'
        for view in SIGN_IN_VIEWS
    )
    return (
        f"SELECT map(list(_ip), list({_PLACE})) FROM (SELECT _ip, arg_max(_location, _at) "
        f"AS _location FROM ({sign_ins}) AS _sign_ins WHERE _ip IS NOT NULL "
        "AND _location IS NOT NULL GROUP BY _ip) AS _places"
    )
