"""Parsing Graph conditionalAccessPolicy and named location JSON."""

from __future__ import annotations

import json
from pathlib import Path

from idpilot.conditional_access.catalog import BuiltInControl
from idpilot.conditional_access.named_location import (
    CountryNamedLocation,
    IpNamedLocation,
    NamedLocation,
    parse_named_location,
)
from idpilot.conditional_access.policy import (
    ClientAppTarget,
    PlatformTarget,
    PolicyState,
    parse_policy,
)

GRAPH = Path(__file__).parent / "graph"  # verbatim copies of the Graph documentation examples


def test_reference_policy_parses() -> None:
    policy = parse_policy(json.loads((GRAPH / "conditionalAccessPolicy.get.json").read_text()))
    assert policy.state is PolicyState.disabled
    conditions = policy.conditions
    assert conditions is not None and conditions.platforms is not None
    assert conditions.platforms.exclude_platforms == [
        PlatformTarget.ios,
        PlatformTarget.windows_phone,
    ]
    assert ClientAppTarget.other in conditions.client_app_types
    assert policy.grant_controls is not None
    assert BuiltInControl.compliant_device in policy.grant_controls.built_in_controls
    assert policy.session_controls is not None
    assert policy.session_controls.sign_in_frequency is not None
    assert policy.session_controls.sign_in_frequency.model_extra == {"value": 4, "type": "hours"}


def test_unknown_values_and_nulls_are_tolerated() -> None:
    policy = parse_policy(
        {
            "id": "x",
            "state": "somethingNew",
            "futureProperty": {"a": 1},
            "conditions": {
                "users": None,
                "clientAppTypes": ["browser", "holographic"],
                "signInRiskLevels": None,
                "insiderRiskLevels": "elevated",
                "authenticationFlows": {"transferMethods": "deviceCodeFlow,newMethod"},
            },
            "grantControls": {"operator": None, "builtInControls": None, "termsOfUse": None},
        }
    )
    assert policy.state == "somethingNew"
    assert policy.model_extra == {"futureProperty": {"a": 1}}
    assert policy.conditions is not None
    assert policy.conditions.client_app_types == [ClientAppTarget.browser, "holographic"]
    assert policy.conditions.sign_in_risk_levels == []
    assert policy.conditions.model_extra == {"insiderRiskLevels": "elevated"}
    assert policy.conditions.authentication_flows is not None
    assert policy.conditions.authentication_flows.transfer_methods == [
        "deviceCodeFlow",
        "newMethod",
    ]
    assert policy.grant_controls is not None and policy.grant_controls.built_in_controls == []
    dumped = policy.model_dump(by_alias=True)
    assert dumped["conditions"]["clientAppTypes"] == ["browser", "holographic"]


def test_named_locations_by_odata_type() -> None:
    listed = json.loads((GRAPH / "namedLocation.list.json").read_text())["value"]
    parsed = [parse_named_location(item) for item in listed]
    assert [type(p) for p in parsed] == [IpNamedLocation, CountryNamedLocation, IpNamedLocation]
    assert parsed[2].is_trusted is True
    assert parsed[1].countries_and_regions == ["US", "CA"]
    other = parse_named_location(
        {"@odata.type": "#microsoft.graph.compliantNetworkNamedLocation", "id": "n"}
    )
    assert type(other) is NamedLocation
