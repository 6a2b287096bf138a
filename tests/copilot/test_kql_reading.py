"""Reading a request for a query: the table, conditions, groupings, thresholds, refusals."""

from __future__ import annotations

import pytest

from idpilot.copilot.kql_reading import read_kql_question
from idpilot.copilot.planner import plan_offline
from idpilot.copilot.query_request import asks_for_query
from idpilot.copilot.understanding.understand import understand
from idpilot.kql.question import Attribute, Comparison, KqlQuestion, LogTable, QueryKind
from idpilot.skills import default_registry
from tests.conftest import DemoTenant

REGISTRY = default_registry()


def _read(demo: DemoTenant, prompt: str) -> KqlQuestion:
    store = demo.store
    return read_kql_question(understand(store, REGISTRY, prompt, store.captured_at()))


def _values(question: KqlQuestion, field: Attribute) -> tuple[str, ...] | None:
    return next((c.values for c in question.conditions if c.field is field), None)


def test_from_three_countries_is_a_distinct_threshold_per_user(demo_tenant: DemoTenant) -> None:
    question = _read(demo_tenant, "write KQL for users who failed MFA from 3 countries today")
    assert (question.kind, question.table) == (QueryKind.mfa, LogTable.sign_ins)
    assert question.group_by == [Attribute.user]
    assert question.threshold is not None
    assert (question.threshold.comparison, question.threshold.value) == (Comparison.at_least, 3)
    assert question.threshold.distinct is Attribute.country
    assert _values(question, Attribute.result) == ("failure",)
    assert question.window is not None and question.window.phrase == "today"
    assert not question.unexpressed and question.refusal is None


def test_names_resolved_once_become_values_of_their_column(demo_tenant: DemoTenant) -> None:
    alice = demo_tenant.answer_key["personas"]["alice_johnson"]
    prompt = f"give me KQL for sign-ins by {alice['displayName']} from Germany"
    question = _read(demo_tenant, prompt)
    assert _values(question, Attribute.user) == (alice["userPrincipalName"],)
    assert _values(question, Attribute.country) == ("DE",)
    assert [record.id for record in question.named] == [alice["id"]]


def test_in_the_audit_log_a_user_acts_or_is_the_target(demo_tenant: DemoTenant) -> None:
    admin = demo_tenant.answer_key["personas"]["it_admin"]
    by = _read(demo_tenant, f"KQL for audit events by {admin['displayName']}")
    to = _read(demo_tenant, f"KQL for audit events on {admin['displayName']}'s account")
    assert by.table is LogTable.audit and to.table is LogTable.audit
    assert _values(by, Attribute.actor) == (admin["userPrincipalName"],)
    assert _values(to, Attribute.target) == (admin["userPrincipalName"],)


@pytest.mark.parametrize(
    ("prompt", "table", "group_by", "top"),
    [
        ("KQL: top 10 IPs by failed sign-ins", LogTable.sign_ins, [Attribute.ip], 10),
        ("kql for failed sign-ins broken down by app and error code", LogTable.sign_ins,
         [Attribute.app, Attribute.error_code], None),
        ("query for conditional access results per policy", LogTable.sign_ins,
         [Attribute.policy, Attribute.policy_result], None),
        ("KQL for risk detections by risk level", LogTable.risk_events,
         [Attribute.risk_level], None),
        ("kusto: service principal sign-ins per IP", LogTable.service_principal_sign_ins,
         [Attribute.ip], None),
        ("KQL for non-interactive sign-ins per app per day", LogTable.non_interactive,
         [Attribute.app, Attribute.day], None),
    ],
)  # fmt: skip
def test_groupings_and_top_n(
    demo_tenant: DemoTenant,
    prompt: str,
    table: LogTable,
    group_by: list[Attribute],
    top: int | None,
) -> None:
    question = _read(demo_tenant, prompt)
    assert (question.table, question.group_by, question.top) == (table, group_by, top)


@pytest.mark.parametrize(
    ("prompt", "group_by"),
    [
        ("kql for users who reset their password", [Attribute.target]),
        ("kql for users who reset their password, listed", []),
        ("kql: individual events of users who reset their password", []),
        ("kql for failed sign-ins by app, listed", [Attribute.app]),
    ],
)
def test_records_asked_for_are_not_grouped_by_their_subject(
    demo_tenant: DemoTenant, prompt: str, group_by: list[Attribute]
) -> None:
    assert _read(demo_tenant, prompt).group_by == group_by


def test_more_than_n_failures_counts_rows_per_subject(demo_tenant: DemoTenant) -> None:
    question = _read(demo_tenant, "kql for IPs with more than 20 failed sign-ins")
    assert question.group_by == [Attribute.ip]
    assert question.threshold is not None and question.threshold.distinct is None
    assert (question.threshold.comparison, question.threshold.value) == (Comparison.more_than, 20)


def test_how_many_is_a_count_of_the_matching_records(demo_tenant: DemoTenant) -> None:
    question = _read(demo_tenant, "kql: how many risky users are at high risk?")
    assert question.table is LogTable.risky_users and question.count_only
    assert _values(question, Attribute.risk_level) == ("high",)


@pytest.mark.parametrize(
    ("prompt", "said"),
    [
        ("write a KQL join between SigninLogs and AADRiskyUsers", "join"),
        ("kql for the failure rate per app", "rate"),
        ("write a hunting query for impossible travel", "impossible travel"),
        ("give me KQL for sign-ins from non-compliant devices", "compliant"),
    ],
)
def test_what_the_builder_cannot_express_is_refused_with_the_reason(
    demo_tenant: DemoTenant, prompt: str, said: str
) -> None:
    question = _read(demo_tenant, prompt)
    assert question.refusal is not None and said in question.refusal


def test_a_grouping_the_table_lacks_is_said_not_dropped(demo_tenant: DemoTenant) -> None:
    question = _read(demo_tenant, "KQL for risky users by country")
    assert question.table is LogTable.risky_users and question.group_by == []
    assert any("country" in part for part in question.unexpressed)


def test_a_place_no_value_expresses_is_said(demo_tenant: DemoTenant) -> None:
    question = _read(demo_tenant, "write kql for failed sign-ins from outside the EU")
    assert any("EU" in part for part in question.unexpressed)


def test_prompts_asking_for_a_query_are_recognised() -> None:
    assert asks_for_query("can you write me a query for failed logins?")
    assert asks_for_query("Sentinel query for new app credentials")
    assert asks_for_query("kusto please")
    assert not asks_for_query("why did Alice fail to sign in?")


@pytest.mark.parametrize(
    ("prompt", "skill"),
    [
        ("write a query for sign-ins of {upn} from Germany", "kql_write"),
        ("KQL for audit events by {name} last week", "kql_write"),
        ("which log tables can I query with KQL here?", "kql_tables"),
        ("does this copy have SigninLogs for KQL, and how far back does it go?", "kql_tables"),
        ("write KQL to list AADRiskyServicePrincipals", "kql_write"),
        ("why did {name} fail to sign in?", "signin_troubleshoot"),
    ],
)
def test_a_request_for_kql_is_written_whatever_it_is_about(
    demo_tenant: DemoTenant, prompt: str, skill: str
) -> None:
    alice = demo_tenant.answer_key["personas"]["alice_johnson"]
    text = prompt.format(upn=alice["userPrincipalName"], name=alice["displayName"])
    store = demo_tenant.store
    plan = plan_offline(store, REGISTRY, text, store.captured_at())
    assert [call.skill for call in plan.calls][:1] == [skill]


def test_a_city_the_tenant_records_filters_on_the_city(demo_tenant: DemoTenant) -> None:
    question = _read(demo_tenant, "kql for failed sign-ins from Seattle by user")
    assert _values(question, Attribute.city) == ("Seattle",)
    assert question.group_by == [Attribute.user]


def test_stated_values_and_unknown_names_no_query_applies_are_said(
    demo_tenant: DemoTenant,
) -> None:
    question = _read(demo_tenant, "write kql for sign-ins by guests on iOS")
    assert {"the user type", "platform"} <= set(question.unexpressed)
    nobody = _read(demo_tenant, "KQL for sign-ins by Zebulon Quackenbush")
    assert any("Zebulon Quackenbush" in part for part in nobody.unexpressed)
