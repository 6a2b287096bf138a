"""EIDSCA: every published row judged; values compared as the table writes them; template
defaults for directory settings never created; skip conditions; missing data named."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from idpilot.model.collections import Collection
from idpilot.posture import CheckStatus
from idpilot.posture.eidsca import eidsca_results, eidsca_rows, judge, proposal
from idpilot.posture.tenant_settings import TenantSettings
from tests.posture.settings_cases import P1_PLAN, hardened

PASSWORD_RULES = "5cf42378-d67d-4f36-ba46-e8b86229381d"


def settings(change: Any = None, drop: tuple[str, ...] = ()) -> TenantSettings:
    """The hardened tenant's settings (tests/posture/settings_cases), changed."""
    objects = copy.deepcopy(hardened())
    if change:
        change(objects)
    return TenantSettings.from_objects(
        {Collection(name): items for name, items in objects.items() if name not in drop}
    )


def row(check_id: str) -> Any:
    return next(r for r in eidsca_rows() if r.id == check_id)


def verdict(check_id: str, tenant: TenantSettings) -> CheckStatus:
    return judge(row(check_id), tenant).status


def test_the_published_table_has_every_check_once() -> None:
    ids = [r.id for r in eidsca_rows()]
    assert len(ids) == len(set(ids)) == 109
    assert {"AP01", "AP14", "CP04", "PR06", "ST14", "AG12", "AM13", "AF08", "AT08", "AC05",
            "CR06", "DA01", "EX02", "FT01"} <= set(ids)  # fmt: skip


def test_every_row_gets_a_result_and_unknown_names_what_is_missing() -> None:
    results = eidsca_results(settings())
    assert [r.id for r in results] == [f"EIDSCA.{r.id}" for r in eidsca_rows()]
    for result in results:
        assert result.controls == [result.id]
        assert (result.status is CheckStatus.unknown) == bool(result.missing), result


def _authorization(**values: Any) -> Any:
    def change(o: dict) -> None:
        o["authorizationPolicy"][0].update(values)

    return change


def test_a_value_is_compared_with_the_recommendation() -> None:
    assert verdict("AP04", settings()) is CheckStatus.passed  # adminsAndGuestInviters: one of
    assert verdict("AP04", settings(_authorization(allowInvitesFrom="everyone"))) is (
        CheckStatus.failed
    )
    assert verdict("AP07", settings()) is CheckStatus.passed
    limited = _authorization(guestUserRoleId="10dae51f-b6af-4016-8d66-8c2a99b929b3")
    assert verdict("AP07", settings(limited)) is CheckStatus.failed  # EIDSCA wants restricted


def test_a_property_the_tenant_does_not_carry_is_unknown_and_named() -> None:
    outcome = judge(row("AP05"), settings())
    assert outcome.status is CheckStatus.unknown
    assert outcome.missing == ("authorizationPolicy.allowedToSignUpEmailBasedSubscriptions",)


def test_a_missing_collection_is_unknown_and_named() -> None:
    outcome = judge(row("CR01"), settings(drop=("adminConsentRequestPolicy",)))
    assert outcome.missing == ("adminConsentRequestPolicy",)
    assert judge(row("DA01"), settings()).missing == ("activityBasedTimeoutPolicies",)


def test_a_directory_setting_never_created_holds_the_template_default() -> None:
    outcome = judge(row("PR01"), settings())  # no Password Rule Settings object: Audit
    assert outcome.status is CheckStatus.failed
    assert "template default" in outcome.affected[0].detail
    enforced = settings(lambda o: o["groupSettings"].append({
        "id": "pw", "templateId": PASSWORD_RULES,
        "values": [{"name": "BannedPasswordCheckOnPremisesMode", "value": "Enforce"},
                   {"name": "LockoutThreshold", "value": "15"}]}))  # fmt: skip
    assert verdict("PR01", enforced) is CheckStatus.passed
    assert verdict("PR06", enforced) is CheckStatus.failed  # 15 > 10


def test_skip_conditions_make_a_row_not_applicable() -> None:
    def fido_enabled(o: dict) -> None:
        methods = o["authenticationMethodsPolicy"][0]["authenticationMethodConfigurations"]
        methods.append({"id": "Fido2", "state": "disabled", "isAttestationEnforced": False})

    assert verdict("AF03", settings(fido_enabled)) is CheckStatus.not_applicable
    p1_free = settings(lambda o: o["subscribedSkus"][0].update(servicePlans=[]))
    assert verdict("PR01", p1_free) is CheckStatus.not_applicable
    assert verdict("PR01", settings(lambda o: o["subscribedSkus"][0].update(
        servicePlans=[P1_PLAN]))) is CheckStatus.failed  # fmt: skip


def test_a_row_without_a_published_recommendation_is_not_applicable() -> None:
    outcome = judge(row("AP11"), settings(_authorization(defaultUserRolePermissions={
        "allowedToCreateSecurityGroups": True})))  # fmt: skip
    assert outcome.status is CheckStatus.not_applicable
    assert "no recommended value" in outcome.summary


@pytest.mark.parametrize(
    ("check_id", "expected"),
    [
        ("AP10", {"defaultUserRolePermissions": {"allowedToCreateApps": False}}),
        ("AP04", {"allowInvitesFrom": "adminsAndGuestInviters"}),
        ("AM02", {"@odata.type": "#microsoft.graph.microsoftAuthenticatorAuthenticationMethod"
                  "Configuration", "isSoftwareOathEnabled": False}),
    ],
)  # fmt: skip
def test_a_fix_is_proposed_as_the_graph_request(check_id: str, expected: dict) -> None:
    request = proposal(row(check_id))
    assert request is not None and request["method"] == "PATCH"
    assert request["body"] == expected


def test_no_request_is_proposed_where_one_patch_would_not_do() -> None:
    assert proposal(row("PR05")) is None  # a directory setting: the whole values list
    assert proposal(row("AM04")) is None  # a nested feature setting
