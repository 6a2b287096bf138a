"""The `contoso-fresh4` set: a fourth set of unseen questions on the demo tenant, held to its data.

What every fresh set of the demo tenant must hold (ids, skills, the header's "now", no name written
literally, placeholders, cited records, registration, the run and the floor) is checked for all of
them in `test_contoso_fresh_sets`. Its floor there is the count idpilot passed on its first,
untuned run (after one expectation was corrected by the data). This file holds the set's own shape
and the facts that pin what its questions claim about time and about who is the only one a surname
or first name can mean.
"""

from __future__ import annotations

from collections import Counter

import pytest

from idpilot.evaluation.cases import EvalCase, fill
from idpilot.evaluation.sets import (
    CONTOSO_FRESH4,
    contoso_fresh_cases,
)
from tests.conftest import DemoTenant
from tests.evaluation.conftest import SKILLS_NOT_YET_ROUTED
from tests.evaluation.question_sets import (
    readme_skills,
)

_SURNAME_FAILED_ALONE = (
    "SELECT count(DISTINCT s.userId) = 1 FROM signIns s JOIN users u ON u.id = s.userId "
    "WHERE u.surname = (SELECT surname FROM users WHERE id = '%s') "
    "AND s.errorCode NOT IN (0, 50074, 50140) AND s.createdDateTime >= TIMESTAMPTZ '%s' "
    "AND s.createdDateTime < TIMESTAMPTZ '%s'"
)
QUESTION_FACTS = {
    # "novak ... sun am": of the users named Novak, only one failed on Sunday morning.
    "cf4-st-terse-surname-locked-sunday-who-unlocked": _SURNAME_FAILED_ALONE
    % ("{persona.lockout_user.id}", "2026-11-15 06:00:00+00", "2026-11-15 12:00:00+00"),
    # "tariq ... this morning": two users are called Tariq, one failed this morning.
    "cf4-st-first-name-finance-portal-working-from-home": (
        "WITH t AS (SELECT u.givenName AS g FROM signIns s JOIN users u ON u.id = s.userId "
        "WHERE s.errorCode = 53003 "
        "AND s.appId = '{scenario.compliant_device_failure.entities.appId}' "
        "AND s.createdDateTime >= TIMESTAMPTZ '2026-11-20 00:00:00+00' "
        "ORDER BY s.createdDateTime DESC LIMIT 1) "
        "SELECT (SELECT count(*) FROM users, t WHERE givenName = t.g) = 2 "
        "AND (SELECT count(DISTINCT s.userId) FROM signIns s JOIN users u ON u.id = s.userId, t "
        "WHERE u.givenName = t.g AND s.errorCode NOT IN (0, 50074, 50140) "
        "AND s.createdDateTime >= TIMESTAMPTZ '2026-11-20 00:00:00+00') = 1"
    ),
    # "zhou ... saturday afternoon": several users are called Zhou, one failed then.
    "cf4-st-surname-teams-saturday-afternoon": (
        "SELECT count(DISTINCT s.userId) = 1 AND dayname(DATE '2026-11-14') = 'Saturday' "
        "FROM signIns s JOIN users u ON u.id = s.userId WHERE s.errorCode NOT IN (0, 50074, 50140) "
        "AND u.surname = (SELECT u2.surname FROM signIns s2 JOIN users u2 ON u2.id = s2.userId "
        "WHERE s2.errorCode = 50126 AND s2.appDisplayName = 'Microsoft Teams' AND "
        "s2.createdDateTime >= TIMESTAMPTZ '2026-11-14 12:00:00+00' AND "
        "s2.createdDateTime < TIMESTAMPTZ '2026-11-14 18:00:00+00') "
        "AND s.createdDateTime >= TIMESTAMPTZ '2026-11-14 12:00:00+00' "
        "AND s.createdDateTime < TIMESTAMPTZ '2026-11-14 18:00:00+00'"
    ),
    # "the day before yesterday in the evening" is Wednesday the 18th.
    "cf4-st-surname-finance-portal-day-before-yesterday-evening": (
        "SELECT dayname(DATE '2026-11-18') = 'Wednesday' AND count(*) = 1 FROM signIns "
        "WHERE errorCode = 53003 AND createdDateTime >= TIMESTAMPTZ '2026-11-18 18:00:00+00' "
        "AND createdDateTime < TIMESTAMPTZ '2026-11-19 00:00:00+00'"
    ),
    # "wednesday night": the denied pushes fall between Wednesday 18:00 and Thursday 06:00.
    "cf4-st-legal-phone-buzzing-wednesday-night": (
        "SELECT count(*) = 9 FROM signIns WHERE userId = '{persona.mfa_fatigue_user.id}' "
        "AND errorCode = 500121 AND createdDateTime >= TIMESTAMPTZ '2026-11-18 18:00:00+00' "
        "AND createdDateTime < TIMESTAMPTZ '2026-11-19 06:00:00+00'"
    ),
    # "since tuesday": the Tor sign-in is on Tuesday the 17th.
    "cf4-rk-tor-since-tuesday": (
        "SELECT dayname(createdDateTime) = 'Tuesday' AND createdDateTime >= TIMESTAMPTZ "
        "'2026-11-17 00:00:00+00' FROM signIns "
        "WHERE id = '{scenario.leaked_credentials.evidence.signIn}'"
    ),
    # "yesterday": the Global Administrator assignment is on Thursday the 19th.
    "cf4-ad-what-did-service-desk-analyst-do-yesterday": (
        "SELECT CAST(activityDateTime AS DATE) = DATE '2026-11-19' FROM directoryAudits "
        "WHERE id = '{scenario.privileged_role_outside_pim.evidence.directoryAudit}'"
    ),
    # "the ambiguous first name": two users share it.
    "cf4-amb-first-name-roles": (
        "SELECT count(*) = 2 FROM users "
        "WHERE givenName = (SELECT givenName FROM users WHERE id = '{persona.alice_johnson.id}')"
    ),
    "cf4-nf-unknown-group-owner": (
        "SELECT count(*) = 0 FROM groups WHERE displayName ILIKE '%kraken%'"
    ),
}


def _cases() -> list[EvalCase]:
    return contoso_fresh_cases(CONTOSO_FRESH4)


def test_the_file_holds_87_questions_5_of_them_follow_ups() -> None:
    cases = _cases()
    assert len(cases) == 87
    assert len([c for c in cases if c.after]) == 5


def test_every_routed_skill_but_docs_is_asked_sign_in_troubleshooting_most() -> None:
    asked = Counter(c.skill for c in _cases() if c.skill)
    assert set(asked) <= readme_skills()
    assert readme_skills() - set(asked) == SKILLS_NOT_YET_ROUTED | {"docs_answer"}
    assert asked.most_common(1)[0][0] == "signin_troubleshoot"


def test_refusals_unknown_and_ambiguous_names() -> None:
    statuses = Counter(c.status for c in _cases() if c.skill is None)
    assert statuses == Counter({"outOfScope": 4, "notFound": 2, "ambiguous": 1})
    assert all(c.status == "ok" for c in _cases() if c.skill)


@pytest.mark.parametrize("case_id", sorted(QUESTION_FACTS))
def test_what_each_question_claims_holds(demo_tenant: DemoTenant, case_id: str) -> None:
    assert case_id in {c.id for c in _cases()}
    sql = fill(QUESTION_FACTS[case_id], demo_tenant.answer_key)
    assert demo_tenant.store.scalar(sql) is True, sql
