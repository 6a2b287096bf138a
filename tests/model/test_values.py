"""Unknown properties, evolvable enums, documentation placeholders and Graph timestamps."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from idpilot.model import (
    Collection,
    GraphDateTime,
    NamedLocation,
    RiskLevel,
    RiskState,
    RiskyUser,
    SignIn,
    User,
    is_placeholder,
    parse_record,
)
from tests.model.examples import first_example, reference_examples


def test_unknown_properties_are_kept_in_model_extra() -> None:
    sign_in = SignIn.model_validate(first_example("signIn.beta.list.json"))
    assert sign_in.model_extra is not None
    assert sign_in.model_extra["authenticationDetails"][0]["authenticationMethod"] == "Password"
    assert sign_in.model_extra["autonomousSystemNumber"] == 3598
    audit = parse_record(Collection.directory_audits, first_example("directoryAudit.list.json"))
    # Graph's example spells it "Type": not the declared `type`, so it is kept as it came.
    target = audit.target_resources[0]
    assert target.type is None and target.model_extra == {"Type": "Group"}


def test_known_enum_values_become_members_and_unknown_ones_stay_strings() -> None:
    user = RiskyUser.model_validate({"id": "u1", "riskLevel": "high", "riskState": "brandNewState"})
    assert user.risk_level is RiskLevel.high
    assert user.risk_state == "brandNewState" and not isinstance(user.risk_state, RiskState)
    assert user.model_dump(by_alias=True, exclude_unset=True)["riskState"] == "brandNewState"
    sign_in = SignIn.model_validate({"riskEventTypes_v2": ["passwordSpray", "somethingNew"]})
    assert sign_in.risk_event_types_v2 == ["passwordSpray", "somethingNew"]


def test_an_enum_field_refuses_what_is_not_a_string() -> None:
    with pytest.raises(ValidationError):
        RiskyUser.model_validate({"riskLevel": 3})


def test_the_published_risky_user_placeholders_read_as_none_and_are_remembered() -> None:
    example = first_example("riskyUser.list.json")
    user = RiskyUser.model_validate(example)
    assert user.is_deleted is None and user.is_processing is None
    assert user.risk_last_updated_date_time is None
    # String-typed and enum-typed fields keep the text: it is a valid (if unknown) string.
    assert user.risk_level == "String" and user.user_display_name == "String"
    assert user.placeholders == {
        "isDeleted": "Boolean",
        "isProcessing": "Boolean",
        "riskLastUpdatedDateTime": "String (timestamp)",
    }
    assert user.model_extra == {}
    assert user.model_dump(by_alias=True, exclude_unset=True) == example
    assert user.model_dump(exclude_unset=True)["is_deleted"] == "Boolean"
    assert "is_deleted" not in user.model_dump(exclude_none=True)


def test_placeholders_are_type_names_only() -> None:
    assert is_placeholder("Boolean") and is_placeholder("String (timestamp)")
    assert is_placeholder("Int32")
    assert not is_placeholder("true") and not is_placeholder("2021-01-01T00:00:00Z")
    with pytest.raises(ValidationError):
        User.model_validate({"accountEnabled": "maybe"})
    with pytest.raises(ValidationError):
        User.model_validate({"createdDateTime": "yesterday"})


def test_timestamps_are_aware_and_keep_graphs_seven_digits() -> None:
    audit = parse_record(Collection.directory_audits, first_example("directoryAudit.list.json"))
    when = audit.activity_date_time
    assert isinstance(when, GraphDateTime)
    assert when == datetime(2018, 1, 9, 21, 20, 2, 721537, tzinfo=UTC)
    assert when.text == "2018-01-09T21:20:02.7215374Z"
    naive = SignIn.model_validate({"createdDateTime": "2024-05-01T10:00:00"})
    assert naive.created_date_time == datetime(2024, 5, 1, 10, tzinfo=UTC)


def test_records_can_be_built_by_field_name() -> None:
    user = User(
        display_name="Ada",
        account_enabled=True,
        created_date_time=datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC),
    )
    assert user.model_dump(by_alias=True, exclude_unset=True) == {
        "displayName": "Ada",
        "accountEnabled": True,
        "createdDateTime": "2024-01-02T03:04:05Z",
    }


def test_odata_type_is_kept_and_tells_named_locations_apart() -> None:
    locations = [
        NamedLocation.model_validate(item)
        for file, _, item in reference_examples()
        if file == "namedLocation.list.json"
    ]
    assert [location.is_ip_location for location in locations] == [True, False, True]
    country = locations[1]
    assert country.odata_type == "#microsoft.graph.countryNamedLocation"
    assert country.is_country_location and country.countries_and_regions == ["US", "CA"]
    ip_range = locations[0].ip_ranges[0]
    assert ip_range.odata_type == "#microsoft.graph.iPv4CidrRange"
    assert ip_range.cidr_address == "6.5.4.3/32"
    untyped = NamedLocation.model_validate({"id": "x", "countriesAndRegions": ["FR"]})
    assert untyped.is_country_location and not untyped.is_ip_location
