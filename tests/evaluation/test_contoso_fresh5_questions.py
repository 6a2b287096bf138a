"""The `contoso-fresh5` set: a fifth set of unseen questions on the demo tenant, held to its data.

What every fresh set of the demo tenant must hold (ids, skills, the header's "now", no name written
literally, placeholders, cited records, registration, the run and the floor) is checked for all of
them in `test_contoso_fresh_sets`. Its floor there is the count idpilot passed on its first,
untuned run. This file holds the set's own shape and the facts that pin what its questions claim
about times dated by events and about the one person a surname, a first name or an unknown name can
mean.
"""

from __future__ import annotations

from collections import Counter

import pytest

from idpilot.evaluation.cases import EvalCase, fill
from idpilot.evaluation.sets import (
    CONTOSO_FRESH5,
    contoso_fresh_cases,
)
from tests.conftest import DemoTenant
from tests.evaluation.conftest import SKILLS_NOT_IN_FRESH_SETS
from tests.evaluation.question_sets import (
    readme_skills,
)

_FAILED = "s.errorCode NOT IN (0, 50074, 50140)"
QUESTION_FACTS = {
    # "novak locked out?": four users are called Novak, one of them was locked out (50053).
    "cf5-st-terse-surname-locked-out": (
        "SELECT count(DISTINCT u.id) = 4 AND count(DISTINCT s.userId) = 1 "
        "AND any_value(s.userId) = '{persona.lockout_user.id}' FROM users u "
        "LEFT JOIN signIns s ON s.userId = u.id AND s.errorCode = 50053 "
        "WHERE u.surname = (SELECT surname FROM users WHERE id = '{persona.lockout_user.id}')"
    ),
    # "alice finance portal failing": two users are called Alice, one failed on the portal.
    "cf5-st-terse-first-name-finance-portal": (
        "SELECT count(DISTINCT u.id) = 2 AND count(DISTINCT s.userId) = 1 FROM users u "
        "LEFT JOIN signIns s ON s.userId = u.id AND " + _FAILED + " "
        "AND s.appId = '{scenario.compliant_device_failure.entities.appId}' "
        "WHERE u.givenName = (SELECT givenName FROM users WHERE id = '{persona.alice_johnson.id}')"
    ),
    # "during the weekend": Saturday the 14th and Sunday the 15th hold 643 sign-ins.
    "cf5-ss-during-the-weekend": (
        "SELECT dayname(DATE '2026-11-14') = 'Saturday' AND count(*) = 643 FROM signIns "
        "WHERE createdDateTime >= TIMESTAMPTZ '2026-11-14 00:00:00+00' "
        "AND createdDateTime < TIMESTAMPTZ '2026-11-16 00:00:00+00'"
    ),
    # "the last business day" before Friday 10:00 is Thursday the 19th: 1276 sign-ins.
    "cf5-ss-last-business-day": (
        "SELECT dayname(DATE '2026-11-19') = 'Thursday' AND count(*) = 1276 FROM signIns "
        "WHERE createdDateTime >= TIMESTAMPTZ '2026-11-19 00:00:00+00' "
        "AND createdDateTime < TIMESTAMPTZ '2026-11-20 00:00:00+00'"
    ),
    # "patch Tuesday" is November's second Tuesday, the 10th; Singapore is seen after it.
    "cf5-ss-countries-since-patch-tuesday": (
        "SELECT dayname(DATE '2026-11-10') = 'Tuesday' AND dayname(DATE '2026-11-03') = 'Tuesday' "
        "AND count(*) >= 1 FROM signIns WHERE location->>'countryOrRegion' = 'SG' "
        "AND createdDateTime >= TIMESTAMPTZ '2026-11-10 00:00:00+00'"
    ),
    # "on patch Tuesday": the removal from the admins' group is on the 10th.
    "cf5-wc-removed-from-admins-on-patch-tuesday": (
        "SELECT count(*) = 1 AND CAST(any_value(activityDateTime) AS DATE) = DATE '2026-11-10' "
        "FROM directoryAudits WHERE activityDisplayName = 'Remove member from group' "
        "AND targetResources->1->>'id' = 'df022894-6abb-400a-b0e6-8e125b9d2629'"
    ),
    # "the night of the storm (Wednesday)": the nine denied pushes are on Wednesday night.
    "cf5-st-compound-night-of-the-storm": (
        "SELECT count(*) = 9 FROM signIns WHERE userId = '{persona.mfa_fatigue_user.id}' "
        "AND errorCode = 500121 AND createdDateTime >= TIMESTAMPTZ '2026-11-18 18:00:00+00' "
        "AND createdDateTime < TIMESTAMPTZ '2026-11-19 06:00:00+00'"
    ),
    # "during the weekend": the service-desk analyst's one action then is the password reset.
    "cf5-aa-evidence-weekend-actions": (
        "SELECT count(*) = 1 "
        "AND any_value(id) = '{scenario.lockout_password_reset.evidence.directoryAudit}' "
        "FROM directoryAudits WHERE initiatedBy->'user'->>'id' = '{persona.eve_role_actor.id}' "
        "AND activityDateTime >= TIMESTAMPTZ '2026-11-14 00:00:00+00' "
        "AND activityDateTime < TIMESTAMPTZ '2026-11-16 00:00:00+00'"
    ),
    # "since the outage on Monday": three users at risk were updated from the 16th.
    "cf5-ru-risky-since-the-outage": (
        "SELECT count(*) = 3 FROM riskyUsers WHERE riskState = 'atRisk' "
        "AND riskLastUpdatedDateTime >= TIMESTAMPTZ '2026-11-16 00:00:00+00'"
    ),
    # "since the holiday on the 11th": one account was created after it.
    "cf5-lu-joined-since-the-holiday": (
        "SELECT count(*) = 1 FROM users "
        "WHERE createdDateTime >= TIMESTAMPTZ '2026-11-11 00:00:00+00'"
    ),
    # The unknown names: no such user, however typed.
    "cf5-nf-ticket-unknown-user": (
        "SELECT count(*) = 0 FROM users WHERE userPrincipalName ILIKE '%walczak%' "
        "OR surname ILIKE '%walczak%'"
    ),
    "cf5-nf-unknown-person-roles": (
        "SELECT count(*) = 0 FROM users WHERE surname ILIKE '%brannigan%' "
        "OR displayName ILIKE '%brannigan%'"
    ),
}


def _cases() -> list[EvalCase]:
    return contoso_fresh_cases(CONTOSO_FRESH5)


def test_the_file_holds_87_questions_5_of_them_follow_ups() -> None:
    cases = _cases()
    assert len(cases) == 87
    assert len([c for c in cases if c.after]) == 5


def test_every_skill_of_the_fresh_sets_but_scripts_is_asked_troubleshooting_most() -> None:
    asked = Counter(c.skill for c in _cases() if c.skill)
    assert readme_skills() - set(asked) == SKILLS_NOT_IN_FRESH_SETS | {"script_analysis"}
    assert asked.most_common(1)[0][0] == "signin_troubleshoot"


def test_refusals_and_unknown_names() -> None:
    statuses = Counter(c.status for c in _cases() if c.skill is None)
    assert statuses == Counter({"outOfScope": 4, "notFound": 2})
    assert all(c.status == "ok" for c in _cases() if c.skill)


@pytest.mark.parametrize("case_id", sorted(QUESTION_FACTS))
def test_what_each_question_claims_holds(demo_tenant: DemoTenant, case_id: str) -> None:
    assert case_id in {c.id for c in _cases()}
    sql = fill(QUESTION_FACTS[case_id], demo_tenant.answer_key)
    assert demo_tenant.store.scalar(sql) is True, sql
