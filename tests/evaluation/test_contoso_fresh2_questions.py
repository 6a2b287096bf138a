"""The `contoso-fresh2` set: a second set of unseen questions on the demo tenant, held to its data.

What every fresh set of the demo tenant must hold (ids, skills, the header's "now", no name written
literally, placeholders, cited records, registration, the run and the floor) is checked for all of
them in `test_contoso_fresh_sets`. This file holds the set's own shape (about 60 questions, five
refusals, one pending capability, follow-ups and compound questions) and what its questions say
about time and first names: the dates it speaks of ("this morning", "sunday the 8th", "last
thursday") hold the events it asks about.
"""

from __future__ import annotations

from collections import Counter

import pytest

from idpilot.evaluation.cases import EvalCase, fill
from idpilot.evaluation.sets import (
    CONTOSO_FRESH2,
    contoso_fresh_cases,
)
from tests.conftest import DemoTenant
from tests.evaluation.conftest import SKILLS_NOT_IN_FRESH_SETS
from tests.evaluation.question_sets import (
    readme_skills,
)

# What each question's time phrase (or first name) says, as a query that must be true on the demo
# store. The snapshot's "now" is Friday 2026-11-20 10:00 UTC (the file header says so).
_CA_UPDATES = "SELECT {check} FROM directoryAudits WHERE activityDisplayName = "
_CA_UPDATES += "'Update conditional access policy' AND activityDateTime >= TIMESTAMPTZ '{since}'"
_UNIQUE_FIRST_NAME = (
    "SELECT count(*) = 1 FROM users WHERE givenName = "
    "(SELECT givenName FROM users WHERE id = '{{persona.{key}.id}}')"
)
QUESTION_FACTS: dict[str, str] = {
    "cf2-st-ticket-alice-finance-portal": (
        "SELECT count(*) = 3 FROM signIns WHERE userId = '{persona.alice_johnson.id}' "
        "AND errorCode = 53000 AND createdDateTime >= TIMESTAMPTZ '2026-11-20 00:00:00+00' "
        "AND createdDateTime < TIMESTAMPTZ '2026-11-20 10:00:00+00'"
    ),
    "cf2-st-tomas-sunday-morning": (
        "SELECT count(*) > 0 AND dayname(DATE '2026-11-15') = 'Sunday' FROM signIns "
        "WHERE userId = '{persona.lockout_user.id}' AND errorCode = 50053 "
        "AND createdDateTime >= TIMESTAMPTZ '2026-11-15 06:00:00+00' "
        "AND createdDateTime < TIMESTAMPTZ '2026-11-15 12:00:00+00'"
    ),
    "cf2-st-ruth-mail-app": (
        "SELECT min(createdDateTime) BETWEEN TIMESTAMPTZ '2026-11-05 00:00:00+00' "
        "AND TIMESTAMPTZ '2026-11-08 00:00:00+00' "
        "AND max(createdDateTime) >= TIMESTAMPTZ '2026-11-19 00:00:00+00' FROM signIns "
        "WHERE userId = '{persona.legacy_user.id}' AND errorCode = 53003"
    ),
    "cf2-st-bob-expenses-last-thursday": (
        "SELECT count(*) > 0 AND dayname(DATE '2026-11-12') = 'Thursday' FROM signIns "
        "WHERE userId = '{persona.bob.id}' AND errorCode = 50126 "
        "AND appDisplayName NOT LIKE 'Microsoft%' "
        "AND createdDateTime >= TIMESTAMPTZ '2026-11-12 12:00:00+00' "
        "AND createdDateTime < TIMESTAMPTZ '2026-11-12 18:00:00+00'"
    ),
    "cf2-st-priya-teams-kicked-out": (
        "SELECT count(*) > 0 FROM signIns WHERE userId = '{persona.it_admin.id}' "
        "AND errorCode = 700082 AND appDisplayName = 'Microsoft Teams' "
        "AND createdDateTime >= TIMESTAMPTZ '2026-11-16 00:00:00+00'"
    ),
    "cf2-st-compound-tomas-why-and-who-reset": (
        "SELECT (SELECT max(createdDateTime) FROM signIns WHERE userId = "
        "'{persona.lockout_user.id}' AND errorCode = 50053 "
        "AND CAST(createdDateTime AS DATE) = DATE '2026-11-15') < "
        "TIMESTAMPTZ '{scenario.lockout_password_reset.facts.activityDateTime}'"
    ),
    "cf2-ss-past-week-top-errors": (
        "SELECT errorCode = 50126 FROM signIns WHERE errorCode NOT IN (0, 50074, 50140) "
        "AND createdDateTime >= TIMESTAMPTZ '2026-11-13 10:00:00+00' "
        "GROUP BY errorCode ORDER BY count(*) DESC LIMIT 1"
    ),
    "cf2-dt-anything-dodgy-since-last-friday": (
        "SELECT min(createdDateTime) >= TIMESTAMPTZ '2026-11-13 00:00:00+00' FROM signIns "
        "WHERE ipAddress = '{scenario.mfa_fatigue.entities.ip}'"
    ),
    "cf2-dt-spray-weekend-yes-no": (
        "SELECT min(createdDateTime) >= TIMESTAMPTZ '2026-11-14 00:00:00+00' "
        "AND max(createdDateTime) < TIMESTAMPTZ '2026-11-16 00:00:00+00' FROM signIns "
        "WHERE ipAddress = '{scenario.password_spray.facts.ip}'"
    ),
    "cf2-dt-mfa-bombing": (
        "SELECT min(createdDateTime) >= TIMESTAMPTZ '2026-11-16 00:00:00+00' FROM signIns "
        "WHERE ipAddress = '{scenario.mfa_fatigue.entities.ip}'"
    ),
    "cf2-rus-bob-whats-going-on": _UNIQUE_FIRST_NAME.format(key="bob"),
    "cf2-amb-sofia-roles": (
        "SELECT count(*) > 1 FROM users WHERE givenName = "
        "(SELECT givenName FROM users WHERE id = '{persona.mfa_fatigue_user.id}')"
    ),
    "cf2-wc-tomas-staff-emea": (
        "SELECT activityDateTime >= TIMESTAMPTZ '2026-11-09 00:00:00+00' "
        "AND activityDateTime < TIMESTAMPTZ '2026-11-16 00:00:00+00' FROM directoryAudits "
        "WHERE id = '{scenario.recent_group_change.evidence.directoryAudit}'"
    ),
    "cf2-wc-rahul-role-thursday": (
        "SELECT CAST(activityDateTime AS DATE) = DATE '2026-11-19' FROM directoryAudits "
        "WHERE activityDisplayName = 'Add member to role' "
        "AND initiatedBy->'user'->>'id' = '{persona.it_admin.id}' "
        "ORDER BY activityDateTime DESC LIMIT 1"
    ),
    "cf2-wc-compound-eve-ga-and-remove": (
        "SELECT activityDateTime >= TIMESTAMPTZ '2026-11-19 18:00:00+00' "
        "AND activityDateTime < TIMESTAMPTZ '2026-11-20 06:00:00+00' "
        "AND (" + _UNIQUE_FIRST_NAME.format(key="eve") + ") FROM directoryAudits "
        "WHERE id = '{scenario.privileged_role_outside_pim.evidence.directoryAudit}'"
    ),
    "cf2-ah-runbook-this-week": (
        "SELECT count(*) = 2 AND min(activityDateTime) >= TIMESTAMPTZ '2026-11-16 00:00:00+00' "
        "FROM directoryAudits WHERE targetResources::VARCHAR LIKE "
        "'%{persona.privileged_app.id}%' OR initiatedBy::VARCHAR LIKE "
        "'%{persona.privileged_app.id}%'"
    ),
    "cf2-ah-tomas-since-lockout": (
        "SELECT count(*) = 1 FROM directoryAudits WHERE targetResources::VARCHAR LIKE "
        "'%{persona.lockout_user.id}%' AND activityDateTime >= "
        "TIMESTAMPTZ '2026-11-15 08:17:00+00'"
    ),
    "cf2-aa-marcus-this-week": (
        "SELECT activityDateTime >= TIMESTAMPTZ '2026-11-16 00:00:00+00' "
        "AND (" + _UNIQUE_FIRST_NAME.format(key="eve_role_actor") + ") FROM directoryAudits "
        "WHERE id = '{scenario.privileged_role_outside_pim.evidence.directoryAudit}'"
    ),
    "cf2-aa-priya-sunday-8th": (
        "SELECT count(*) = 2 AND dayname(DATE '2026-11-08') = 'Sunday' FROM directoryAudits "
        "WHERE initiatedBy->'user'->>'id' = '{persona.it_admin.id}' "
        "AND CAST(activityDateTime AS DATE) = DATE '2026-11-08'"
    ),
    "cf2-aa-daniel-early-thursday": (
        "SELECT count(*) = 1 FROM directoryAudits WHERE initiatedBy->'user'->>'id' = "
        "'{persona.admin_without_phishing_resistant_mfa.id}' "
        "AND activityDateTime >= TIMESTAMPTZ '2026-11-19 00:00:00+00' "
        "AND activityDateTime < TIMESTAMPTZ '2026-11-19 09:00:00+00'"
    ),
    "cf2-pc-last-3-weeks-who": _CA_UPDATES.format(
        check="count(*) = 2 AND bool_and(initiatedBy->'user'->>'id' = '{persona.it_admin.id}')",
        since="2026-10-30 10:00:00+00",
    ),
    "cf2-pc-this-week-none": _CA_UPDATES.format(
        check="count(*) = 0", since="2026-11-16 00:00:00+00"
    ),
    "cf2-lu-new-last-two-weeks": (
        "SELECT count(*) > 0 FROM users WHERE createdDateTime >= "
        "TIMESTAMPTZ '2026-11-06 10:00:00+00'"
    ),
}


def _cases() -> list[EvalCase]:
    return contoso_fresh_cases(CONTOSO_FRESH2)


def test_the_file_holds_about_60_questions() -> None:
    assert 55 <= len(_cases()) <= 75


def test_every_skill_is_asked_about() -> None:
    asked = Counter(c.skill for c in _cases() if c.skill)
    assert not {s for s in readme_skills() - SKILLS_NOT_IN_FRESH_SETS if asked[s] < 1}
    assert asked["signin_troubleshoot"] >= 5


def test_five_refusals_and_one_pending_capability() -> None:
    cases = _cases()
    assert sum(c.status == "outOfScope" for c in cases) == 5
    assert sorted(c.pending for c in cases if c.pending) == ["kql"]


def test_follow_ups_and_compound_questions_are_asked() -> None:
    cases = _cases()
    assert sum(bool(c.after) for c in cases) >= 3
    assert sum("compound" in c.id for c in cases) >= 2


@pytest.mark.parametrize("case_id", sorted(QUESTION_FACTS))
def test_what_each_question_says_about_time_holds(demo_tenant: DemoTenant, case_id: str) -> None:
    assert case_id in {c.id for c in _cases()}
    sql = fill(QUESTION_FACTS[case_id], demo_tenant.answer_key)
    assert demo_tenant.store.scalar(sql) is True, sql
