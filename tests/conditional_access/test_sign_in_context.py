"""Mapping recorded Graph sign-ins to SignInContext."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from idpilot.conditional_access import ClientAppType, DevicePlatform, RiskLevel
from idpilot.conditional_access.sign_in_context import (
    client_app_of,
    context_from_sign_in,
    platform_of,
)

GRAPH = Path(__file__).parent / "graph"  # verbatim copies of the Graph documentation examples
TRAILING_COMMA = re.compile(r",(\s*[\]}])")


def _v1_sign_in() -> dict[str, Any]:
    text = TRAILING_COMMA.sub(r"\1", (GRAPH / "signIn.list.json").read_text())
    return json.loads(text)["value"][0]


def _beta_sign_in() -> dict[str, Any]:
    return json.loads((GRAPH / "signIn.beta.list.json").read_text())["value"][0]


def test_v1_sign_in() -> None:
    context = context_from_sign_in(_v1_sign_in())
    assert context.user_id == "26be570a-ae82-4189-b4e2-a37c6808512d"
    assert context.app_id == "de8bc8b5-d9f9-48b1-a8ad-b748da725064"
    assert context.ip_address == "131.107.159.37"
    assert context.country == "US"
    assert context.client_app is ClientAppType.browser
    assert context.platform is DevicePlatform.windows
    assert context.sign_in_risk is RiskLevel.none
    assert context.user_risk is None
    assert context.device is not None and context.device.is_compliant is None
    assert context.device.device_id is None  # "" means unknown
    assert context.authentication_flow is None
    assert context.satisfied_controls == set()


def test_beta_sign_in() -> None:
    context = context_from_sign_in(_beta_sign_in())
    assert context.app_id == "c44b4083-3bb0-49c1-b47d-974e53cbdf3c"
    assert context.resource_id == "797f4846-ba00-4fd7-ba43-dac1f8f63013"
    assert context.device is not None
    assert context.device.is_compliant is False
    assert context.device.trust_type is None
    assert context.satisfied_controls == set()  # failed password, single factor


def test_mfa_from_requirement_only_when_succeeded() -> None:
    sign_in = {
        **_beta_sign_in(),
        "authenticationRequirement": "multiFactorAuthentication",
        "status": {"errorCode": 0},
    }
    assert context_from_sign_in(sign_in).satisfied_controls == {"mfa"}
    sign_in["status"] = {"errorCode": 50074}
    assert context_from_sign_in(sign_in).satisfied_controls == set()


def test_mfa_from_authentication_details() -> None:
    sign_in = {
        "userId": "u",
        "status": {"errorCode": 0},
        "authenticationDetails": [
            {"authenticationStepRequirement": "Primary authentication", "succeeded": True},
            {"authenticationStepRequirement": "Multifactor authentication", "succeeded": True},
        ],
    }
    assert context_from_sign_in(sign_in).satisfied_controls == {"mfa"}
    sign_in["mfaDetail"] = {"authMethod": "PhoneAppNotification"}
    sign_in["authenticationDetails"] = []
    assert context_from_sign_in(sign_in).satisfied_controls == {"mfa"}


def test_completed_mfa_counts_even_when_a_later_control_fails_the_sign_in() -> None:
    sign_in = {
        "userId": "u",
        "authenticationRequirement": "multiFactorAuthentication",
        "mfaDetail": {"authMethod": "PhoneAppNotification"},
        "status": {"errorCode": 53000},  # device not compliant, after MFA was done
    }
    assert context_from_sign_in(sign_in).satisfied_controls == {"mfa"}
    for mfa_failure in (500121, 50074, 50158):  # denied, required but not done, failed
        sign_in["status"] = {"errorCode": mfa_failure}
        assert context_from_sign_in(sign_in).satisfied_controls == set()
    del sign_in["mfaDetail"]
    sign_in["status"] = {"errorCode": 53000}  # required MFA, but nothing shows it was done
    assert context_from_sign_in(sign_in).satisfied_controls == set()


def _v1_record(code: int, details: str | None, mfa_method: str | None = None) -> dict[str, Any]:
    """A Graph v1.0 signIn as the disagreeing second-tenant records read: no beta fields."""
    record = _v1_sign_in()
    record["status"] = {"errorCode": code, "failureReason": None, "additionalDetails": details}
    record["mfaDetail"] = {"authMethod": mfa_method, "authDetail": None} if mfa_method else None
    assert "authenticationRequirement" not in record and "authenticationDetails" not in record
    return record


@pytest.mark.parametrize(
    "details",
    [
        "MFA requirement satisfied by claim in the token",
        "MFA completed in Azure AD",
        "MFA successfully completed",
        "mfa requirement satisfied by claim in the token",
    ],
)
def test_v1_result_detail_saying_mfa_was_satisfied_counts_as_mfa(details: str) -> None:
    context = context_from_sign_in(_v1_record(0, details))
    assert context.satisfied_controls == {"mfa"}
    assert context.unknown_controls == set()


@pytest.mark.parametrize(
    "details",
    [None, "MFA denied; user declined the authentication", "Correct password", ""],
)
def test_v1_result_detail_without_mfa_is_not_mfa(details: str | None) -> None:
    assert context_from_sign_in(_v1_record(0, details)).satisfied_controls == set()


def test_v1_mfa_claim_does_not_outweigh_an_mfa_failure_code() -> None:
    record = _v1_record(500121, "MFA requirement satisfied by claim in the token")
    assert context_from_sign_in(record).satisfied_controls == set()


def test_beta_step_result_detail_counts_as_mfa() -> None:
    sign_in = {
        "userId": "u",
        "status": {"errorCode": 0},
        "authenticationDetails": [
            {
                "authenticationMethod": "Previously satisfied",
                "succeeded": True,
                "authenticationStepResultDetail": "MFA requirement satisfied by claim in the token",
                "authenticationStepRequirement": "",
            }
        ],
    }
    assert context_from_sign_in(sign_in).satisfied_controls == {"mfa"}


def test_v1_failure_on_another_control_leaves_mfa_unknown() -> None:
    """53000 after a satisfied MFA claim: v1.0's additionalDetails explains the device."""
    context = context_from_sign_in(_v1_record(53000, None))
    assert context.satisfied_controls == set()
    assert context.unknown_controls == {"mfa"}
    context = context_from_sign_in(_v1_record(53003, "Access has been blocked."))
    assert context.unknown_controls == {"mfa"}
    shown = context_from_sign_in(_v1_record(53000, None, mfa_method="PhoneAppNotification"))
    assert (shown.satisfied_controls, shown.unknown_controls) == ({"mfa"}, set())


@pytest.mark.parametrize("code", [0, 500121, 50074, 50126, 50053])
def test_v1_success_or_mfa_or_password_failure_tells_mfa(code: int) -> None:
    assert context_from_sign_in(_v1_record(code, None)).unknown_controls == set()


def test_beta_failure_listing_its_steps_tells_mfa() -> None:
    sign_in = {
        "userId": "u",
        "status": {"errorCode": 53000},
        "authenticationDetails": [
            {"authenticationStepRequirement": "Primary authentication", "succeeded": True}
        ],
    }
    context = context_from_sign_in(sign_in)
    assert (context.satisfied_controls, context.unknown_controls) == (set(), set())


def test_flows_risk_and_auth_context() -> None:
    sign_in = {
        "userId": "u",
        "authenticationProtocol": "deviceCode",
        "riskLevelDuringSignIn": "hidden",
        "userRiskLevel": "high",
        "authenticationContextClassReferences": [
            {"id": "c2", "detail": "previouslySatisfied"},
            {"id": "c1", "detail": "required"},
        ],
    }
    context = context_from_sign_in(sign_in)
    assert context.authentication_flow == "deviceCodeFlow"
    assert context.sign_in_risk is None
    assert context.user_risk is RiskLevel.high
    assert context.authentication_context == "c1"
    assert context.device is None
    sign_in["originalTransferMethod"] = "authenticationTransfer"
    assert context_from_sign_in(sign_in).authentication_flow == "authenticationTransfer"


@pytest.mark.parametrize(
    ("used", "expected"),
    [
        ("Browser", ClientAppType.browser),
        ("Mobile Apps and Desktop clients", ClientAppType.mobile_apps_and_desktop_clients),
        ("Exchange ActiveSync", ClientAppType.exchange_active_sync),
        ("IMAP4", ClientAppType.other),
        ("POP3", ClientAppType.other),
        ("Authenticated SMTP", ClientAppType.other),
        ("MAPI Over HTTP", ClientAppType.other),
        ("Exchange Web Services", ClientAppType.other),
        ("Other clients", ClientAppType.other),
        ("Exchange Online PowerShell", ClientAppType.other),
        ("AutoDiscover", ClientAppType.other),
        ("Offline Address Book", ClientAppType.other),
        ("Outlook Anywhere (RPC over HTTP)", ClientAppType.other),
        ("Reporting Web Services", ClientAppType.other),
        ("Something new", None),
        (None, None),
    ],
)
def test_client_app_mapping(used: str | None, expected: ClientAppType | None) -> None:
    assert client_app_of(used) is expected


@pytest.mark.parametrize(
    ("os", "expected"),
    [
        ("Windows 10", DevicePlatform.windows),
        ("Windows 11", DevicePlatform.windows),
        ("Windows", DevicePlatform.windows),
        ("Windows Phone", DevicePlatform.windows_phone),
        ("iOS 17.2", DevicePlatform.ios),
        ("Android", DevicePlatform.android),
        ("MacOs", DevicePlatform.macos),
        ("macOS", DevicePlatform.macos),
        ("Linux", DevicePlatform.linux),
        ("Ubuntu", DevicePlatform.linux),
        ("ChromeOS", None),
        ("", None),
    ],
)
def test_platform_mapping(os: str, expected: DevicePlatform | None) -> None:
    assert platform_of(os) is expected
