"""The `contoso-fresh` set: questions written without reading the planner, checked against the data.

What every fresh set of the demo tenant must hold (ids, skills, the header's "now", no name written
literally, placeholders, cited records, registration, the run and the floor) is checked for all of
them in `test_contoso_fresh_sets`. This file holds the set's own shape (about 80 questions, every
skill asked twice, a small share of refusals) and what its questions say about time: the dates it
speaks of ("this morning", "Wednesday night", "the 8th") hold the events it asks about.
"""

from __future__ import annotations

from collections import Counter

import pytest

from idpilot.evaluation.cases import fill
from idpilot.evaluation.sets import (
    contoso_fresh_cases,
)
from tests.conftest import DemoTenant
from tests.evaluation.conftest import SKILLS_NOT_IN_FRESH_SETS
from tests.evaluation.question_sets import (
    readme_skills,
)

# What each question's time phrase says, as a query that must be true on the demo store. The
# snapshot's "now" is Friday 2026-11-20 10:00 UTC (the file header says so; a test checks it).
_PRIYA_OTHERS = (
    "SELECT id FROM users WHERE givenName = "
    "(SELECT givenName FROM users WHERE id = '{persona.it_admin.id}') "
    "AND id <> '{persona.it_admin.id}'"
)
QUESTION_FACTS: dict[str, str] = {
    "cf-st-alice-finance-portal-this-morning": (
        "SELECT (SELECT count(*) FROM signIns WHERE userId = '{persona.alice_johnson.id}' "
        "AND errorCode = 53000 AND createdDateTime >= TIMESTAMPTZ '2026-11-20 00:00:00+00' "
        "AND createdDateTime < TIMESTAMPTZ '2026-11-20 10:00:00+00') > 0 "
        "AND (SELECT count(*) FROM users WHERE department = 'Finance' AND givenName = "
        "(SELECT givenName FROM users WHERE id = '{persona.alice_johnson.id}')) = 1"
    ),
    "cf-st-tomas-locked-diacritics": (
        "SELECT count(*) > 0 FROM signIns WHERE userId = '{persona.lockout_user.id}' "
        "AND errorCode = 50053 AND createdDateTime >= TIMESTAMPTZ '2026-11-15 06:00:00+00' "
        "AND createdDateTime < TIMESTAMPTZ '2026-11-15 12:00:00+00'"
    ),
    "cf-st-ruth-phone-mail-prompts": (
        "SELECT min(createdDateTime) BETWEEN TIMESTAMPTZ '2026-11-03 00:00:00+00' "
        "AND TIMESTAMPTZ '2026-11-09 00:00:00+00' AND max(createdDateTime) "
        ">= TIMESTAMPTZ '2026-11-19 00:00:00+00' FROM signIns "
        "WHERE userId = '{persona.legacy_user.id}' AND errorCode = 53003"
    ),
    "cf-st-sofia-legal-wednesday-night": (
        "SELECT (SELECT count(*) FROM signIns WHERE userId = '{persona.mfa_fatigue_user.id}' "
        "AND errorCode = 500121 AND createdDateTime >= TIMESTAMPTZ '2026-11-18 18:00:00+00' "
        "AND createdDateTime < TIMESTAMPTZ '2026-11-19 06:00:00+00') > 0 "
        "AND (SELECT count(*) FROM users WHERE department = 'Legal' AND givenName = "
        "(SELECT givenName FROM users WHERE id = '{persona.mfa_fatigue_user.id}')) = 1"
    ),
    "cf-st-priya-teams-since-monday": (
        "SELECT (SELECT count(*) FROM signIns WHERE userId = '{persona.it_admin.id}' "
        "AND errorCode = 700082 AND appDisplayName = 'Microsoft Teams' "
        "AND createdDateTime >= TIMESTAMPTZ '2026-11-16 00:00:00+00') > 0 "
        "AND (SELECT count(*) FROM signIns WHERE userId IN (" + _PRIYA_OTHERS + ") "
        "AND appDisplayName = 'Microsoft Teams' AND errorCode <> 0 "
        "AND createdDateTime >= TIMESTAMPTZ '2026-11-16 00:00:00+00') = 0"
    ),
    "cf-st-bob-intranet-saturday": (
        "SELECT count(*) > 0 FROM signIns WHERE userId = '{persona.bob.id}' "
        "AND errorCode = 50126 AND appDisplayName = 'Contoso Intranet' "
        "AND createdDateTime >= TIMESTAMPTZ '2026-11-14 12:00:00+00' "
        "AND createdDateTime < TIMESTAMPTZ '2026-11-14 18:00:00+00'"
    ),
    "cf-st-followup-tomas-ok-now": (
        "SELECT count(*) > 0 FROM signIns WHERE userId = '{persona.lockout_user.id}' "
        "AND errorCode = 50053 AND CAST(createdDateTime AS DATE) = DATE '2026-11-15'"
    ),
    "cf-st-compound-tomas-locked-and-reset": (
        "SELECT count(*) > 0 FROM directoryAudits WHERE activityDisplayName LIKE 'Reset password%' "
        "AND initiatedBy->'user'->>'id' = '{persona.eve_role_actor.id}' "
        "AND targetResources::VARCHAR LIKE '%{persona.lockout_user.id}%' "
        "AND CAST(activityDateTime AS DATE) = DATE '2026-11-15'"
    ),
    "cf-rus-lars-sales-medium": (
        "SELECT count(*) = 1 FROM users WHERE department = 'Sales' AND givenName = "
        "(SELECT givenName FROM users WHERE id = '{persona.impossible_travel_user.id}')"
    ),
    "cf-dt-spray-last-weekend": (
        "SELECT min(createdDateTime) >= TIMESTAMPTZ '2026-11-14 00:00:00+00' "
        "AND max(createdDateTime) < TIMESTAMPTZ '2026-11-16 00:00:00+00' FROM signIns "
        "WHERE ipAddress = '{scenario.password_spray.facts.ip}'"
    ),
    "cf-dt-mfa-bombing-this-week": (
        "SELECT min(createdDateTime) >= TIMESTAMPTZ '2026-11-16 00:00:00+00' FROM signIns "
        "WHERE ipAddress = '{scenario.mfa_fatigue.entities.ip}'"
    ),
    "cf-dt-roles-outside-pim": (
        "SELECT activityDateTime >= TIMESTAMPTZ '2026-11-17 00:00:00+00' FROM directoryAudits "
        "WHERE activityDisplayName = 'Add member to role' "
        "AND targetResources::VARCHAR LIKE '%{persona.eve.id}%'"
    ),
    "cf-wc-eve-global-admin-last-night": (
        "SELECT activityDateTime >= TIMESTAMPTZ '2026-11-19 18:00:00+00' "
        "AND activityDateTime < TIMESTAMPTZ '2026-11-20 06:00:00+00' FROM directoryAudits "
        "WHERE activityDisplayName = 'Add member to role' "
        "AND targetResources::VARCHAR LIKE '%{persona.eve.id}%'"
    ),
    "cf-wc-global-reader-yesterday": (
        "SELECT count(*) = 1 FROM directoryAudits WHERE activityDisplayName = "
        "'Add member to role' AND CAST(activityDateTime AS DATE) = DATE '2026-11-19' "
        "AND targetResources::VARCHAR LIKE '%Global Reader%'"
    ),
    "cf-ah-password-resets-this-week": (
        "SELECT count(*) > 0 FROM directoryAudits WHERE activityDisplayName LIKE 'Reset%password%' "
        "AND initiatedBy->'user'->>'id' = '{persona.eve_role_actor.id}' "
        "AND activityDateTime >= TIMESTAMPTZ '2026-11-16 00:00:00+00'"
    ),
    "cf-ah-runbook-app-changes": (
        "SELECT count(*) = 2 FROM directoryAudits WHERE activityDateTime >= "
        "TIMESTAMPTZ '2026-11-18 10:00:00+00' AND (targetResources::VARCHAR LIKE "
        "'%{persona.privileged_app.id}%' OR initiatedBy::VARCHAR LIKE "
        "'%{persona.privileged_app.id}%')"
    ),
    "cf-aa-priya-on-the-8th": (
        "SELECT count(*) = 2 FROM directoryAudits WHERE initiatedBy->'user'->>'id' = "
        "'{persona.it_admin.id}' AND CAST(activityDateTime AS DATE) = DATE '2026-11-08'"
    ),
    "cf-aa-daniel-wednesday-night": (
        "SELECT count(*) = 1 FROM directoryAudits WHERE initiatedBy->'user'->>'id' = "
        "'{persona.admin_without_phishing_resistant_mfa.id}' "
        "AND activityDateTime >= TIMESTAMPTZ '2026-11-18 18:00:00+00' "
        "AND activityDateTime < TIMESTAMPTZ '2026-11-19 06:00:00+00'"
    ),
    "cf-pc-this-month-who": (
        "SELECT count(*) = 2 FROM directoryAudits WHERE activityDisplayName = "
        "'Update conditional access policy' AND activityDateTime >= "
        "TIMESTAMPTZ '2026-11-01 00:00:00+00' AND initiatedBy->'user'->>'id' = "
        "'{persona.it_admin.id}'"
    ),
    "cf-pc-breakglass-missing-exclusion": (
        "SELECT count(*) = 1 FROM directoryAudits WHERE activityDisplayName = "
        "'Update conditional access policy' AND activityDateTime >= "
        "TIMESTAMPTZ '2026-10-30 10:00:00+00' AND targetResources::VARCHAR LIKE "
        "'%{scenario.breakglass_exclusion_removed.entities.policyId}%'"
    ),
    "cf-lu-new-accounts-30-days": (
        "SELECT count(*) > 0 FROM users WHERE createdDateTime >= "
        "TIMESTAMPTZ '2026-10-21 10:00:00+00'"
    ),
    "cf-ss-yesterday-overall": (
        "SELECT count(*) > 0 FROM signIns WHERE CAST(createdDateTime AS DATE) = DATE '2026-11-19'"
    ),
    "cf-ss-romania": (
        "SELECT count(*) > 0 FROM signIns WHERE location->>'countryOrRegion' = 'RO' "
        "AND createdDateTime >= TIMESTAMPTZ '2026-11-06 00:00:00+00'"
    ),
    "cf-nf-unknown-user": (
        "SELECT count(*) = 0 FROM users WHERE displayName ILIKE '%Zylberstein%' "
        "OR givenName = 'Quentin'"
    ),
}


def test_the_file_holds_about_80_questions() -> None:
    assert 75 <= len(contoso_fresh_cases()) <= 100


def test_every_skill_is_asked_about_at_least_twice() -> None:
    asked = Counter(c.skill for c in contoso_fresh_cases() if c.skill)
    assert not {s for s in readme_skills() - SKILLS_NOT_IN_FRESH_SETS if asked[s] < 2}


def test_refusals_and_pending_capabilities_are_a_small_share() -> None:
    cases = contoso_fresh_cases()
    assert 6 <= sum(c.status == "outOfScope" for c in cases) <= 10
    assert 2 <= sum(bool(c.pending) for c in cases) <= 8


@pytest.mark.parametrize("case_id", sorted(QUESTION_FACTS))
def test_what_each_question_says_about_time_holds(demo_tenant: DemoTenant, case_id: str) -> None:
    assert case_id in {c.id for c in contoso_fresh_cases()}
    sql = fill(QUESTION_FACTS[case_id], demo_tenant.answer_key)
    assert demo_tenant.store.scalar(sql) is True, sql
