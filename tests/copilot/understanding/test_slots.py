"""Typed slots: each parser, table-driven, and the whole prompt read once."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from idpilot.copilot.understanding.slots import DeviceState, PromptSlots, extract_slots

ANCHOR = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)  # a Friday
CITIES = [
    "Paris", "Lyon", "München", "São Paulo", "New York", "Reading", "Sydney", "Singapore", "Łódź",
    "Tromsø",
]  # fmt: skip


def _slots(prompt: str) -> PromptSlots:
    return extract_slots(prompt, ANCHOR, CITIES)


@pytest.mark.parametrize(
    ("prompt", "countries"),
    [
        ("sign-ins from France", ["FR"]),
        ("failures from france yesterday", ["FR"]),
        ("German IPs", ["DE"]),
        ("any Russian or Chinese sign-ins?", ["RU", "CN"]),
        ("Nigerian logins", ["NG"]),
        ("from the UK", ["GB"]),
        ("users in the States", ["US"]),
        ("from Holland", ["NL"]),
        ("Anmeldungen aus Deutschland", ["DE"]),
        ("from FR and DE", ["FR", "DE"]),
        ("country IT", ["IT"]),
        ("from FR, IT and ES", ["FR", "IT", "ES"]),
        ("US users", ["US"]),
        ("from the US", ["US"]),
        ("from U.S.", ["US"]),
        ("sign-ins from Jordan", ["JO"]),
        ("Jordan IPs", ["JO"]),
        ("sign-ins from turkey", ["TR"]),
        ("Polish users", ["PL"]),
        ("from Côte d'Ivoire", ["CI"]),
        ("Bob is on a work trip in India and can't get into Outlook", ["IN"]),
        ("simulate: bob, android phone, chrome, Nigeria, Salesforce", ["NG"]),
        ("from France, France and France", ["FR"]),
        ("sign-ins from Germnay and Frnace", ["DE", "FR"]),
        ("from Swizterland", ["CH"]),
        ("Germnay IPs", []),
        ("users in Finance", []),
        ("from the portal", []),
        # not countries
        ("tell us about bob", []),
        ("let us know", []),
        ("LET US KNOW WHY BOB CANNOT SIGN IN", []),
        ("users in IT", []),
        ("why can't bob access it", []),
        ("gaps in CA policies", []),
        ("is bob in AD?", []),
        ("HR staff with no MFA", []),
        ("NO sign-ins at all?", []),
        ("Jordan Smith can't sign in", []),
        ("Jordan's sign-ins", []),
        ("India Patel is locked out", []),
        ("we had turkey for lunch", []),
        ("polish the report", []),
        ("in fr", []),
        ("the 'Block access from Russia' policy", []),
        ('policy "Block Russia" hit anyone?', []),
        ("Chad signed in from home", []),
        ("sign-ins from New Mexico and New England", []),
        ("from New Zealand", ["NZ"]),
        ("from Papua New Guinea", ["PG"]),
    ],
)
def test_countries(prompt: str, countries: list[str]) -> None:
    assert _slots(prompt).countries == countries


@pytest.mark.parametrize(
    ("prompt", "unparsed"),
    [
        ("sign-ins from outside the UK", ["outside the UK"]),
        ("sign-ins from outside the EU", ["outside the EU"]),
        ("non-US sign-ins", ["non-US"]),
        ("logins not from France", ["not from France"]),
        ("from anywhere other than France and Germany", ["other than France and Germany"]),
        ("sign-ins from Europe", ["Europe"]),
        ("anyone signing in from abroad?", ["abroad"]),
        ("sign-ins from untrusted countries", ["untrusted countries"]),
        ("on non-Windows devices", ["non-Windows"]),
        ("anyone not on iOS", ["not on iOS"]),
        ("users who are not risky", ["not risky"]),
        ("anything odd over the holidays?", ["over the holidays"]),
        ("sign-ins from 999.1.1.1", ["999.1.1.1"]),
        ("range 10.0.0.0/33", ["10.0.0.0/33"]),
    ],
)
def test_conditions_that_cannot_be_applied_are_named(prompt: str, unparsed: list[str]) -> None:
    slots = _slots(prompt)
    assert slots.unparsed_conditions == unparsed
    assert slots.countries == [] and slots.platforms == []


@pytest.mark.parametrize(
    ("prompt", "cities"),
    [
        ("from a hotel in Paris", ["Paris"]),
        ("sign-ins in paris", ["Paris"]),
        ("logins from munchen and Lyon", ["München", "Lyon"]),
        ("from Sao Paulo", ["São Paulo"]),
        ("New York sign-ins", ["New York"]),
        ("Reading office", ["Reading"]),
        ("staff based in Lyon", ["Lyon"]),
        ("from Singapore", ["Singapore"]),
        ("from Muenchen", ["München"]),
        ("logins from Lodz and Tromso", ["Łódź", "Tromsø"]),
        ("bob is reading the logs", []),
        ("Sydney Jones failed to sign in", []),
        ("why did Sydney fail?", []),
        ("Paris's sign-ins", []),
        ("from Springfield", []),
    ],
)
def test_cities_as_the_tenant_spells_them(prompt: str, cities: list[str]) -> None:
    assert _slots(prompt).cities == cities


def test_a_city_said_by_its_english_name_is_the_tenants_spelling() -> None:
    own = ("München", "București", "Kraków")
    assert extract_slots("failed sign-ins in Munich today", ANCHOR, own).cities == ["München"]
    assert extract_slots("users based in Bucharest", ANCHOR, own).cities == ["București"]
    assert extract_slots("sign-ins from Krakow", ANCHOR, own).cities == ["Kraków"]
    # Only the tenant's own cities: an English name of another city is not read as one.
    assert extract_slots("sign-ins from Vienna", ANCHOR, own).cities == []


def test_no_known_cities_means_no_cities() -> None:
    assert extract_slots("from a hotel in Paris", ANCHOR).cities == []


@pytest.mark.parametrize(
    ("prompt", "platforms"),
    [
        ("with a compliant windows laptop", ["windows"]),
        ("on her iPhone", ["iOS"]),
        ("from an iPad", ["iOS"]),
        ("on her personal Mac", ["macOS"]),
        ("a MacBook Pro", ["macOS"]),
        ("from macOS", ["macOS"]),
        ("android phone", ["android"]),
        ("Ubuntu workstation", ["linux"]),
        ("Windows Phone", ["windowsPhone"]),
        ("iOS and Android devices", ["iOS", "android"]),
        ("the MAC address of the device", []),
        ("why did bob fail", []),
    ],
)
def test_platforms(prompt: str, platforms: list[str]) -> None:
    assert _slots(prompt).platforms == platforms


@pytest.mark.parametrize(
    ("prompt", "client_apps"),
    [
        ("who is still using legacy auth?", ["other"]),
        ("IMAP from 203.0.113.5", ["other"]),
        ("POP and SMTP", ["other"]),
        ("basic authentication", ["other"]),
        ("the app popped up an error", []),
        ("Outlook desktop", ["mobileAppsAndDesktopClients"]),
        ("the Teams app", ["mobileAppsAndDesktopClients"]),
        ("in the browser", ["browser"]),
        ("through OWA", ["browser"]),
        ("Outlook on the web", ["browser"]),
        ("android phone, chrome", ["browser"]),
        ("ActiveSync on her Android", ["exchangeActiveSync"]),
        ("the Authenticator app", []),
        ("a web API permission", []),
    ],
)
def test_client_apps(prompt: str, client_apps: list[str]) -> None:
    assert _slots(prompt).client_apps == client_apps


@pytest.mark.parametrize(
    ("prompt", "device"),
    [
        ("compliant laptop", {"compliant": True, "operating_system_words": ["laptop"]}),
        ("non-compliant devices", {"compliant": False}),
        ("Any of them non-compliant?", {"compliant": False}),
        ("Bob’s laptop isn't compliant",
         {"compliant": False, "operating_system_words": ["laptop"]}),
        ("an unmanaged Windows laptop",
         {"compliant": False, "managed": False, "operating_system_words": ["laptop"]}),
        ("her personal phone", {"compliant": False, "managed": False,
                                "operating_system_words": ["phone"]}),
        ("BYOD", {"compliant": False, "managed": False}),
        ("without the company laptop", {"compliant": False, "managed": False,
                                        "operating_system_words": ["laptop"]}),
        ("a corporate laptop", {"managed": True, "operating_system_words": ["laptop"]}),
        ("Intune-managed devices", {"managed": True}),
        ("is her laptop managed?", {"managed": True, "operating_system_words": ["laptop"]}),
        ("her laptop isn't managed", {"managed": False, "compliant": False,
                                      "operating_system_words": ["laptop"]}),
        ("Intune devices", {"managed": True}),
        ("How do I package a Win32 app for Intune?", None),
        ("hybrid joined devices", {"joined": "Hybrid"}),
        ("hybrid Azure AD joined PCs", {"joined": "Hybrid", "operating_system_words": ["pc"]}),
        ("Entra joined laptops", {"joined": "AzureAD", "operating_system_words": ["laptop"]}),
        ("Azure AD registered personal iPhones",
         {"joined": "Workplace", "compliant": False, "managed": False}),
        ("workplace joined", {"joined": "Workplace"}),
        ("Outlook desktop", None),
        ("the managed identity of the app", None),
        ("who is bob", None),
        ("gets 'your device needs to be managed'", None),
    ],
)  # fmt: skip
def test_device_state(prompt: str, device: dict[str, Any] | None) -> None:
    expected = DeviceState(**device) if device is not None else None
    assert _slots(prompt).device == expected


@pytest.mark.parametrize(
    ("prompt", "levels"),
    [
        ("high risk users", ["high"]),
        ("high-risk sign-ins", ["high"]),
        ("a high sign-in risk", ["high"]),
        ("Why is bob flagged as high risk?", ["high"]),
        ("users at medium risk", ["medium"]),
        ("medium or high risk", ["medium", "high"]),
        ("risk medium or above", ["medium", "high"]),
        ("medium and above", ["medium", "high"]),
        ("at least low", ["low", "medium", "high"]),
        ("risk level is low", ["low"]),
        ("highly risky sign-ins", ["high"]),
        ("risky users?", ["low", "medium", "high"]),
        ("users at risk", ["low", "medium", "high"]),
        ("not risky", []),
        ("high privileges", []),
        ("who is bob", []),
    ],
)
def test_risk_levels(prompt: str, levels: list[str]) -> None:
    assert _slots(prompt).risk_levels == levels


@pytest.mark.parametrize(
    ("prompt", "ips", "ranges"),
    [
        ("sign-ins from 203.0.113.5", ["203.0.113.5"], []),
        ("from 203.0.113.5, then 198.51.100.7.", ["203.0.113.5", "198.51.100.7"], []),
        ("is 2001:db8::1 trusted", ["2001:db8::1"], []),
        ("10.1.0.0/16", [], ["10.1.0.0/16"]),
        ("10.1.2.3/16", [], ["10.1.0.0/16"]),
        ("203.0.113.*", [], ["203.0.113.0/24"]),
        ("10.1.*.*", [], ["10.1.0.0/16"]),
        ("10.0.0.0-10.0.0.255", [], ["10.0.0.0/24"]),
        ("10.0.0.0-127", [], ["10.0.0.0/25"]),
        ("2001:db8::/32", [], ["2001:db8::/32"]),
        ("at 10:30:00", [], []),
        ("Windows build 10.0.19045.3803", [], []),
    ],
)
def test_ips_and_ranges(prompt: str, ips: list[str], ranges: list[str]) -> None:
    slots = _slots(prompt)
    assert (slots.ips, slots.ip_ranges) == (ips, ranges)


@pytest.mark.parametrize(
    ("prompt", "codes"),
    [
        ("AADSTS50126", [50126]),
        ("aadsts50126", [50126]),
        ("the error says AADSTS700016.", [700016]),
        ("error 53003", [53003]),
        ("errors 50126 and 50053", [50126, 50053]),
        ("what does 50126 mean", [50126]),
        ("code: 50076", [50076]),
        ("'AADSTS50053: account is locked'", [50053]),
        ("top 10000 users", []),
        ("more than 50000 sign-ins", []),
        ("employee 123456", []),
        ("on 2026-11-09", []),
    ],
)
def test_error_codes(prompt: str, codes: list[int]) -> None:
    assert _slots(prompt).error_codes == codes


@pytest.mark.parametrize(
    ("prompt", "number", "days"),
    [
        ("top 5 users", 5, None),
        ("Top 10 error codes over the past week", 10, None),
        ("more than 10 failures", 10, None),
        ("at least three attempts", 3, None),
        ("5 or more failures", 5, None),
        ("users in 3 countries", 3, None),
        ("Do we have more than five global admins?", 5, None),
        ("who are the top five?", 5, None),
        ("failed five times", None, None),
        ("was the last one blocked?", None, None),
        ("more than one country", 1, None),
        ("Windows 10 devices", None, None),
        ("Microsoft 365 users", None, None),
        ("in the last 7 days", None, None),
        ("around 3pm on the 13th", None, None),
        ("error 50126", None, None),
        ("from 10.1.2.3", None, None),
        ("no sign-in for 90 days", None, 90),
        ("inactive 60+ days", None, 60),
        ("users who haven't logged in for 30 days", None, 30),
        ("haven't signed in in the last 3 months", None, 90),
        ("stale for 2 weeks", None, 14),
        ("secrets that expire in the next 30 days", None, 30),
        ("been off for a month", None, None),
        ("top 5 users inactive for 90 days", 5, 90),
    ],
)
def test_number_and_days(prompt: str, number: int | None, days: int | None) -> None:
    slots = _slots(prompt)
    assert (slots.number, slots.days) == (number, days)


@pytest.mark.parametrize(
    ("prompt", "question"),
    [
        ("How many sign-ins failed yesterday?", "count"),
        ("Disabled users that still have licences assigned: how many and who?", "count"),
        ("What percentage of users have registered MFA?", "count"),
        ("Is bob an admin?", "yes_no"),
        ("Do we have more than five global admins?", "yes_no"),
        ("Any unlicensed users at all?", "yes_no"),
        ("Would bob@contoso.com need MFA from 203.0.113.5?", "yes_no"),
        ("Which groups have no owners?", "list"),
        ("Who are the Global Administrators?", "list"),
        ("list empty groups", "list"),
        ("What roles does bob@contoso.com have?", "list"),
        ("What did Adele do yesterday?", "list"),
        ("If we switch the report-only policies on, who gets blocked?", "list"),
        ("risky users?", "list"),
        ("Why was bob's sign-in blocked this morning?", "explain"),
        ("What does AADSTS50126 mean?", "explain"),
        ("Tons of failed sign-ins from 203.0.113.5, what's going on?", "explain"),
        ("Dana says the app wouldn't let her in on Tuesday", "explain"),
        ("Quick rundown of Finance please: owners, member count, role-assignable?", "other"),
        ("Draft a leaver workflow.", "other"),
        ("", "other"),
    ],
)
def test_question_form(prompt: str, question: str) -> None:
    assert _slots(prompt).question == question


def test_the_contract_the_planner_relies_on() -> None:
    assert set(PromptSlots.model_fields) == {
        "window", "countries", "cities", "places_said", "platforms", "client_apps", "device",
        "risk_levels",
        "ips", "ip_ranges", "error_codes", "number", "days", "question", "unparsed_conditions",
    }  # fmt: skip
    assert set(DeviceState.model_fields) == {
        "compliant",
        "joined",
        "managed",
        "operating_system_words",
    }
    empty = extract_slots("who is bob?", ANCHOR)
    assert empty.window is None and empty.device is None and empty.unparsed_conditions == []


def test_window_comes_from_time_phrases() -> None:
    window = _slots("why did she fail on Tuesday morning").window
    assert window is not None
    assert (window.start, window.end) == (
        datetime(2026, 11, 17, 6, 0, tzinfo=UTC),
        datetime(2026, 11, 17, 12, 0, tzinfo=UTC),
    )


def test_whole_prompt() -> None:
    slots = _slots(
        "How many users with a compliant windows laptop signed in from German IPs via "
        "legacy auth with high risk in the last 48h?"
    )
    assert slots.question == "count"
    assert slots.platforms == ["windows"]
    assert slots.device == DeviceState(compliant=True, operating_system_words=["laptop"])
    assert slots.countries == ["DE"]
    assert slots.client_apps == ["other"]
    assert slots.risk_levels == ["high"]
    assert slots.window is not None and slots.window.phrase == "in the last 48h"
    assert slots.unparsed_conditions == []


def test_quoted_names_are_not_conditions_but_codes_in_them_are() -> None:
    slots = _slots(
        "Why did the 'Require compliant device for Windows from Russia' policy block Bob "
        'with "AADSTS53000: device not compliant" on his iPad?'
    )
    assert slots.platforms == ["iOS"]
    assert slots.countries == []
    assert slots.device is None
    assert slots.error_codes == [53000]


def test_apostrophes_are_not_quotes() -> None:
    slots = _slots("Dana's laptop isn't compliant and she can't use Windows")
    assert slots.platforms == ["windows"]
    assert slots.device is not None and slots.device.compliant is False


def test_slots_serialise_to_json() -> None:
    slots = _slots("failed sign-ins from France yesterday")
    again = PromptSlots.model_validate_json(slots.model_dump_json())
    assert again == slots


@pytest.mark.parametrize(
    "prompt",
    [
        "a " * 50_000 + "from France yesterday",
        "\x00\x01\x1b[2J\x7f from France\u202e\u200b yesterday\ufeff",
        "Ünïcödé ñame from Österreich über München 中国 🇫🇷 " * 200,
        "İ" * 10_000,
        "'" * 5_000 + '"' * 5_000,
        "10." * 10_000,
        "since " * 5_000 + "between " * 5_000,
        "US " * 10_000,
        "\n\r\t" * 10_000,
        "from France " + "abcdefgh " * 10_000,
        "from abcdefg " * 10_000,
        "in October " * 10_000,
        " ".join(f"10.0.{i // 250}.{i % 250}" for i in range(5_000)),
        " ".join(str(50_000 + i) for i in range(5_000)),
        "monday morning at 3pm " * 5_000,
        "",
    ],
)
def test_hostile_input_is_read_without_error(prompt: str) -> None:
    slots = extract_slots(prompt, ANCHOR, CITIES * 100)
    assert isinstance(slots, PromptSlots)
    assert all(len(code) == 2 and code.isupper() for code in slots.countries)


def test_control_characters_do_not_hide_words() -> None:
    slots = extract_slots("\x00sign-ins\x1bfrom\x00France\x07yesterday", ANCHOR)
    assert slots.countries == ["FR"]
    assert slots.window is not None and slots.window.phrase == "yesterday"


def test_places_are_kept_as_typed_with_their_kind() -> None:
    said = _slots("sign-ins from the Netherlands and Dutch IPs yesterday").places_said
    assert ("the Netherlands", "country") in said
    assert ("Dutch", "adjective") in said
