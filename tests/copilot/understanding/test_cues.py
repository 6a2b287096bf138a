"""Question shapes that say what is asked: two terms told apart, an admin's Conditional Access
changes, and a speaker who signs their message first."""

from __future__ import annotations

from idpilot.copilot.entities import PromptEntities
from idpilot.copilot.understanding.classifier import IntentScore
from idpilot.copilot.understanding.cues import favour_by_shape, whose_policy_changes
from idpilot.copilot.understanding.prompt_names import drop_speaker
from idpilot.copilot.understanding.stated import Stated
from idpilot.store.lookup import EntityMatch, MatchQuality

SCORES = [
    IntentScore(intent="signin_troubleshoot", probability=0.5, facet="failure"),
    IntentScore(intent="actor_activity", probability=0.3, facet=None),
    IntentScore(intent="docs_answer", probability=0.1, facet=None),
    IntentScore(intent="policy_changes", probability=0.1, facet="changes"),
]


def _user(phrase: str, user_id: str = "u1") -> EntityMatch:
    return EntityMatch(
        kind="user", id=user_id, label=phrase.title(), phrase=phrase, quality=MatchQuality.exact
    )


def _top(prompt: str, entities: PromptEntities, named: set[str]) -> str:
    scores = favour_by_shape(SCORES, prompt, entities, Stated(values={}), named)
    return max(scores, key=lambda s: s.probability).intent


def test_two_terms_told_apart_are_a_documentation_question() -> None:
    prompt = "What's the difference between 'Interrupted' and 'Failure' in the sign-in logs?"
    assert _top(prompt, PromptEntities(), set()) == "docs_answer"
    assert _top("how is user risk different from sign-in risk?", PromptEntities(), set()) == (
        "docs_answer"
    )
    # Two named people compared are a question about the tenant.
    entities = PromptEntities(matches=[_user("alice"), _user("bob", "u2")])
    compared = "what's the difference between alice and bob's sign-ins?"
    assert _top(compared, entities, {"user", "named:user"}) == "signin_troubleshoot"


def test_what_an_admin_changed_in_conditional_access_is_their_policy_changes() -> None:
    soren = _user("sören åkesson")
    named = {"user", "named:user"}
    entities = PromptEntities(matches=[soren])
    asked = "what did sören åkesson change in CA this month?"
    assert whose_policy_changes(asked, entities) == soren
    assert _top(asked, entities, named) == "policy_changes"
    # Pointed back at by a pronoun (the conversation's one person).
    assert whose_policy_changes("and what did he change to the CA policies?", entities) == soren
    # What he changed anywhere is his activity; a CA question about him is not his changes.
    assert whose_policy_changes("what did sören åkesson change this month?", entities) is None
    assert _top("what did sören åkesson change this month?", entities, named) == "actor_activity"
    assert whose_policy_changes("is sören åkesson excluded from CA policies?", entities) is None


def test_a_speaker_who_signs_first_is_not_the_subject() -> None:
    entities = PromptEntities(matches=[_user("günter"), _user("projekt kestrel", "g1")])
    entities.matches[1] = EntityMatch(
        kind="group", id="g1", label="Projekt Kestrel", phrase="projekt kestrel",
        quality=MatchQuality.exact,
    )  # fmt: skip
    drop_speaker(entities, "Günter here, I own Projekt Kestrel. Who's actually in it?")
    assert [m.kind for m in entities.matches] == ["group"]
    # Asking about oneself keeps the speaker.
    alone = PromptEntities(matches=[_user("günter")])
    drop_speaker(alone, "Günter here, why can't I sign in?")
    assert [m.id for m in alone.matches] == ["u1"]


def test_a_relayed_request_is_the_question_it_relays() -> None:
    from idpilot.copilot.understanding.prompt_names import without_relay

    relayed = "My manager is asking whether Paulo Gonçalves from Sales is compromised or not."
    assert without_relay(relayed) == "Paulo Gonçalves from Sales is compromised or not."
    assert without_relay("our CISO wants to know: are we covered?") == "are we covered?"
    # A manager who is the subject stays.
    assert without_relay("who is my manager?") == "who is my manager?"
    # The relay's closing words go with it; a question that relays nothing keeps them.
    assert without_relay(relayed + " What do I tell her?") == without_relay(relayed).rstrip(".")
    assert without_relay("what do I tell her?") == "what do I tell her?"


def test_a_conditional_access_audit_activity_asks_for_policy_changes() -> None:
    stated = Stated(values={"activities": ["Update conditional access policy"]})
    prompt = "Activity = 'Update conditional access policy' on 6 Nov: what exactly was changed?"
    scores = favour_by_shape(SCORES, prompt, PromptEntities(), stated, set())
    assert max(scores, key=lambda s: s.probability).intent == "policy_changes"
    other = Stated(values={"activities": ["Reset user password"]})
    scores = favour_by_shape(
        SCORES, "who reset passwords on 6 Nov?", PromptEntities(), other, set()
    )
    assert max(scores, key=lambda s: s.probability).intent != "policy_changes"


def test_the_form_and_the_meeting_an_answer_is_for_are_not_the_question() -> None:
    from idpilot.copilot.understanding.prompt_names import without_relay

    assert without_relay("give me three bullet points on yesterday's sign-ins for my 9am") == (
        "yesterday's sign-ins"
    )
    assert without_relay("3 bullet points on our posture, for the exec meeting") == "our posture"
    assert without_relay("what did bob do at 9am?") == "what did bob do at 9am?"


def test_who_holds_a_named_role_asks_its_holders() -> None:
    role = EntityMatch(
        kind="unifiedRoleDefinition", id="r1", label="Global Administrator",
        phrase="global administrator", quality=MatchQuality.alias,
    )  # fmt: skip
    scores = [
        IntentScore(intent="who_changed", probability=0.6, facet="added"),
        IntentScore(intent="role_holders", probability=0.3, facet="holders"),
    ]
    named = {"unifiedRoleDefinition", "named:unifiedRoleDefinition"}
    entities = PromptEntities(matches=[role])
    prompt = "who holds global admin today, including anyone who could activate it"
    favoured = favour_by_shape(scores, prompt, entities, Stated(values={}), named)
    assert max(favoured, key=lambda s: s.probability).intent == "role_holders"
    added = favour_by_shape(
        scores, "who added alice to global admin?", entities, Stated(values={}), named
    )
    assert max(added, key=lambda s: s.probability).intent == "who_changed"


def test_who_is_on_the_line_is_said_but_what_they_say_is_asked() -> None:
    from idpilot.copilot.understanding.prompt_names import without_relay

    assert without_relay("got tomas.novak@contoso.com on the line, he says it's locked") == (
        "he says it's locked"
    )
    assert without_relay("on the phone with Alice Johnson in finance, she can't get in") == (
        "she can't get in"
    )


def test_an_exemplars_pronouns_read_as_the_person_as_a_prompts_do() -> None:
    from idpilot.copilot.understanding.classifier import fill_placeholders

    assert fill_placeholders("{first_name} says {app} keeps throwing her out") == (
        "someone says the app keeps throwing someone out"
    )


def test_asking_for_a_rule_that_stops_something_is_asking_for_a_draft() -> None:
    from idpilot.knowledge.draft_requests import DRAFT_REQUEST

    assert DRAFT_REQUEST.search("Can you make me a rule that stops people logging in from abroad?")
    assert DRAFT_REQUEST.search("draft a CA policy: MFA for admins")
    assert not DRAFT_REQUEST.search("make me a list of the rules that block legacy auth")
    assert not DRAFT_REQUEST.search("create a rule for the dynamic group of engineers")


HOLDER_SCORES = [
    IntentScore(intent="who_changed", probability=0.6, facet="added"),
    IntentScore(intent="role_holders", probability=0.3, facet="holders"),
    IntentScore(intent="list_users", probability=0.1, facet="no_mfa"),
]


def _role(phrase: str) -> EntityMatch:
    return EntityMatch(
        kind="unifiedRoleDefinition",
        id="r1",
        label=phrase.title(),
        phrase=phrase,
        quality=MatchQuality.exact,
    )


def _holder_top(prompt: str, phrase: str, stated: dict[str, object] | None = None) -> str:
    entities = PromptEntities(matches=[_role(phrase)] if phrase else [])
    named = {"unifiedRoleDefinition", "named:unifiedRoleDefinition"} if phrase else set()
    scores = favour_by_shape(HOLDER_SCORES, prompt, entities, Stated(values=stated or {}), named)
    return max(scores, key=lambda s: s.probability).intent


def test_who_is_a_role_asks_its_holders() -> None:
    for prompt in (
        "Who on the team is a Helpdesk Administrator?",
        "who is a helpdesk administrator",
        "Apart from Priya and the break-glass accounts, does anyone else hold Helpdesk "
        "Administrator?",
        "who else is Helpdesk Administrator?",
    ):
        assert _holder_top(prompt, "helpdesk administrator") == "role_holders", prompt
    # Who made someone a holder is a change.
    assert _holder_top("who made eve a helpdesk administrator?", "helpdesk administrator") == (
        "who_changed"
    )


def test_admins_without_mfa_are_the_role_holders_registration() -> None:
    stated = {"privileged": True, "mfa_registered": False}
    assert _holder_top("are there any admins with no MFA registered?", "", stated) == (
        "role_holders"
    )
    assert _holder_top("which users have no MFA registered?", "", {"mfa_registered": False}) == (
        "who_changed"  # the cue leaves a question about everyone to the other readings
    )


def test_a_claim_about_who_can_do_something_asks_whom_a_role_lets() -> None:
    stated = {"capabilities": ["assign roles"]}
    for prompt in (
        "I believe only Sven can assign admin roles in this tenant. Still true?",
        "can anyone else assign roles?",
        "is there anybody else who can assign roles?",
    ):
        assert _holder_top(prompt, "", stated) == "role_holders", prompt


def test_a_report_asked_for_in_other_words_is_a_report() -> None:
    for prompt in (
        "Give me a short Conditional Access report in plain words",
        "Put together a one-page incident summary of the 9 November password spray",
    ):
        with_report = [*SCORES, IntentScore(intent="report", probability=0.02, facet="report")]
        scores = favour_by_shape(with_report, prompt, PromptEntities(), Stated(values={}), set())
        assert max(scores, key=lambda s: s.probability).intent == "report", prompt


def test_whether_one_named_person_holds_a_role_asks_their_roles() -> None:
    person = _user("krzysztof dąbrowski")
    entities = PromptEntities(matches=[person, _role("privileged role administrator")])
    named = {
        "user", "named:user", "unifiedRoleDefinition", "named:unifiedRoleDefinition",
    }  # fmt: skip
    scores = [*HOLDER_SCORES, IntentScore(intent="user_roles", probability=0.01, facet="roles")]

    def top(prompt: str) -> str:
        found = favour_by_shape(scores, prompt, entities, Stated(values={}), named)
        return max(found, key=lambda s: s.probability).intent

    assert top("is krzysztof dąbrowski a privileged role administrator?") == "user_roles"
    assert top("Yes or no: does krzysztof dąbrowski hold privileged role administrator?") == (
        "user_roles"
    )
    assert top("Did Sören give krzysztof dąbrowski the role?") == "who_changed"


def test_whether_my_users_can_get_in_asks_about_all_of_them() -> None:
    scores = [
        IntentScore(intent="signin_troubleshoot", probability=0.6, facet="failure"),
        IntentScore(intent="signin_summary", probability=0.2, facet="failures_by_app"),
    ]
    prompt = "I own the finance portal. Are my users actually able to get in this morning?"
    found = favour_by_shape(scores, prompt, PromptEntities(), Stated(values={}), set())
    assert max(found, key=lambda s: s.probability).intent == "signin_summary"


def test_whose_sign_ins_come_from_an_address_asks_the_sign_ins_from_it() -> None:
    scores = [
        IntentScore(intent="detect_threats", probability=0.6, facet="anonymizer"),
        IntentScore(intent="signin_summary", probability=0.2, facet="overview"),
    ]

    def top(prompt: str) -> str:
        found = favour_by_shape(scores, prompt, PromptEntities(), Stated(values={}), {"ip"})
        return max(found, key=lambda s: s.probability).intent

    assert top("I keep seeing 198.51.100.23 in the logs. Whose sessions are those?") == (
        "signin_summary"
    )
    assert top("a Tor session from 185.220.101.33: which of your accounts was it?") == (
        "signin_summary"
    )
    assert top("is 185.220.101.33 a known bad IP?") == "detect_threats"


def test_a_question_naming_one_person_and_no_role_is_about_that_person() -> None:
    scores = [
        IntentScore(intent="role_holders", probability=0.5, facet="weak_mfa_admins"),
        IntentScore(intent="user_details", probability=0.2, facet="auth_methods"),
    ]
    entities = PromptEntities(matches=[_user("daniel fischer")])
    named = {"user", "named:user"}

    def top(prompt: str, stated: dict[str, object] | None = None) -> str:
        found = favour_by_shape(scores, prompt, entities, Stated(values=stated or {}), named)
        return max(found, key=lambda s: s.probability).intent

    assert top("Is any of daniel fischer's methods phishing-resistant?") == "user_details"
    assert top("who can reset daniel fischer's password?") == "role_holders"
    assert top("is daniel fischer an admin?", {"privileged": True}) == "role_holders"


def test_whether_someone_did_anything_or_how_many_is_what_they_did() -> None:
    marcus = _user("marcus lindqvist")
    entities = PromptEntities(matches=[marcus])
    named = {"user", "named:user"}
    said = "Marcus Lindqvist is service desk. Has he done anything this week beyond resets?"
    assert _top(said, entities, named) == "actor_activity"
    counted = "How many accounts did Marcus Lindqvist disable in October?"
    assert _top(counted, entities, named) == "actor_activity"
    # Two people named: "he" could be either, so the pronoun says nothing of who acted.
    both = PromptEntities(matches=[marcus, _user("eve thompson", "u2")])
    assert _top("Eve Thompson called. Has he done anything?", both, named) != "actor_activity"


def test_a_policy_named_by_one_word_and_said_to_be_a_policy_has_its_changes_asked() -> None:
    legacy = EntityMatch(
        kind="conditionalAccessPolicy",
        id="p1",
        label="CA003: Block legacy authentication",
        phrase="legacy",
        quality=MatchQuality.partial,
    )
    entities = PromptEntities(matches=[legacy])
    asked = "Did anyone change the legacy-auth block policy this month?"
    assert _top(asked, entities, {"conditionalAccessPolicy"}) == "policy_changes"
    assert _top("Did anyone change legacy stuff this month?", entities, set()) != "policy_changes"


def test_a_reader_who_asks_for_writing_asks_for_a_report() -> None:
    from idpilot.copilot.understanding.cues import written_for_an_audience

    for prompt in (
        "Helpdesk report please: the top 5 sign-in errors this week",
        "The board wants a one-page incident summary of the password spray by tonight",
        "one page for the helpdesk lead: this week's sign-in failures",
        "our external auditor wants a short write-up of how Eve became GA",
    ):
        assert written_for_an_audience(prompt), prompt
    for prompt in ("my manager wants to know why alice can't sign in", "who is on the board?"):
        assert not written_for_an_audience(prompt), prompt


def test_why_not_asked_of_what_the_policies_cover() -> None:
    from idpilot.copilot.understanding.cues import _WHY_NOT_COVERED

    for prompt in (
        "Why wasn't the SCADA Sync Service account ever asked for MFA?",
        "why isn't Björn blocked when he signs in from outside our countries?",
        "Why doesn't the compliant-device policy for contractors ever hit the contractors?",
    ):
        assert _WHY_NOT_COVERED.search(prompt), prompt
    for prompt in (
        "Why isn't Bob's account blocked? He's high risk.",
        "why did alice fail MFA this morning?",
    ):
        assert not _WHY_NOT_COVERED.search(prompt), prompt
