"""The coverage analysis reads the directory in bulk for many users: the same findings as
asking about each user on their own; the break-glass accounts are found once per tenant."""

from __future__ import annotations

import pytest

from idpilot.ca_analysis import coverage
from idpilot.ca_analysis.tenant_policies import TenantPolicies
from idpilot.store import ca_directory
from tests.conftest import DemoTenant

NEVER = 10**9


def test_findings_are_those_of_one_user_at_a_time(
    demo_tenant: DemoTenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = demo_tenant.store
    bulk = coverage.analyse(store, TenantPolicies.load(store))
    monkeypatch.setattr(coverage, "USERS_ASKED_ONE_BY_ONE", NEVER)
    monkeypatch.setattr(ca_directory, "USERS_ASKED_ONE_BY_ONE", NEVER)
    one_by_one = TenantPolicies.load(store)
    reference = coverage.analyse(store, one_by_one)
    assert not one_by_one.directory._loaded  # the reference never read the directory in bulk
    assert bulk == reference
    assert bulk["break_glass"] and bulk["mfa_gap"]["covering"]


def test_break_glass_accounts_are_found_once_per_tenant(
    demo_tenant: DemoTenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = demo_tenant.store
    tenant = TenantPolicies.load(store)
    first = coverage.break_glass_accounts(store, tenant)
    first[0]["displayName"] = "changed by a caller"
    calls = []
    monkeypatch.setattr(coverage, "_scopes", lambda *args: calls.append(args))
    again = coverage.break_glass_accounts(store, tenant)
    assert not calls  # remembered, not found again
    monkeypatch.undo()
    assert again == coverage.break_glass_accounts(store, TenantPolicies.load(store))
    assert again[0]["displayName"] != "changed by a caller"
