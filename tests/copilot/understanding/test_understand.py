"""A prompt becomes one typed request on the demo tenant: scope, intent, names, parts."""

from __future__ import annotations

from typing import Any

import pytest

from idpilot.copilot import engine as engine_module
from idpilot.copilot.engine import Copilot
from idpilot.copilot.session import Session
from idpilot.copilot.understanding import understand as understand_module
from idpilot.copilot.understanding.filters import user_filters
from idpilot.copilot.understanding.request import QuestionForm, Scope
from idpilot.copilot.understanding.understand import mask_names, question_form, understand
from idpilot.skills import Slot, default_registry
from tests.conftest import DemoTenant


def _understand(demo: DemoTenant, prompt: str):
    return understand(demo.store, default_registry(), prompt, demo.store.captured_at())


def _persona(demo: DemoTenant, key: str) -> dict[str, Any]:
    return demo.answer_key["personas"][key]


def test_unrelated_prompts_are_out_of_scope_and_run_no_skill(demo_tenant: DemoTenant) -> None:
    copilot = Copilot(demo_tenant.store)
    for prompt in ("reverse a linked list in python", "which stocks should I buy this year?"):
        answer = copilot.ask(prompt)
        assert answer.status.value == "outOfScope" and answer.skills == [], prompt


def test_asking_what_idpilot_can_do_lists_its_skills(demo_tenant: DemoTenant) -> None:
    request = _understand(demo_tenant, "what can you do?")
    assert request.scope is Scope.capabilities
    answer = Copilot(demo_tenant.store).ask("what can you do?")
    assert answer.skills == [] and "Signin troubleshoot" in answer.answer


def test_names_are_masked_before_the_intent_is_read(demo_tenant: DemoTenant) -> None:
    alice = _persona(demo_tenant, "alice_johnson")
    prompt = f"why did {alice['displayName']} fail to sign in to 10.1.2.3 with AADSTS50126?"
    request = _understand(demo_tenant, prompt)
    masked = mask_names(prompt, request.entities)
    assert alice["displayName"] not in masked and "10.1.2.3" not in masked
    assert request.intent == "signin_troubleshoot"


def test_a_compound_prompt_runs_one_skill_per_question(demo_tenant: DemoTenant) -> None:
    bob = _persona(demo_tenant, "bob")["displayName"]
    answer = Copilot(demo_tenant.store).ask(
        f"why did {bob} fail to sign in yesterday, and is he risky?"
    )
    assert [s.name for s in answer.skills] == ["signin_troubleshoot", "risky_user_summary"]


def test_a_name_the_tenant_lacks_is_reported_not_another_answer(demo_tenant: DemoTenant) -> None:
    answer = Copilot(demo_tenant.store).ask("why did Zebulon Quackenbush fail to sign in?")
    assert answer.status.value == "notFound" and "Zebulon Quackenbush" in answer.answer


@pytest.mark.parametrize(
    ("prompt", "form"),
    [
        ("how many guests do we have?", QuestionForm.count),
        ("is Bob a global admin?", QuestionForm.yes_no),
        ("why did the sign-in fail?", QuestionForm.explain),
        ("list the disabled accounts", QuestionForm.list),
    ],
)
def test_question_form(prompt: str, form: QuestionForm) -> None:
    assert question_form(prompt) is form


def test_no_builtin_skill_reads_the_prompt() -> None:
    readers = {
        skill.name: name
        for skill in default_registry().all()
        for name, kind in skill.slots().items()
        if kind is Slot.free_text
    }
    assert readers == {}


def test_only_the_documentation_and_the_query_writer_read_the_question() -> None:
    # kql_write hands the question to a configured model, whose query the translator checks.
    readers = {
        skill.name
        for skill in default_registry().all()
        for kind in skill.slots().values()
        if kind is Slot.question
    }
    assert readers == {"docs_answer", "kql_write"}


def test_names_are_resolved_once_per_prompt(
    demo_tenant: DemoTenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = []
    original = understand_module.resolve_entities

    def counting(store, prompt):  # type: ignore[no-untyped-def]
        calls.append(prompt)
        return original(store, prompt)

    monkeypatch.setattr(understand_module, "resolve_entities", counting)
    assert engine_module  # the engine plans through the understanding layer
    alice = _persona(demo_tenant, "alice_johnson")["displayName"]
    Copilot(demo_tenant.store).ask(f"why did {alice} fail to sign in, and is she risky?")
    assert len(calls) == 1


def test_a_condition_that_cannot_be_applied_is_said(demo_tenant: DemoTenant) -> None:
    answer = Copilot(demo_tenant.store).ask("how many guests who work night shifts are there?")
    assert answer.skills[0].name == "list_users"
    assert answer.answer.startswith("**Not applied:**") and "work night shifts" in answer.answer
    assert answer.limits and "not applied" in answer.limits


def test_users_without_mfa_are_counted_by_registration(demo_tenant: DemoTenant) -> None:
    answer = Copilot(demo_tenant.store).ask("how many users have no MFA method registered?")
    unregistered = demo_tenant.store.scalar(
        "SELECT count(*) FROM users u WHERE NOT coalesce((SELECT r.isMfaRegistered FROM "
        "userRegistrationDetails r WHERE r.id = u.id), FALSE)"
    )
    total = demo_tenant.store.scalar("SELECT count(*) FROM users")
    assert 0 < unregistered < total
    assert answer.skills[0].params.get("mfa_registered") is False
    assert f"{unregistered}" in answer.answer


def test_a_question_about_one_detection_answers_that_detection_first(
    demo_tenant: DemoTenant,
) -> None:
    answer = Copilot(demo_tenant.store).ask("did anyone spray passwords at us?")
    assert answer.skills[0].name == "detect_threats"
    assert answer.skills[0].params["focus"] == ["passwordSpray"]
    assert answer.answer.startswith("**Yes: 1 finding of password spray**")
    scenarios = {s["id"]: s for s in demo_tenant.answer_key["scenarios"]}
    spray = scenarios["password_spray"]["entities"]["ip"]
    first_finding = answer.answer.split("**1. ")[1].split("\n\n")[0]
    assert first_finding.startswith("Password spray") and spray in first_finding


def test_a_short_follow_up_goes_on_asking_what_the_last_turn_asked(
    demo_tenant: DemoTenant,
) -> None:
    copilot = Copilot(demo_tenant.store)
    session = Session()
    alice = _persona(demo_tenant, "alice_johnson")["displayName"]
    first = copilot.ask(f"why did {alice} fail to sign in today?", session)
    assert first.skills[0].name == "signin_troubleshoot"
    again = copilot.ask("does it work for her now?", session)
    assert again.skills[0].name == "signin_troubleshoot"
    assert again.skills[0].params["user"] == first.skills[0].params["user"]
    elliptic = copilot.ask("and yesterday?", session)
    assert elliptic.skills[0].name == "signin_troubleshoot" and elliptic.status.value == "ok"
    assert elliptic.skills[0].params["user"] == first.skills[0].params["user"]
    assert elliptic.skills[0].params["window"]["phrase"] == "yesterday"


def test_admins_without_mfa_are_role_holders_filtered_by_registration(
    demo_tenant: DemoTenant,
) -> None:
    answer = Copilot(demo_tenant.store).ask("which global admins are not registered for MFA?")
    assert answer.skills[0].name == "role_holders"
    assert answer.skills[0].params["mfa_registered"] is False
    unregistered_admins = demo_tenant.store.query(
        "SELECT DISTINCT a.principalId AS id FROM roleAssignments a "
        "JOIN roleDefinitions d ON d.id = a.roleDefinitionId OR d.templateId = a.roleDefinitionId "
        "WHERE d.displayName = 'Global Administrator' AND NOT coalesce((SELECT r.isMfaRegistered "
        "FROM userRegistrationDetails r WHERE r.id = a.principalId), FALSE) "
        "AND a.principalId IN (SELECT id FROM users)"
    )
    cited = {c.id for c in answer.citations}
    assert unregistered_admins and {r["id"] for r in unregistered_admins} <= cited
    assert "none registered" in answer.answer and answer.limits is None


def test_who_signed_in_from_a_city_is_narrowed_to_that_city(demo_tenant: DemoTenant) -> None:
    city = demo_tenant.store.scalar("SELECT min(city) FROM sign_in_places")
    answer = Copilot(demo_tenant.store).ask(f"who signed in from {city}?")
    assert answer.skills[0].name == "signin_summary"
    assert answer.skills[0].params["cities"] == [city]
    cited = [c.id for c in answer.citations]
    cities = demo_tenant.store.query(
        "SELECT DISTINCT json_extract_string(location, '$.city') AS city FROM signIns "
        "WHERE id IN (SELECT unnest(?))",
        [cited],
    )
    assert cited and {row["city"] for row in cities} == {city}


def test_should_a_user_be_in_a_dynamic_group_is_answered_for_that_user(
    demo_tenant: DemoTenant,
) -> None:
    group = demo_tenant.store.query(
        "SELECT id, displayName FROM groups WHERE membershipRule IS NOT NULL "
        "AND membershipRule NOT LIKE 'device.%' ORDER BY displayName LIMIT 1"
    )[0]
    member = demo_tenant.store.query(
        "SELECT u.id, u.displayName FROM group_members m JOIN users u ON u.id = m.member_id "
        "WHERE m.group_id = ? ORDER BY u.displayName LIMIT 1",
        [group["id"]],
    )[0]
    answer = Copilot(demo_tenant.store).ask(
        f"should {member['displayName']} still be in {group['displayName']} by its rule?"
    )
    assert answer.skills[0].name == "group_rule"
    assert answer.answer.split(":")[0] in ("**Yes", "**No")
    assert {member["id"], group["id"]} <= {c.id for c in answer.citations}


def test_a_question_word_is_not_an_unapplied_condition(demo_tenant: DemoTenant) -> None:
    answer = Copilot(demo_tenant.store).ask("who are the global admins?")
    assert answer.skills[0].name == "role_holders" and answer.limits is None
    assert not answer.answer.startswith("**Not applied")


def test_the_office_is_a_place_not_an_app(demo_tenant: DemoTenant) -> None:
    bob = _persona(demo_tenant, "bob")["displayName"]
    request = _understand(demo_tenant, f"what if {bob} signs in from the office with IMAP?")
    assert request.stated.values["trusted_location"] is True
    assert request.stated.values["client_app"] == "other"
    assert not request.entities.of_kind("servicePrincipal")


def test_a_quoted_error_message_reads_as_a_message(demo_tenant: DemoTenant) -> None:
    request = _understand(demo_tenant, "Bob gets 'you can't get there from here' on his Mac")
    assert "an error message" in mask_names(request.prompt, request.entities)
    assert request.intent == "signin_troubleshoot"


def test_a_department_is_read_as_a_department_not_a_group_its_words_come_close_to(
    demo_tenant: DemoTenant,
) -> None:
    request = _understand(demo_tenant, "everyone in Marketing")
    assert request.intent == "list_users" and request.stated.values["department"] == "Marketing"
    assert not request.entities.of_kind("group")
    # A group whose longer name holds the department's words is the group.
    request = _understand(demo_tenant, "members of marketing team")
    assert request.intent == "group_details"
    assert [m.label for m in request.entities.of_kind("group")] == ["Marketing Team"]


def test_the_pronoun_it_is_not_the_it_department(demo_tenant: DemoTenant) -> None:
    request = _understand(demo_tenant, "my sign-in loops back to the login page, it never ends")
    assert "department" not in request.stated.values
    request = _understand(demo_tenant, "list users in IT")
    assert request.stated.values.get("department") == "IT"


def test_a_person_described_by_department_is_the_person(demo_tenant: DemoTenant) -> None:
    bob = _persona(demo_tenant, "bob")
    request = _understand(
        demo_tenant,
        f"{bob['displayName'].split()[0]} from finance can't get into anything since Monday",
    )
    assert request.intent == "signin_troubleshoot"


def test_a_hypothetical_sign_in_is_a_what_if(demo_tenant: DemoTenant) -> None:
    bob = _persona(demo_tenant, "bob")
    request = _understand(demo_tenant, f"what if {bob['displayName']} connects with IMAP?")
    assert request.intent == "ca_whatif"


def test_countries_and_cities_are_read_as_places(demo_tenant: DemoTenant) -> None:
    request = _understand(demo_tenant, "who signed in from the Netherlands last week?")
    assert request.intent == "signin_summary" and request.stated.values["countries"] == ["NL"]
    # A language is not a place to sign in from.
    request = _understand(demo_tenant, "translate 'reset your password' into Polish")
    assert request.scope is Scope.out


def test_a_question_about_a_user_and_a_group_is_not_a_description_of_the_user(
    demo_tenant: DemoTenant,
) -> None:
    bob = _persona(demo_tenant, "bob")["displayName"]
    answer = Copilot(demo_tenant.store).ask(f"should {bob} be in DYN-Sales-Enabled?")
    assert [call.name for call in answer.skills] == ["group_rule"]


def test_is_he_fine_now_goes_on_troubleshooting(
    demo_tenant: DemoTenant,
) -> None:
    bob = _persona(demo_tenant, "bob")["displayName"]
    copilot, session = Copilot(demo_tenant.store), Session()
    copilot.ask(f"why did {bob} fail to sign in?", session=session)
    answer = copilot.ask("is he fine now?", session=session)
    assert [call.name for call in answer.skills] == ["signin_troubleshoot"]


def test_a_question_after_a_statement_is_what_is_asked(demo_tenant: DemoTenant) -> None:
    user = _persona(demo_tenant, "alice_johnson")["displayName"]
    request = _understand(
        demo_tenant, f"{user} somehow has Cloud Application Administrator. who granted that"
    )
    assert request.intent == "who_changed"
    # "... can you check" asks nothing of its own: the statement keeps its reading.
    vague = _understand(demo_tenant, f"{user} keeps failing to sign in to teams. can you check")
    assert vague.intent == "signin_troubleshoot"


def test_a_city_that_says_where_someone_works_is_not_a_sign_in_place(
    demo_tenant: DemoTenant,
) -> None:
    first = _persona(demo_tenant, "alice_johnson")["displayName"].split()[0].lower()
    request = _understand(
        demo_tenant, f"new starter {first} in seattle - is her account ready, any mfa set up?"
    )
    assert request.intent == "user_details"
    what_if = _understand(demo_tenant, f"what would happen if {first} signs in from seattle?")
    assert what_if.intent == "ca_whatif"


def test_a_name_typed_without_its_punctuation_is_that_name(demo_tenant: DemoTenant) -> None:
    request = _understand(demo_tenant, "who owns finance all?")
    (group,) = [m for m in request.entities.matches if m.kind == "group"]
    assert group.label == "Finance - All" and group.quality.value == "exact"
    # and "the <name> group" is read as "the group", in prompts as in exemplars
    masked = mask_names("who owns the finance all group?", request.entities)
    assert masked == "who owns the group?"


def test_a_misspelt_name_is_not_matched_across_the_words_around_it(
    demo_tenant: DemoTenant,
) -> None:
    request = _understand(demo_tenant, "who in finance has no mfa method registered at all")
    assert not [m for m in request.entities.matches if m.quality.value == "fuzzy"]
    assert request.intent == "list_users"


def test_a_compound_prompt_splits_only_when_a_part_asks_what_the_whole_does(
    demo_tenant: DemoTenant,
) -> None:
    user = _persona(demo_tenant, "alice_johnson")["displayName"]
    request = _understand(
        demo_tenant, f"who gave {user} cloud application admin?? did that go through PIM"
    )
    assert request.intent == "who_changed"
    assert not request.parts or "who_changed" in {p.intent for p in request.parts}


@pytest.mark.parametrize(
    ("prompt", "categories"),
    [
        ("do we have an automated leaver process? and what about people changing departments",
         ["mover", "leaver"]),
        ("is onboarding automated for new starters?", ["joiner"]),
        ("what happens when someone moves to another team", ["mover"]),
    ],
)  # fmt: skip
def test_lifecycle_words_name_the_workflow_categories(
    demo_tenant: DemoTenant, prompt: str, categories: list[str]
) -> None:
    from idpilot.copilot.understanding.stated import read_stated

    assert read_stated(demo_tenant.store, prompt).values["categories"] == categories


def test_a_reading_that_lacks_what_it_needs_does_not_outweigh_out_of_scope(
    demo_tenant: DemoTenant,
) -> None:
    answer = Copilot(demo_tenant.store).ask("what is the current iOS release number")
    assert answer.status.value == "outOfScope" and answer.skills == []
    # a question about an error with no code still asks for the code
    assert _understand(demo_tenant, "what does this error mean?").intent == "explain_error"


def test_a_surname_alone_names_the_one_person_who_has_it(demo_tenant: DemoTenant) -> None:
    unique = demo_tenant.store.query(
        "SELECT any_value(id) AS id, lower(surname) AS surname FROM users "
        "WHERE surname IS NOT NULL AND length(surname) > 4 GROUP BY 2 HAVING count(*) = 1 "
        "ORDER BY 2 LIMIT 1"
    )[0]
    request = _understand(demo_tenant, f"{unique['surname']} roles")
    assert [m.id for m in request.entities.of_kind("user")] == [unique["id"]]
    assert request.intent == "user_roles"
    # a surname several people share names each of them (the answer asks which)
    shared = _persona(demo_tenant, "lockout_user")["displayName"].split()[-1].lower()
    assert len(_understand(demo_tenant, f"{shared} roles").entities.of_kind("user")) > 1


def test_a_policy_named_by_its_code_is_that_policy(demo_tenant: DemoTenant) -> None:
    request = _understand(demo_tenant, "when exactly was ca011 created, and by whom?")
    (policy,) = request.entities.of_kind("conditionalAccessPolicy")
    assert policy.label.startswith("CA011") and policy.quality.value == "exact"
    assert request.intent == "policy_changes"


def test_not_guests_asks_for_members() -> None:
    from idpilot.copilot.understanding.filters import user_filters

    assert (
        user_filters("any member account (not guests) without a licence?", [])["user_type"]
        == "Member"
    )
    assert user_filters("users excluding guests", [])["user_type"] == "Member"
    assert user_filters("guests without licences", [])["user_type"] == "Guest"


def test_users_with_text_message_only_are_filtered_by_their_methods(
    demo_tenant: DemoTenant,
) -> None:
    """ "text message only" is the SMS-only filter, and the store applies it (not every user)."""
    answer = Copilot(demo_tenant.store).ask("which users rely on text message only for MFA?")
    assert answer.skills[0].name == "list_users"
    assert answer.skills[0].params.get("sms_only") is True
    sms_only = demo_tenant.store.query(
        "SELECT r.id FROM userRegistrationDetails r WHERE len(r.methodsRegistered) > 0 AND "
        "len(list_filter(CAST(r.methodsRegistered AS VARCHAR[]), lambda m: m NOT IN "
        "('mobilePhone', 'alternateMobilePhone', 'officePhone', 'email'))) = 0 AND "
        "list_has_any(CAST(r.methodsRegistered AS VARCHAR[]), "
        "['mobilePhone', 'alternateMobilePhone', 'officePhone'])"
    )
    total = demo_tenant.store.scalar("SELECT count(*) FROM users")
    assert 0 < len(sms_only) < total
    assert {c.id for c in answer.citations} == {r["id"] for r in sms_only}


def test_never_signed_in_even_once_is_the_never_signed_in_filter() -> None:
    found = user_filters("who was created this week and still hasn't signed in even once?", [])
    assert found == {"never_signed_in": True, "created_in_window": True}
    assert "never_signed_in" not in user_filters("who hasn't signed in for 30 days", [])


def test_including_the_eligible_ones_lists_every_holder(demo_tenant: DemoTenant) -> None:
    """ "including the ones who are only eligible" adds to the list: no filter, none unapplied."""
    answer = Copilot(demo_tenant.store).ask(
        "list everyone who is global admin, including the ones who are only eligible"
    )
    assert answer.skills[0].name == "role_holders"
    assert "assignment" not in answer.skills[0].params
    assert "Not applied" not in answer.answer
    assert "active" in answer.answer and "eligible" in answer.answer
    only = Copilot(demo_tenant.store).ask("which global admins are only eligible?")
    assert only.skills[0].params.get("assignment") == "eligible"


@pytest.mark.parametrize(
    "prompt",
    ["which users only use text messages for MFA?", "users who just have sms", "sms-only users"],
)
def test_sms_only_phrasings(prompt: str) -> None:
    assert user_filters(prompt, []).get("sms_only") is True


def test_a_speaker_introducing_themselves_is_not_the_subject(demo_tenant: DemoTenant) -> None:
    """ "I'm <name>, ... is anybody ...?" asks about others; "I'm <name>, why can't I ...?"
    about the speaker."""
    name = demo_tenant.store.scalar("SELECT displayName FROM users ORDER BY displayName LIMIT 1")
    others = understand(
        demo_tenant.store,
        default_registry(),
        f"Im {name.lower()}, I manage a team. is anybody flagged as risky at the moment?",
        demo_tenant.store.captured_at(),
    )
    assert not others.entities.of_kind("user")
    assert others.intent == "risky_users"
    own = understand(
        demo_tenant.store,
        default_registry(),
        f"I'm {name}, why can't I sign in?",
        demo_tenant.store.captured_at(),
    )
    assert [m.label for m in own.entities.of_kind("user")] == [name]


def test_a_department_word_inside_an_app_name_is_not_a_department(demo_tenant: DemoTenant) -> None:
    answer = Copilot(demo_tenant.store).ask(
        "did anyone fail to sign in to the finance portal today?"
    )
    assert answer.skills[0].name == "signin_summary"
    assert "department" not in answer.skills[0].params
    assert "Not applied" not in answer.answer


@pytest.mark.parametrize(
    ("prompt", "report"),
    [
        ("write up the risky users situation for the helpdesk team", True),
        ("Sign-in report for last week, aimed at the engineers", True),
        ("summarize the password spray for the CISO", True),
        ("is the helpdesk team in the sales group?", False),
        ("summarize the risk for bob", False),
    ],
)
def test_writing_asked_for_a_reader_is_a_report(prompt: str, report: bool) -> None:
    from idpilot.copilot.understanding.cues import written_for_an_audience

    assert written_for_an_audience(prompt) is report


def test_a_code_before_errors_is_the_code_the_errors_carry() -> None:
    from idpilot.copilot.understanding._slot_network import find_network

    assert find_network("seeing 500121 errors in the logs").error_codes == [500121]
    assert find_network("we have 50000 users").error_codes == []


@pytest.mark.parametrize(
    "prompt",
    ["who on the team is allowed to reset passwords for normal users?", "who can create users?"],
)
def test_who_may_do_something_is_asked_of_the_roles(demo_tenant: DemoTenant, prompt: str) -> None:
    request = understand(
        demo_tenant.store, default_registry(), prompt, demo_tenant.store.captured_at()
    )
    assert request.intent == "role_holders"


def test_what_someone_did_is_their_activity(demo_tenant: DemoTenant) -> None:
    """ "what did <name> change?" asks what the person did; "what changed for <name>?" what was
    done to their account."""
    name = demo_tenant.answer_key["personas"]["eve"]["displayName"]
    at = demo_tenant.store.captured_at()
    did = understand(demo_tenant.store, default_registry(), f"what did {name} change?", at)
    assert did.intent == "actor_activity"
    done = understand(demo_tenant.store, default_registry(), f"what changed for {name}?", at)
    assert done.intent != "actor_activity"


def test_who_did_a_named_audit_activity_is_its_audit_events(demo_tenant: DemoTenant) -> None:
    at = demo_tenant.store.captured_at()
    request = understand(
        demo_tenant.store, default_registry(), "who registered new MFA methods since monday?", at
    )
    assert request.intent == "audit_history"
    assert request.stated.values.get("activities") == ["User registered security info"]


def test_a_count_asked_to_be_judged_is_counted_and_assessed(demo_tenant: DemoTenant) -> None:
    """ "how many ...? is that ok?": the count, then the posture assessment that judges it."""
    at = demo_tenant.store.captured_at()
    judged = understand(
        demo_tenant.store,
        default_registry(),
        "how many global admins are permanent rather than eligible? is that ok?",
        at,
    )
    assert [p.intent for p in judged.parts] == ["role_holders", "posture_assessment"]
    plain = understand(demo_tenant.store, default_registry(), "who are the global admins?", at)
    assert all(p.intent != "posture_assessment" for p in plain.parts)
    assert plain.intent == "role_holders"


def test_an_app_named_by_its_first_word_alone_is_named() -> None:
    """ "tell me about bladescan": a first word no question uses, matching one object only,
    names it as surely as an alias; a word shared by several objects does not."""
    from idpilot.copilot.entities import PromptEntities
    from idpilot.copilot.understanding.prompt_names import distinctive_words_as_names
    from idpilot.store.lookup import EntityMatch, MatchQuality

    def partial(kind: str, label: str, phrase: str) -> EntityMatch:
        return EntityMatch(
            kind=kind, id=label, label=label, detail="", phrase=phrase,
            quality=MatchQuality.partial,
        )  # fmt: skip

    one = PromptEntities(matches=[partial("servicePrincipal", "Bladescan Analytics", "bladescan")])
    distinctive_words_as_names(one)
    assert one.matches[0].quality is MatchQuality.alias
    shared = PromptEntities(
        matches=[
            partial("group", "Zorblax Atlas", "zorblax"),
            partial("group", "Zorblax Vega", "zorblax"),
        ]
    )
    distinctive_words_as_names(shared)
    assert {m.quality for m in shared.matches} == {MatchQuality.partial}
    asked = PromptEntities(matches=[partial("group", "Members Lounge", "members")])
    distinctive_words_as_names(asked)  # a word the bank's questions use
    assert asked.matches[0].quality is MatchQuality.partial


def test_changes_to_a_policy_named_by_its_words_are_its_changes(demo_tenant: DemoTenant) -> None:
    name = demo_tenant.store.scalar(
        "SELECT displayName FROM conditionalAccessPolicies ORDER BY displayName LIMIT 1"
    )
    words = " ".join(name.split(":", 1)[-1].split()[:4]).lower()
    request = understand(
        demo_tenant.store,
        default_registry(),
        f"what was changed in the {words} policy last month?",
        demo_tenant.store.captured_at(),
    )
    assert request.intent == "policy_changes"


def test_a_vague_question_after_a_statement_asks_about_what_it_reports(
    demo_tenant: DemoTenant,
) -> None:
    name = _persona(demo_tenant, "lockout_user")["displayName"]
    locked = _understand(
        demo_tenant,
        f"{name} says he was locked out on Sunday morning. What happened to his account?",
    )
    assert locked.intent == "signin_troubleshoot"
    # Asked alone, what happened to an account is its audit history.
    assert _understand(demo_tenant, f"What happened to {name}'s account?").intent == (
        "audit_history"
    )


def test_not_signed_in_this_month_is_inactivity_since_the_month_began(
    demo_tenant: DemoTenant,
) -> None:
    request = _understand(demo_tenant, "which users haven't signed in this month?")
    captured = demo_tenant.store.captured_at()
    assert request.intent == "list_users"
    assert request.stated.values["inactive_days"] == captured.day  # since the 1st, whole days
    answer = Copilot(demo_tenant.store).ask("which users haven't signed in this month?")
    assert "Not applied" not in answer.answer


def test_a_time_a_user_list_cannot_apply_is_said(demo_tenant: DemoTenant) -> None:
    answer = Copilot(demo_tenant.store).ask("list the disabled users this week")
    assert [s.name for s in answer.skills] == ["list_users"]
    assert 'Not applied:** the time you gave ("this week")' in answer.answer


def test_people_described_and_set_aside_who_hold_a_role_are_its_holders(
    demo_tenant: DemoTenant,
) -> None:
    prompt = (
        "Which members outside the IT department hold an active admin role? "
        "Leave out the break-glass accounts and guests."
    )
    request = _understand(demo_tenant, prompt)
    assert request.intent == "role_holders"
    assert not request.parts  # the second sentence narrows the first, it asks nothing
    values = request.stated.values
    assert values["department"] == "IT" and values["department_excluded"] is True
    assert values["break_glass"] is False and values["assignment"] == "active"


def test_off_topic_asks_are_refused_unless_someone_is_named_surely(
    demo_tenant: DemoTenant,
) -> None:
    refused = _understand(demo_tenant, "Swap Saturday's night shift at the Seattle office.")
    assert refused.scope is Scope.out
    alice = _persona(demo_tenant, "alice_johnson")["displayName"]
    named = _understand(demo_tenant, f"{alice} couldn't get into Outlook at shift change")
    assert named.scope is not Scope.out


def test_one_policys_state_or_effect_asked_is_that_policys_coverage(
    demo_tenant: DemoTenant,
) -> None:
    name, policy_id = demo_tenant.store.con.execute(
        "SELECT displayName, id FROM conditionalAccessPolicies "
        "WHERE state = 'enabledForReportingButNotEnforced' ORDER BY 1 LIMIT 1"
    ).fetchone()
    for prompt in (
        f"Is {name} actually on, and who would it hit?",
        f"If we switched {name} from report-only to on, whose sign-ins would it have blocked?",
    ):
        request = _understand(demo_tenant, prompt)
        assert request.intent == "ca_coverage", prompt
        assert request.stated.values["policy_asked"] == policy_id
    changed = _understand(demo_tenant, f"who changed {name} last week?")
    assert "policy_asked" not in changed.stated.values


def test_why_a_named_group_has_no_owner_is_its_rundown(demo_tenant: DemoTenant) -> None:
    name = demo_tenant.store.scalar(
        "SELECT displayName FROM groups WHERE json_array_length(owners) = 0 "
        "AND displayName ILIKE '%access%' ORDER BY 1 LIMIT 1"
    )
    assert name
    request = _understand(demo_tenant, f"Why has {name} got no owner any more?")
    assert request.intent == "group_details"
    request = _understand(demo_tenant, f"who removed the last owner of {name}?")
    assert request.intent != "group_details"


def test_a_question_after_a_dash_is_what_is_asked(demo_tenant: DemoTenant) -> None:
    alice = _persona(demo_tenant, "alice_johnson")["displayName"]
    request = _understand(
        demo_tenant, f"{alice} was locked out on Tuesday - who reset her password?"
    )
    assert request.intent == "audit_history"


def test_someone_taken_out_of_a_policys_exclusions_is_its_changes(
    demo_tenant: DemoTenant,
) -> None:
    code = demo_tenant.store.scalar(
        "SELECT split_part(displayName, ':', 1) FROM conditionalAccessPolicies "
        "WHERE displayName ILIKE '%legacy%' LIMIT 1"
    )
    upn = demo_tenant.store.scalar(
        "SELECT userPrincipalName FROM users WHERE displayName ILIKE 'break glass%' LIMIT 1"
    )
    request = _understand(demo_tenant, f"Who took {upn} out of the exclusions of {code}?")
    assert request.intent == "policy_changes"


def test_whether_someone_managed_to_sign_in_at_all_is_their_rundown(
    demo_tenant: DemoTenant,
) -> None:
    alice = _persona(demo_tenant, "alice_johnson")["displayName"]
    request = _understand(demo_tenant, f"{alice} started on Monday. Has she managed to log in yet?")
    assert request.intent == "user_details"
    request = _understand(demo_tenant, f"{alice} hasn't been able to sign in since Monday, why?")
    assert request.intent == "signin_troubleshoot"


def test_a_persons_risk_flag_and_a_flood_of_prompts_are_read_as_such(
    demo_tenant: DemoTenant,
) -> None:
    bob = _persona(demo_tenant, "bob")["displayName"]
    flagged = _understand(
        demo_tenant,
        f"the CFO is on my back: {bob} shows as HIGH risk. what happened to his account?",
    )
    assert flagged.intent == "risky_user_summary"
    flood = _understand(
        demo_tenant, f"{bob} says his phone blew up with approval requests last night"
    )
    assert flood.intent == "detect_threats"


def test_what_is_asked_of_one_person_in_plain_words(demo_tenant: DemoTenant) -> None:
    """Hacked, a leaver's access, one field, what stopped them, what happened to them."""
    bob = _persona(demo_tenant, "bob")["displayName"]
    alice = _persona(demo_tenant, "alice_johnson")["displayName"]
    asked = {
        f"HR asking: is {bob} hacked? they want a straight answer": ["risky_user_summary"],
        f"is someone else using {bob}'s account?": ["risky_user_summary"],
        f"HR needs to know whether the leaver {alice} still has access to anything.": [
            "user_details"
        ],
        f"{alice} from Finance, started last month — her UPN?": ["user_details"],
        f"Which Conditional Access policy blocked {bob} when he tried to sign in from Tor?": [
            "signin_troubleshoot"
        ],
        f"Who gave {bob} an admin role?": ["who_changed"],
        "Which leavers did we disable last month, and who did it?": ["audit_history"],
        "who set up mfa this morning": ["audit_history"],
        f"Is {bob} left out of every block policy?": ["ca_coverage"],
        "The CFO wants a one-page, plain-English summary of last week's password spray.": [
            "report"
        ],
        f"I think {alice}'s mail breaks every morning because of last week's policy change."
        " Prove me wrong.": ["signin_troubleshoot"],
        "I think all those failed logins last saturday were just noise. prove me wrong": [
            "detect_threats"
        ],
        f"I'm pretty sure nobody added {alice} to a group recently, right?": ["who_changed"],
        "who has registered MFA?": ["list_users"],
        f"{alice} started this week: has she signed in yet, and set up MFA?": ["user_details"],
        f"I think {bob}'s leaked-credentials alert is old noise. Do you agree?": [
            "risky_user_summary"
        ],
        "Does activating Global Admin need anyone's approval in this tenant?": [
            "posture_assessment"
        ],
        f"explain it like I'm the CFO: what happened to {bob}'s account?": [
            "risky_user_summary",
            "audit_history",
        ],
    }
    policy = demo_tenant.store.scalar(
        "SELECT displayName FROM conditionalAccessPolicies WHERE state = 'enabled' "
        "ORDER BY displayName LIMIT 1"
    )
    asked[f"What is {policy} for, and is it doing its job?"] = ["ca_coverage"]
    for prompt, intents in asked.items():
        request = _understand(demo_tenant, prompt)
        got = [p.intent for p in request.parts] or [request.intent]
        assert got == intents, prompt


def test_a_time_said_by_an_event_is_no_topic() -> None:
    from datetime import UTC, datetime

    from idpilot.copilot.understanding.understand import without_event_time
    from idpilot.model.windows import TimeWindow

    start, end = datetime(2026, 11, 9, tzinfo=UTC), datetime(2026, 11, 20, tzinfo=UTC)
    spray = TimeWindow(start=start, end=end, phrase="since the password spray on the 9th")
    asked = "Has anyone touched the country-block policy since the password spray on the 9th?"
    assert "spray" not in without_event_time(asked, spray)
    week = TimeWindow(start=start, end=end, phrase="last week")
    assert without_event_time("failures last week?", week) == "failures last week?"
    assert without_event_time(asked, None) == asked
