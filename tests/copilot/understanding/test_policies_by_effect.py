"""A Conditional Access policy named by what it does to people, whatever its name says."""

from __future__ import annotations

from pathlib import Path

from idpilot.copilot.understanding.policies_by_effect import policy_by_effect
from idpilot.store import Store
from tests.security.builder import TenantBuilder


def _tenant(tmp_path: Path) -> Store:
    t = TenantBuilder()
    t.user("Ann Member")
    office = t.named_location("Office", ["10.0.0.0/8"])
    countries = t.add(
        "namedLocations",
        {"@odata.type": "#microsoft.graph.countryNamedLocation", "id": t.id("loc:countries"),
         "displayName": "Blocked countries", "countriesAndRegions": ["RU", "KP"],
         "includeUnknownCountriesAndRegions": False},
    )  # fmt: skip
    t.policy("P1 Baseline", controls=["mfa"])
    t.policy("P2 Old stuff", controls=["block"], clientAppTypes=["exchangeActiveSync", "other"])
    outside_office = {"includeLocations": ["All"], "excludeLocations": [office["id"]]}
    t.policy("P3 Office only", controls=["block"], locations=outside_office)
    t.policy("P4 Geo", controls=["block"], locations={"includeLocations": [countries["id"]]})
    t.policy("P5 Risky users", controls=["mfa", "passwordChange"], userRiskLevels=["high"])
    t.policy("P6 Portal MFA", controls=["mfa"], apps=["797f4846-ba00-4fd7-ba43-dac1f8f63013"])
    return t.store(tmp_path / "snap")


def _named(store: Store, prompt: str) -> str | None:
    found = policy_by_effect(store, prompt)
    return found[1] if found else None


def test_policies_described_by_their_effect(tmp_path: Path) -> None:
    store = _tenant(tmp_path)
    assert _named(store, "the policy that makes everybody do MFA: is it on?") == "P1 Baseline"
    assert _named(store, "who changed the rule that kicks out old mail apps?") == "P2 Old stuff"
    off_network = "the rule that kicks people out when they're off the corporate network: on?"
    assert _named(store, off_network) == "P3 Office only"
    assert _named(store, "the block that stops sign-ins from other countries") == "P4 Geo"
    compromised = "the thing that forces a password change when an account looks compromised"
    assert _named(store, compromised) == "P5 Risky users"


def test_too_little_or_no_description_names_none(tmp_path: Path) -> None:
    store = _tenant(tmp_path)
    assert _named(store, "the rule that blocks things") is None  # one effect, several fit
    assert _named(store, "which users have MFA registered?") is None  # no policy described
