"""Device filter rule parsing and three-valued evaluation."""

from __future__ import annotations

import pytest

from idpilot.conditional_access.context import DeviceState
from idpilot.conditional_access.device_filter import (
    And,
    Comparison,
    DeviceFilterSyntaxError,
    FilterOperator,
    Or,
    device_facts,
    evaluate_device_filter,
    parse_device_filter,
)

EXAMPLE = (
    'device.trustType -eq "ServerAD" -and '
    '(device.isCompliant -eq True -or device.extensionAttribute1 -startsWith "x")'
)


def test_parses_precedence_and_parentheses() -> None:
    node = parse_device_filter(EXAMPLE)
    assert isinstance(node, And)
    assert isinstance(node.right, Or)
    assert node.left == Comparison("trusttype", FilterOperator.eq, "ServerAD")
    assert node.right.left == Comparison("iscompliant", FilterOperator.eq, True)


def test_and_binds_tighter_than_or() -> None:
    node = parse_device_filter(
        'device.model -eq "a" -or device.model -eq "b" -and device.model -eq "c"'
    )
    assert isinstance(node, Or)
    assert isinstance(node.right, And)


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        ({"trusttype": "ServerAd", "iscompliant": True}, True),
        ({"trusttype": "serverad", "iscompliant": False, "extensionattribute1": "xyz"}, True),
        ({"trusttype": "AzureAd", "iscompliant": True}, False),
        ({"trusttype": "ServerAd", "iscompliant": False}, None),
        ({"iscompliant": True}, None),
        ({}, None),
    ],
)
def test_kleene_evaluation(facts: dict, expected: bool | None) -> None:
    assert evaluate_device_filter(parse_device_filter(EXAMPLE), facts) is expected


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ('device.model -eq "Surface"', True),
        ('device.model -ne "Surface"', False),
        ('device.model -in ["iPhone", "surface"]', True),
        ('device.model -notIn ["iPhone"]', True),
        ('device.model -startsWith "sur"', True),
        ('device.model -notStartsWith "sur"', False),
        ('device.model -endsWith "FACE"', True),
        ('device.model -notEndsWith "x"', True),
        ('device.model -contains "rfa"', True),
        ('device.model -notContains "rfa"', False),
        ('device.systemLabels -contains "AzureResource"', True),
        ("device.model -in []", False),
        ("device.isCompliant -ne False", True),
    ],
)
def test_each_operator(rule: str, expected: bool) -> None:
    facts = {"model": "Surface", "systemlabels": ["AzureResource"], "iscompliant": True}
    assert evaluate_device_filter(parse_device_filter(rule), facts) is expected


@pytest.mark.parametrize(
    ("rule", "position", "message"),
    [
        ('device.foo -eq "a"', 0, "unknown device property"),
        ('model -eq "a"', 0, "device.<property>"),
        ("device.model -eq", 16, "end of rule"),
        ('device.model -like "a"', 13, "operator"),
        ('device.model -in ["a" "b"]', 22, "',' or ']'"),
        ('device.model -in "a"', 17, "'['"),
        ('(device.model -eq "a"', 21, "')'"),
        ("device.model -startsWith True", 25, "needs a string"),
        ('device.model -eq "a', 17, "unterminated"),
        ('device.model -eq "a" device.model', 21, "unexpected"),
        ('device.model -eq "a" -and', 25, "end of rule"),
    ],
)
def test_malformed_rules_say_where(rule: str, position: int, message: str) -> None:
    with pytest.raises(DeviceFilterSyntaxError) as error:
        parse_device_filter(rule)
    assert error.value.position == position
    assert message in str(error.value)
    assert f"position {position}" in str(error.value)


def test_device_facts_normalise_trust_type_and_extension_attributes() -> None:
    device = DeviceState(
        trust_type="Hybrid Azure AD joined",
        is_compliant=False,
        extension_attributes={"extensionAttribute3": "a", "5": "b"},
    )
    facts = device_facts(device)
    assert facts["trusttype"] == "ServerAd"
    assert facts["extensionattribute3"] == "a"
    assert facts["extensionattribute5"] == "b"
    assert facts["iscompliant"] is False
    assert device_facts(None) == {}
