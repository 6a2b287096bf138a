"""The `contoso-fresh6` set: a sixth set of unseen questions on the demo tenant, held to its data.

What every fresh set of the demo tenant must hold (no name written literally, every placeholder
resolves, every cited id is a record, the set is registered, runs and keeps its floor) is checked
for all of them in `test_contoso_fresh_sets`. This file holds what is this set's own: its shape
(how many questions, which skills, refusals and follow-ups) and what its questions claim about
time ("this morning", "the weekend", "last week", "overnight"), about things described instead of
named ("the app the field techs use", "the group for everyone at HQ") and about the false
premises the data contradicts ("he only got the password wrong once").
"""

from __future__ import annotations

from collections import Counter

import pytest

from idpilot.evaluation.cases import EvalCase, fill
from idpilot.evaluation.sets import CONTOSO_FRESH6, contoso_fresh_cases
from tests.conftest import DemoTenant
from tests.evaluation.conftest import SKILLS_NOT_YET_ROUTED
from tests.evaluation.question_sets import readme_skills

_REAL_FAILURE = "errorCode NOT IN (0, 50074, 50140, 700082)"
_FIELD_APPS = (
    "SELECT s.appDisplayName FROM signIns s JOIN users u ON u.id = s.userId "
    "GROUP BY s.appDisplayName HAVING count(DISTINCT u.department) = 2 "
    "AND min(u.department) = 'Customer Support' AND max(u.department) = 'Operations'"
)
QUESTION_FACTS = {
    # "this morning ... she's in finance": three compliant-device failures before 10:00 today.
    "cf6-st-phone-portal-own-laptop": (
        "SELECT count(*) = 3 AND (SELECT department FROM users "
        "WHERE id = '{persona.alice_johnson.id}') = 'Finance' FROM signIns "
        "WHERE userId = '{persona.alice_johnson.id}' AND errorCode = 53000 "
        "AND createdDateTime >= TIMESTAMPTZ '2026-11-20 00:00:00+00' "
        "AND createdDateTime < TIMESTAMPTZ '2026-11-20 10:00:00+00'"
    ),
    # False premise "only got the password wrong once": six wrong passwords, then the lock.
    "cf6-st-phone-locked-out-false-premise": (
        "SELECT count(*) FILTER (WHERE errorCode = 50126) = 6 "
        "AND count(*) FILTER (WHERE errorCode = 50053) > 0 FROM signIns "
        "WHERE userId = '{persona.lockout_user.id}' AND CAST(createdDateTime AS DATE) = "
        "DATE '2026-11-15'"
    ),
    # "the mail app on her old phone": every block is a legacy mail protocol.
    "cf6-st-phone-old-phone-mail": (
        "SELECT count(*) >= 10 AND bool_and(clientAppUsed IN ('IMAP4', 'POP3', "
        "'Authenticated SMTP')) FROM signIns WHERE userId = '{persona.legacy_user.id}' "
        "AND errorCode = 53003"
    ),
    # False premise "can't get into outlook from singapore this week": it worked, on Monday.
    "cf6-st-phone-travelling-singapore": (
        "SELECT count(*) = 1 AND bool_and(errorCode = 0) AND min(createdDateTime) >= "
        "TIMESTAMPTZ '2026-11-16 00:00:00+00' FROM signIns "
        "WHERE userId = '{persona.impossible_travel_user.id}' "
        "AND location->>'countryOrRegion' = 'SG'"
    ),
    # False premise "blocked from the finance portal too": no failure, no portal sign-in at all.
    "cf6-st-phone-colleague-also-blocked": (
        "SELECT count(*) > 0 AND count(*) FILTER (WHERE " + _REAL_FAILURE + ") = 0 "
        "AND count(*) FILTER (WHERE appId = '{scenario.compliant_device_failure.entities.appId}') "
        "= 0 FROM signIns WHERE userId = '{persona.alice_other.id}'"
    ),
    # "from legal ... late wednesday night": nine denied pushes between Wednesday 18:00 and 06:00.
    "cf6-st-phone-denied-requests": (
        "SELECT count(*) = 9 AND (SELECT department FROM users "
        "WHERE id = '{persona.mfa_fatigue_user.id}') = 'Legal' FROM signIns "
        "WHERE userId = '{persona.mfa_fatigue_user.id}' AND errorCode = 500121 "
        "AND createdDateTime >= TIMESTAMPTZ '2026-11-18 18:00:00+00' "
        "AND createdDateTime < TIMESTAMPTZ '2026-11-19 06:00:00+00'"
    ),
    # "yesterday" is Thursday the 19th: 1276 sign-ins.
    "cf6-st-manager-bullets-yesterday": (
        "SELECT dayname(DATE '2026-11-19') = 'Thursday' AND count(*) = 1276 FROM signIns "
        "WHERE CAST(createdDateTime AS DATE) = DATE '2026-11-19'"
    ),
    # "since monday": the legacy-mail user failed more often than anyone else from the 16th.
    "cf6-st-most-failures-since-monday": (
        "SELECT arg_max(userId, n) = '{persona.legacy_user.id}' AND max(n) > "
        "(SELECT max(n) FROM (SELECT count(*) n FROM signIns WHERE " + _REAL_FAILURE + " "
        "AND createdDateTime >= TIMESTAMPTZ '2026-11-16 00:00:00+00' "
        "AND userId <> '{persona.legacy_user.id}' GROUP BY userId)) "
        "FROM (SELECT userId, count(*) n FROM signIns WHERE " + _REAL_FAILURE + " "
        "AND createdDateTime >= TIMESTAMPTZ '2026-11-16 00:00:00+00' GROUP BY userId)"
    ),
    # "the app the field techs in operations and support use": one app only they use.
    "cf6-st-described-app-failures": f"SELECT count(*) = 1 FROM ({_FIELD_APPS})",
    "cf6-ad-described-field-app": f"SELECT count(*) = 1 FROM ({_FIELD_APPS})",
    # "over the weekend" is Saturday 14 and Sunday 15; the records call 700082 an expected step
    # of the token lifecycle, so 45 sign-ins really failed.
    "cf6-st-weekend-failures-not-mfa": (
        "SELECT dayname(DATE '2026-11-14') = 'Saturday' AND count(*) FILTER (WHERE "
        + _REAL_FAILURE
        + ") = 45 AND bool_and(status->>'additionalDetails' LIKE 'Expected part of the token%') "
        "FILTER (WHERE errorCode = 700082) FROM signIns "
        "WHERE createdDateTime >= TIMESTAMPTZ '2026-11-14 00:00:00+00' "
        "AND createdDateTime < TIMESTAMPTZ '2026-11-16 00:00:00+00'"
    ),
    # "of the people still flagged, who was flagged first": the sprayed service account.
    "cf6-ru-flagged-first": (
        "SELECT arg_min(userId, activityDateTime) = '{persona.spray_victim.id}' "
        "FROM riskDetections WHERE userId IN (SELECT id FROM riskyUsers WHERE riskState = 'atRisk')"
    ),
    # False premise "flagged for leaked credentials": the traveller's one detection is travel.
    "cf6-rs-leaked-false-premise": (
        "SELECT count(*) = 1 AND any_value(riskEventType) = "
        "'{scenario.impossible_travel.facts.riskEventType}' FROM riskDetections "
        "WHERE userId = '{persona.impossible_travel_user.id}'"
    ),
    # "over the weekend": the spray ran on Saturday the 14th.
    "cf6-dt-spraying-over-weekend": (
        "SELECT min(createdDateTime) >= TIMESTAMPTZ '2026-11-14 00:00:00+00' "
        "AND max(createdDateTime) < TIMESTAMPTZ '2026-11-16 00:00:00+00' FROM signIns "
        "WHERE ipAddress = '{scenario.password_spray.entities.ip}'"
    ),
    # "overnight": the Global Administrator assignment falls between Thursday 18:00 and 06:00.
    "cf6-dt-anything-dodgy-overnight": (
        "SELECT activityDateTime >= TIMESTAMPTZ '2026-11-19 18:00:00+00' "
        "AND activityDateTime < TIMESTAMPTZ '2026-11-20 06:00:00+00' FROM directoryAudits "
        "WHERE id = '{scenario.privileged_role_outside_pim.evidence.directoryAudit}'"
    ),
    # False premise "who approved": no audit event approves anything in the tenant.
    "cf6-wc-who-approved-global-admin": (
        "SELECT count(*) = 0 FROM directoryAudits WHERE activityDisplayName ILIKE '%approv%'"
    ),
    # "the group that lets the emergency accounts skip conditional access": one group, one removal.
    "cf6-wc-described-emergency-group-removal": (
        "SELECT count(*) = 1 FROM directoryAudits a JOIN groups g "
        "ON g.id = a.targetResources->1->>'id' WHERE a.activityDisplayName = "
        "'Remove member from group' AND g.description ILIKE 'Emergency access%' "
        "AND (SELECT count(*) FROM groups WHERE description ILIKE 'Emergency access%') = 1"
    ),
    # "the exclusion group for service accounts that can't do mfa": one group so described.
    "cf6-wc-scanner-into-exclusion-group": (
        "SELECT count(*) = 1 FROM directoryAudits a JOIN groups g "
        "ON g.id = a.targetResources->1->>'id' WHERE a.activityDisplayName = "
        "'Add member to group' AND a.targetResources->0->>'id' = '{persona.spray_victim.id}' "
        "AND g.description ILIKE 'Service accounts that cannot perform MFA%'"
    ),
    # "this month": the one removal from the IT admins' group is in November.
    "cf6-wc-removed-from-it-admins": (
        "SELECT count(*) = 1 AND min(a.activityDateTime) >= TIMESTAMPTZ '2026-11-01 00:00:00+00' "
        "FROM directoryAudits a JOIN groups g ON g.id = a.targetResources->1->>'id' "
        "WHERE a.activityDisplayName = 'Remove member from group' "
        "AND g.description = 'IT administration staff'"
    ),
    # "the first person added to an admin role this month": two were, Eve second.
    "cf6-ah-first-role-added-this-month": (
        "SELECT count(*) = 2 AND arg_max(targetResources->0->>'id', activityDateTime) = "
        "'{persona.eve.id}' FROM directoryAudits WHERE activityDisplayName = 'Add member to role' "
        "AND activityDateTime >= TIMESTAMPTZ '2026-11-01 00:00:00+00'"
    ),
    # "last week" is Monday 9 to Sunday 15: eight resets, all by the helpdesk's analyst.
    "cf6-ah-resets-last-week-count": (
        "SELECT count(*) = 8 AND bool_and(initiatedBy->'user'->>'id' = "
        "'{persona.eve_role_actor.id}') FROM directoryAudits WHERE activityDisplayName IN "
        "('Reset user password', 'Reset password (by admin)') "
        "AND activityDateTime >= TIMESTAMPTZ '2026-11-09 00:00:00+00' "
        "AND activityDateTime < TIMESTAMPTZ '2026-11-16 00:00:00+00'"
    ),
    # "that automation app": one application is called so.
    "cf6-aa-described-automation-app": (
        "SELECT count(*) = 1 AND any_value(id) = '{persona.privileged_app.id}' "
        "FROM servicePrincipals WHERE displayName ILIKE '%automation%'"
    ),
    # "the app whose client secret runs out in january": one app's secret ends then.
    "cf6-ad-described-secret-runs-out-january": (
        "SELECT count(*) = 1 AND any_value(appId) = '{persona.privileged_app.appId}' "
        "FROM applications "
        'WHERE passwordCredentials::VARCHAR LIKE \'%"endDateTime":"2027-01-%\''
    ),
    # "the document signing app from our partner": one service principal of another tenant.
    "cf6-ad-described-partner-signing-app": (
        "SELECT count(*) = 1 AND any_value(appOwnerOrganizationId) <> "
        "(SELECT id FROM organization LIMIT 1) FROM servicePrincipals "
        "WHERE displayName ILIKE '%document%sign%'"
    ),
    # "the group for everyone at HQ in seattle": one group so described.
    "cf6-gd-described-seattle-hq-group": (
        "SELECT count(*) = 1 FROM groups WHERE description ILIKE 'Everyone%Seattle HQ%'"
    ),
    # "is an engineer ... why isn't she in the automatic engineering group": her account is off.
    "cf6-gr-disabled-engineer-not-in-group": (
        "SELECT count(*) = 1 AND NOT bool_or(m.member_id IS NOT NULL) FROM users u "
        "LEFT JOIN group_members m ON m.member_id = u.id AND m.group_id = (SELECT id FROM groups "
        "WHERE membershipRule LIKE '%\"Engineering\"%') "
        "WHERE u.department = 'Engineering' AND NOT u.accountEnabled"
    ),
    # "the everyone-in-the-company group": he is in it through the regional group he was added to.
    "cf6-mp-everyone-group": (
        "SELECT count(*) = 1 FROM group_parents WHERE child_id = "
        "'{scenario.recent_group_change.entities.groupId}' AND parent_id = "
        "(SELECT id FROM groups WHERE description ILIKE 'Every Contoso employee%')"
    ),
    # "the london office": 30 people work in London.
    "cf6-lu-described-london-office": "SELECT count(*) = 30 FROM users WHERE city = 'London'",
    # "travelling in russia": Russia is in the named location a policy blocks.
    "cf6-cw-travelling-to-blocked-country": (
        "SELECT count(*) = 1 FROM namedLocations WHERE countriesAndRegions LIKE '%\"RU\"%'"
    ),
    # False premise "no exceptions": the legacy-authentication block excludes one account.
    "cf6-cc-legacy-no-exceptions-false-premise": (
        "SELECT json_array_length(conditions->'users'->'excludeUsers') = 1 "
        "FROM conditionalAccessPolicies "
        "WHERE id = '{scenario.breakglass_not_excluded.entities.policyId}'"
    ),
    # "when did someone last change a policy": the break-glass exclusion's removal.
    "cf6-pc-last-policy-change": (
        "SELECT arg_max(id, activityDateTime) = "
        "'{scenario.breakglass_exclusion_removed.evidence.directoryAudit}' FROM directoryAudits "
        "WHERE activityDisplayName = 'Update conditional access policy'"
    ),
    # "the evidence period 1 to 15 November": both policy changes fall in it.
    "cf6-pc-evidence-period-first-half-november": (
        "SELECT count(*) = 2 AND bool_and(activityDateTime >= TIMESTAMPTZ '2026-11-01 00:00:00+00' "
        "AND activityDateTime < TIMESTAMPTZ '2026-11-16 00:00:00+00') FROM directoryAudits "
        "WHERE activityDisplayName = 'Update conditional access policy'"
    ),
    # "this week": two users registered security info from Monday.
    "cf6-mfa-new-security-info-this-week": (
        "SELECT count(*) = 2 FROM directoryAudits WHERE activityDisplayName = "
        "'User registered security info' AND activityDateTime >= "
        "TIMESTAMPTZ '2026-11-16 00:00:00+00'"
    ),
    # "she never gets the text": her only registered method is a phone.
    "cf6-mfa-phone-keeps-asking-for-code": (
        "SELECT methodsRegistered::VARCHAR = '[\"mobilePhone\"]' FROM userRegistrationDetails "
        "WHERE id = '{persona.mfa_fatigue_user.id}'"
    ),
    # False premise "signing in every day this week": no sign-in since June.
    "cf6-ud-partner-signing-in-false-premise": (
        "SELECT CAST(signInActivity->>'lastSignInDateTime' AS TIMESTAMPTZ) < "
        "TIMESTAMPTZ '2026-11-16 00:00:00+00' AND (SELECT count(*) FROM signIns "
        "WHERE userId = '{persona.stale_guest.id}') = 0 FROM users "
        "WHERE id = '{persona.stale_guest.id}'"
    ),
    # "a couple of the new starters": two onboarding runs failed, both for November's accounts.
    "cf6-lw-onboarding-failed-two-starters": (
        "SELECT count(*) = 2 AND bool_and(u.createdDateTime >= "
        "TIMESTAMPTZ '2026-11-01 00:00:00+00') FROM lifecycleWorkflowUserProcessingResults r "
        "JOIN users u ON u.id = r.subjectId WHERE r.failedTasksCount > 0"
    ),
    # The unknown names: nobody is called so, however typed.
    "cf6-nf-phone-unknown-caller": (
        "SELECT count(*) = 0 FROM users WHERE displayName ILIKE '%raskova%' "
        "OR givenName ILIKE 'gunnhild' OR userPrincipalName ILIKE '%raskova%'"
    ),
    "cf6-nf-unknown-person-roles": (
        "SELECT count(*) = 0 FROM users WHERE displayName ILIKE '%brathwaite%' "
        "OR givenName ILIKE 'ezekiel' OR userPrincipalName ILIKE '%brathwaite%'"
    ),
}


def _cases() -> list[EvalCase]:
    return contoso_fresh_cases(CONTOSO_FRESH6)


def test_the_file_holds_89_questions_5_of_them_follow_ups() -> None:
    cases = _cases()
    assert len(cases) == 89
    assert len([c for c in cases if c.after]) == 5


def test_every_skill_but_docs_is_asked_troubleshooting_most() -> None:
    asked = Counter(c.skill for c in _cases() if c.skill)
    assert readme_skills() - set(asked) == SKILLS_NOT_YET_ROUTED | {"docs_answer"}
    assert asked.most_common(1)[0][0] == "signin_troubleshoot"


def test_weighted_as_admins_ask() -> None:
    asked = Counter(c.skill for c in _cases() if c.skill and not c.after)
    assert sum(asked[s] for s in ("signin_troubleshoot", "explain_error", "signin_summary")) == 13
    risk = ("risky_users", "risky_user_summary", "detect_threats", "workload_identity_risk")
    assert sum(asked[s] for s in risk) == 10
    assert sum(asked[s] for s in ("ca_whatif", "ca_coverage", "policy_changes")) == 10
    assert sum(asked[s] for s in ("kql_write", "kql_tables")) == 3
    assert asked["script_analysis"] == 2
    assert asked["report"] + asked["policy_draft"] == 4


def test_refusals_and_unknown_names() -> None:
    statuses = Counter(c.status for c in _cases() if c.skill is None)
    assert statuses == Counter({"outOfScope": 3, "notFound": 2})
    assert all(c.status == "ok" for c in _cases() if c.skill)


@pytest.mark.parametrize("case_id", sorted(QUESTION_FACTS))
def test_what_each_question_claims_holds(demo_tenant: DemoTenant, case_id: str) -> None:
    assert case_id in {c.id for c in _cases()}
    sql = fill(QUESTION_FACTS[case_id], demo_tenant.answer_key)
    assert demo_tenant.store.scalar(sql) is True, sql
