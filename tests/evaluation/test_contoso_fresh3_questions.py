"""The `contoso-fresh3` set: a third set of unseen questions on the demo tenant, held to its data.

What every fresh set of the demo tenant must hold (ids, skills, the header's "now", no name written
literally, placeholders, cited records, registration, the run and the floor) is checked for all of
them in `test_contoso_fresh_sets`. This file holds the set's own shape (70 single prompts, sign-in
troubleshooting and risk asked most, refusals, ambiguous and unknown names) and what its questions
say about time and names: the dates it speaks of ("last night", "last tuesday", "since the
weekend", "over the past 3 days") hold the events it asks about, and its misspelt name is nobody's.
"""

from __future__ import annotations

from collections import Counter

import pytest

from idpilot.evaluation.cases import EvalCase, fill, resolve_case
from idpilot.evaluation.sets import (
    CONTOSO_FRESH3,
    contoso_fresh_cases,
)
from tests.conftest import DemoTenant
from tests.evaluation.conftest import SKILLS_NOT_IN_FRESH_SETS
from tests.evaluation.question_sets import (
    readme_skills,
)


def _between(start: str, end: str) -> str:
    """A SQL condition: createdDateTime in [start, end), both UTC."""
    return (
        f"createdDateTime >= TIMESTAMPTZ '{start}:00+00' "
        f"AND createdDateTime < TIMESTAMPTZ '{end}:00+00'"
    )


def _audit_between(start: str, end: str) -> str:
    """A SQL condition: activityDateTime in [start, end), both UTC."""
    return _between(start, end).replace("createdDateTime", "activityDateTime")


_FIRST_NAME_COUNT = (
    "SELECT count(*) FROM users WHERE givenName = "
    "(SELECT givenName FROM users WHERE id = '{persona.%s.id}')"
)
_TOP_FINANCE_53003 = (
    "(SELECT userId FROM signIns WHERE errorCode = 53003 AND appDisplayName = "
    "'Contoso Finance Portal' GROUP BY userId ORDER BY count(*) DESC LIMIT 1)"
)
_CA_UPDATES = "FROM directoryAudits WHERE activityDisplayName = 'Update conditional access policy'"

# What each question's time phrase (or name) says, as a query that must be true on the demo store.
# The snapshot's "now" is Friday 2026-11-20 10:00 UTC (the file header says so).
QUESTION_FACTS: dict[str, str] = {
    "cf3-st-ticket-finance-portal-last-night": (
        "SELECT max(createdDateTime) >= TIMESTAMPTZ '2026-11-19 18:00:00+00' "
        "AND max(createdDateTime) < TIMESTAMPTZ '2026-11-20 06:00:00+00' FROM signIns "
        f"WHERE errorCode = 53003 AND userId = {_TOP_FINANCE_53003}"
    ),
    "cf3-st-tomas-typo-outlook-since-weekend": (
        "SELECT count(*) > 0 AND dayname(DATE '2026-11-14') = 'Saturday' FROM signIns "
        "WHERE userId = '{persona.lockout_user.id}' AND errorCode = 50053 "
        "AND appDisplayName = 'Office 365 Exchange Online' "
        "AND createdDateTime >= TIMESTAMPTZ '2026-11-14 00:00:00+00'"
    ),
    "cf3-st-ruth-phone-mail-app": (
        "SELECT min(createdDateTime) BETWEEN TIMESTAMPTZ '2026-11-04 00:00:00+00' "
        "AND TIMESTAMPTZ '2026-11-08 00:00:00+00' AND max(createdDateTime) >= "
        "TIMESTAMPTZ '2026-11-19 00:00:00+00' FROM signIns "
        "WHERE userId = '{persona.legacy_user.id}' AND errorCode = 53003"
    ),
    "cf3-st-compound-alice-finance-this-morning": (
        "SELECT count(*) = 3 AND (SELECT department FROM users WHERE id = "
        "'{persona.alice_johnson.id}') = 'Finance' FROM signIns "
        "WHERE userId = '{persona.alice_johnson.id}' AND errorCode = 53000 AND "
        + _between("2026-11-20 00:00", "2026-11-20 10:00")
    ),
    "cf3-st-bob-intranet-saturday-afternoon": (
        "SELECT count(*) = 1 AND dayname(DATE '2026-11-14') = 'Saturday' FROM signIns "
        "WHERE userId = '{persona.bob.id}' AND appDisplayName = 'Contoso Intranet' "
        "AND errorCode NOT IN (0, 50074, 50140) AND "
        + _between("2026-11-14 12:00", "2026-11-14 18:00")
    ),
    "cf3-st-marcus-sharepoint-wednesday": (
        "SELECT count(*) = 1 AND dayname(DATE '2026-11-18') = 'Wednesday' "
        f"AND ({_FIRST_NAME_COUNT % 'eve_role_actor'}) = 1 FROM signIns "
        "WHERE userId = '{persona.eve_role_actor.id}' AND errorCode NOT IN (0, 50074, 50140) "
        "AND appDisplayName = 'Office 365 SharePoint Online' AND "
        + _between("2026-11-18 12:00", "2026-11-18 18:00")
    ),
    "cf3-st-ticket-finance-portal-this-morning-laptop": (
        "SELECT count(DISTINCT userId) = 1 FROM signIns WHERE errorCode = 53003 "
        "AND appDisplayName = 'Contoso Finance Portal' AND "
        + _between("2026-11-20 07:00", "2026-11-20 09:00")
    ),
    "cf3-st-priya-teams-kicked-out-this-week": (
        "SELECT count(*) = 2 FROM signIns WHERE userId = '{persona.it_admin.id}' "
        "AND errorCode = 700082 AND appDisplayName = 'Microsoft Teams' AND "
        + _between("2026-11-16 00:00", "2026-11-20 10:00")
    ),
    "cf3-st-finance-portal-around-2am-travelling": (
        "SELECT count(DISTINCT userId) = 1 AND bool_and(appDisplayName = 'Contoso Finance Portal') "
        "FROM signIns WHERE errorCode = 53003 AND "
        + _between("2026-11-20 01:00", "2026-11-20 03:00")
    ),
    "cf3-st-eve-50140-wednesday-night": (
        f"SELECT count(*) = 1 AND ({_FIRST_NAME_COUNT % 'eve'}) = 1 FROM signIns "
        "WHERE userId = '{persona.eve.id}' AND errorCode = 50140 "
        "AND appDisplayName = 'Microsoft Office' AND "
        + _between("2026-11-18 18:00", "2026-11-19 06:00")
    ),
    "cf3-st-daniel-powershell-end-of-october": (
        "SELECT count(*) = 1 FROM signIns "
        "WHERE userId = '{persona.admin_without_phishing_resistant_mfa.id}' "
        "AND appDisplayName = 'Microsoft Azure PowerShell' "
        "AND errorCode NOT IN (0, 50074, 50140) AND "
        + _between("2026-10-24 00:00", "2026-11-01 00:00")
    ),
    "cf3-dt-spray-over-weekend-yes-no": (
        "SELECT min(createdDateTime) >= TIMESTAMPTZ '2026-11-14 00:00:00+00' "
        "AND max(createdDateTime) < TIMESTAMPTZ '2026-11-16 00:00:00+00' FROM signIns "
        "WHERE ipAddress = '{scenario.password_spray.facts.ip}'"
    ),
    "cf3-dt-anything-suspicious-past-3-days": (
        "SELECT min(createdDateTime) >= TIMESTAMPTZ '2026-11-17 10:00:00+00' FROM signIns "
        "WHERE ipAddress = '{scenario.mfa_fatigue.entities.ip}'"
    ),
    "cf3-dt-impossible-travel-since-monday": (
        "SELECT createdDateTime >= TIMESTAMPTZ '2026-11-16 00:00:00+00' AND (SELECT "
        "detectedDateTime FROM riskDetections WHERE id = "
        "'{scenario.impossible_travel.evidence.riskDetection}') >= "
        "TIMESTAMPTZ '2026-11-16 00:00:00+00' FROM signIns "
        "WHERE id = '{scenario.impossible_travel.evidence.signIn}'"
    ),
    "cf3-dt-tor-this-month": (
        "SELECT createdDateTime >= TIMESTAMPTZ '2026-11-01 00:00:00+00' FROM signIns "
        "WHERE id = '{scenario.leaked_credentials.evidence.signIn}'"
    ),
    "cf3-dt-mfa-bombing-wednesday-night": (
        "SELECT count(*) = 10 FROM signIns WHERE ipAddress = '{scenario.mfa_fatigue.entities.ip}' "
        "AND " + _between("2026-11-18 18:00", "2026-11-19 06:00")
    ),
    "cf3-dt-role-outside-pim-last-night": (
        "SELECT count(*) = 1 FROM directoryAudits "
        "WHERE id = '{scenario.privileged_role_outside_pim.evidence.directoryAudit}' AND "
        + _audit_between("2026-11-19 18:00", "2026-11-20 06:00")
    ),
    "cf3-rus-compound-bob-high-risk-and-first-step": (
        f"SELECT ({_FIRST_NAME_COUNT % 'bob'}) = 1 AND (SELECT riskLevel FROM riskyUsers "
        "WHERE id = '{persona.bob.id}') = 'high'"
    ),
    "cf3-ud-new-starter-licences-groups": (
        "SELECT max(createdDateTime) >= TIMESTAMPTZ '2026-11-09 00:00:00+00' "
        "AND max(createdDateTime) < TIMESTAMPTZ '2026-11-16 00:00:00+00' FROM users"
    ),
    "cf3-ur-marcus-roles-permanent": f"SELECT ({_FIRST_NAME_COUNT % 'eve_role_actor'}) = 1",
    "cf3-wc-scanner-into-exclusion-group-tuesday": (
        "SELECT count(*) = 1 AND dayname(DATE '2026-11-17') = 'Tuesday' FROM directoryAudits "
        "WHERE activityDisplayName = 'Add member to group' "
        "AND targetResources::VARCHAR LIKE '%{persona.spray_victim.id}%' AND "
        + _audit_between("2026-11-17 00:00", "2026-11-18 00:00")
    ),
    "cf3-wc-global-reader-yesterday": (
        "SELECT CAST(activityDateTime AS DATE) = DATE '2026-11-19' FROM directoryAudits "
        "WHERE activityDisplayName = 'Add member to role' "
        "AND initiatedBy->'user'->>'id' = '{persona.it_admin.id}' "
        "ORDER BY activityDateTime DESC LIMIT 1"
    ),
    "cf3-ah-crm-sync-last-week": (
        "SELECT count(*) = 1 FROM directoryAudits "
        "WHERE targetResources->0->>'displayName' = 'Contoso CRM Sync' AND "
        + _audit_between("2026-11-09 00:00", "2026-11-16 00:00")
    ),
    "cf3-ah-password-resets-yesterday": (
        "SELECT count(*) = 1 AND bool_and(initiatedBy->'user'->>'id' = "
        "'{persona.eve_role_actor.id}') FROM directoryAudits "
        "WHERE activityDisplayName LIKE '%eset%password%' AND "
        + _audit_between("2026-11-19 00:00", "2026-11-20 00:00")
    ),
    "cf3-aa-daniel-past-3-days": (
        "SELECT count(*) = 1 FROM directoryAudits WHERE initiatedBy->'user'->>'id' = "
        "'{persona.admin_without_phishing_resistant_mfa.id}' AND "
        + _audit_between("2026-11-17 10:00", "2026-11-20 10:00")
    ),
    "cf3-aa-priya-yesterday-count": (
        "SELECT count(*) = 3 FROM directoryAudits "
        "WHERE initiatedBy->'user'->>'id' = '{persona.it_admin.id}' AND "
        + _audit_between("2026-11-19 00:00", "2026-11-20 00:00")
    ),
    "cf3-pc-ca-edits-this-month": (
        "SELECT count(*) = 2 AND bool_and(initiatedBy->'user'->>'id' = '{persona.it_admin.id}') "
        f"{_CA_UPDATES} AND " + _audit_between("2026-11-01 00:00", "2026-11-20 10:00")
    ),
    "cf3-pc-since-weekend-none": (
        f"SELECT count(*) = 0 {_CA_UPDATES} "
        "AND activityDateTime >= TIMESTAMPTZ '2026-11-14 00:00:00+00'"
    ),
    "cf3-ss-netherlands-this-month": (
        "SELECT count(*) > 0 AND min(createdDateTime) >= TIMESTAMPTZ '2026-11-01 00:00:00+00' "
        "AND bool_or(userId = '{persona.spray_victim.id}' AND errorCode = 0) FROM signIns "
        "WHERE location->>'countryOrRegion' = 'NL'"
    ),
    "cf3-amb-valentina-account": (
        "SELECT count(*) > 1 FROM users WHERE givenName = (SELECT givenName FROM users "
        "WHERE id = '{scenario.account_disabled_by_admin.entities.userId}')"
    ),
    "cf3-nf-unknown-user-cant-login": (
        "SELECT count(*) = 0 FROM users WHERE displayName ILIKE '%kevin%' "
        "OR displayName ILIKE '%sullivan%'"
    ),
    "cf3-nf-unknown-group": "SELECT count(*) = 0 FROM groups WHERE displayName ILIKE '%titan%'",
}


def _cases() -> list[EvalCase]:
    return contoso_fresh_cases(CONTOSO_FRESH3)


def _scored() -> list[EvalCase]:
    return [c for c in _cases() if not c.pending]


def test_the_file_holds_70_single_prompt_questions() -> None:
    cases = _cases()
    assert len(cases) == 70
    assert not [c.id for c in cases if c.after]


def test_every_skill_is_asked_about_sign_in_troubleshooting_and_risk_most() -> None:
    asked = Counter(c.skill for c in _cases() if c.skill)
    # Its one request for a table's KQL is answered by kql_write, which came after the set.
    written_for = readme_skills() - SKILLS_NOT_IN_FRESH_SETS - {"kql_tables"}
    assert not {s for s in written_for if asked[s] < 1}
    most = asked.most_common(2)
    assert [skill for skill, _ in most] == ["signin_troubleshoot", "detect_threats"]
    assert asked["risky_user_summary"] + asked["risky_users"] >= 5


def test_refusals_unknown_and_ambiguous_names_and_pending_capabilities() -> None:
    statuses = Counter(c.status for c in _scored())
    assert statuses["outOfScope"] == 3
    assert statuses["ambiguous"] == 2 and statuses["notFound"] == 2
    assert sorted(c.pending for c in _cases() if c.pending) == ["policy_draft"]


def test_compound_questions_are_asked() -> None:
    assert sum("compound" in c.id for c in _cases()) >= 3


def test_the_misspelt_name_is_nobodys_name(demo_tenant: DemoTenant) -> None:
    case = next(c for c in _cases() if c.id == "cf3-st-tomas-typo-outlook-since-weekend")
    typed = resolve_case(case, demo_tenant.answer_key, demo_tenant.store).prompt.split(" cant ")[0]
    lockout_user = demo_tenant.answer_key["personas"]["lockout_user"]["displayName"]
    assert typed != lockout_user.lower() and typed.split()[0] == lockout_user.split()[0].lower()
    sql = "SELECT count(*) FROM users WHERE lower(displayName) = ?"
    assert demo_tenant.store.scalar(sql, [typed]) == 0


@pytest.mark.parametrize("case_id", sorted(QUESTION_FACTS))
def test_what_each_question_says_about_time_holds(demo_tenant: DemoTenant, case_id: str) -> None:
    assert case_id in {c.id for c in _cases()}
    sql = fill(QUESTION_FACTS[case_id], demo_tenant.answer_key)
    assert demo_tenant.store.scalar(sql) is True, sql
