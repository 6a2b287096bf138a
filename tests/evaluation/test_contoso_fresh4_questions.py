"""The `contoso-fresh4` set: a fourth set of unseen questions on the demo tenant, held to its data.

Its floor is the count idpilot passed on its first, untuned run (after one expectation was
corrected by the data): a regression fails, an improvement is raised by hand. The shared checks
(no name written literally, every placeholder resolves, every cited id is a record, the set runs)
come from `question_sets`; the facts below pin what the questions claim about time and about
who is the only one a surname or first name can mean.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from idpilot.evaluation.cases import EvalCase, default_case_files, fill, load_cases
from idpilot.evaluation.sets import (
    CONTOSO_FRESH3,
    CONTOSO_FRESH4,
    CONTOSO_FRESH_FILES,
    SECOND_TENANT_FILES,
    SET_NAMES,
    contoso_fresh_case_file,
    contoso_fresh_cases,
    second_tenant_cases,
)
from tests.conftest import DemoTenant
from tests.evaluation.conftest import SKILLS_NOT_YET_ROUTED
from tests.evaluation.question_sets import (
    README,
    assert_no_name_written_literally,
    assert_placeholders_resolve,
    assert_second_tenant_floor,
    assert_set_runs_on_a_demo_copy,
    assert_set_skipped_without_answer_key,
    cited_ids_missing,
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
# 70 of 87 on its first, untuned run; 71 once the Singapore question cited the Singapore sign-in
# (the scenario's first sign-in is the one from Seattle).
FLOOR_PASSED = 71


def _cases() -> list[EvalCase]:
    return contoso_fresh_cases(CONTOSO_FRESH4)


def test_the_file_holds_87_questions_5_of_them_follow_ups() -> None:
    cases = _cases()
    assert len(cases) == 87
    assert len([c for c in cases if c.after]) == 5


def test_the_ids_do_not_collide_with_any_other_set() -> None:
    others = {c.id for c in load_cases(default_case_files())}
    for name in CONTOSO_FRESH_FILES:
        if name != CONTOSO_FRESH4:
            others |= {c.id for c in contoso_fresh_cases(name)}
    for half in SECOND_TENANT_FILES.values():
        others |= {c.id for c in second_tenant_cases(half)}
    assert not {c.id for c in _cases()} & others


def test_every_routed_skill_but_docs_is_asked_sign_in_troubleshooting_most() -> None:
    asked = Counter(c.skill for c in _cases() if c.skill)
    assert set(asked) <= readme_skills()
    assert readme_skills() - set(asked) == SKILLS_NOT_YET_ROUTED | {"docs_answer"}
    assert asked.most_common(1)[0][0] == "signin_troubleshoot"


def test_refusals_unknown_and_ambiguous_names() -> None:
    statuses = Counter(c.status for c in _cases() if c.skill is None)
    assert statuses == Counter({"outOfScope": 4, "notFound": 2, "ambiguous": 1})
    assert all(c.status == "ok" for c in _cases() if c.skill)


def test_the_header_states_the_snapshots_now(demo_tenant: DemoTenant) -> None:
    header = contoso_fresh_case_file(CONTOSO_FRESH4).read_text().split("\n\n- id:", 1)[0]
    assert "Friday 2026-11-20 10:00 UTC" in header
    assert demo_tenant.answer_key["capturedDateTime"] == "2026-11-20T10:00:00Z"


def test_no_name_is_written_literally(demo_tenant: DemoTenant) -> None:
    assert_no_name_written_literally(demo_tenant.store, demo_tenant.answer_key, _cases())


def test_every_placeholder_resolves(demo_tenant: DemoTenant) -> None:
    assert_placeholders_resolve(demo_tenant.store, demo_tenant.answer_key, _cases())


def test_every_cited_id_is_a_record(demo_tenant: DemoTenant) -> None:
    assert cited_ids_missing(demo_tenant.store, demo_tenant.answer_key, _cases()) == []


@pytest.mark.parametrize("case_id", sorted(QUESTION_FACTS))
def test_what_each_question_claims_holds(demo_tenant: DemoTenant, case_id: str) -> None:
    assert case_id in {c.id for c in _cases()}
    sql = fill(QUESTION_FACTS[case_id], demo_tenant.answer_key)
    assert demo_tenant.store.scalar(sql) is True, sql


def test_the_set_is_registered_after_the_third_and_listed() -> None:
    assert SET_NAMES.index(CONTOSO_FRESH4) == SET_NAMES.index(CONTOSO_FRESH3) + 1
    assert f"| `{CONTOSO_FRESH4}` |" in README.read_text()


def test_idpilot_eval_runs_the_set(demo_tenant: DemoTenant, tmp_path: Path) -> None:
    assert_set_runs_on_a_demo_copy(demo_tenant, tmp_path, CONTOSO_FRESH4)
    empty = tmp_path / "without-answer-key"
    empty.mkdir()
    assert_set_skipped_without_answer_key(empty, CONTOSO_FRESH4)


def test_the_set_does_not_regress_below_its_floor(demo_tenant: DemoTenant) -> None:
    assert_second_tenant_floor(demo_tenant.store, _cases(), demo_tenant.answer_key, FLOOR_PASSED)
