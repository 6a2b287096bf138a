"""Objects named through others: an app's or a group's owner, the group a policy targets or an
app's access goes through, and department words a loose name match swallowed."""

from __future__ import annotations

from idpilot.copilot.entities import PromptEntities
from idpilot.copilot.understanding.classifier import IntentScore
from idpilot.copilot.understanding.prompt_names import said_as_department
from idpilot.copilot.understanding.understand import understand
from idpilot.copilot.understanding.weighing import HYPOTHETICAL, RECORDED, weighed
from idpilot.skills import default_registry
from idpilot.store.lookup import EntityMatch, MatchQuality
from tests.conftest import DemoTenant


def _read(demo: DemoTenant, prompt: str):
    return understand(demo.store, default_registry(), prompt, demo.store.captured_at())


def _one_owned_app(demo: DemoTenant) -> tuple[str, str]:
    name, owner = demo.store.con.execute(
        "SELECT displayName, json_extract_string(owners, '$[0].id') FROM servicePrincipals "
        "WHERE json_array_length(owners) = 1 "
        "AND json_extract_string(owners, '$[0].\"@odata.type\"') = '#microsoft.graph.user' "
        "AND appId NOT IN (SELECT appId FROM applications WHERE json_array_length(owners) > 1) "
        "ORDER BY displayName LIMIT 1"
    ).fetchone()
    return name, owner


def test_the_person_who_owns_an_app_is_its_owner(demo_tenant: DemoTenant) -> None:
    app, owner = _one_owned_app(demo_tenant)
    request = _read(demo_tenant, f"The person who owns {app}: which department is she in?")
    assert [m.id for m in request.entities.of_kind("user")] == [owner]
    assert request.intent == "user_details"
    risky = _read(demo_tenant, f"is the owner of {app} risky?")
    assert [m.id for m in risky.entities.of_kind("user")] == [owner]


def test_asking_who_owns_an_app_is_about_the_app(demo_tenant: DemoTenant) -> None:
    app, owner = _one_owned_app(demo_tenant)
    request = _read(demo_tenant, f"who owns {app}?")
    assert owner not in {m.id for m in request.entities.of_kind("user")}
    assert request.entities.of_kind("servicePrincipal")
    assert request.intent == "app_details"


def test_the_group_a_policy_targets_is_named_by_the_policy(demo_tenant: DemoTenant) -> None:
    policy, group = demo_tenant.store.con.execute(
        "SELECT displayName, json_extract_string(conditions, '$.users.includeGroups[0]') "
        "FROM conditionalAccessPolicies "
        "WHERE json_array_length(json_extract(conditions, '$.users.includeGroups')) = 1 "
        "ORDER BY displayName LIMIT 1"
    ).fetchone()
    code = policy.split(":")[0]
    request = _read(demo_tenant, f"who's in the group that {code} targets?")
    assert [m.id for m in request.entities.of_kind("group")] == [group]
    assert request.intent == "group_details"
    # A policy that targets no group names none: the policy stays the subject.
    none = demo_tenant.store.con.execute(
        "SELECT split_part(displayName, ':', 1) FROM conditionalAccessPolicies "
        "WHERE coalesce(json_array_length(json_extract(conditions, '$.users.excludeGroups')), 0)"
        " = 0 ORDER BY displayName LIMIT 1"
    ).fetchone()[0]
    kept = _read(demo_tenant, f"who is in the group that {none} excludes?")
    assert not kept.entities.of_kind("group")
    assert kept.entities.of_kind("conditionalAccessPolicy")
    # The clause that describes the group ends at a comma: what follows asks about it.
    after = _read(
        demo_tenant, f"who owns the group that {code} targets, and which teams are in it?"
    )
    assert [m.id for m in after.entities.of_kind("group")] == [group]


def test_a_past_day_without_what_if_asks_about_the_recorded_sign_in() -> None:
    scores = [
        IntentScore(intent="ca_whatif", probability=0.6, facet="blocked"),
        IntentScore(intent="signin_troubleshoot", probability=0.3, facet="failure"),
    ]
    named = {"user", "named:user", "window"}
    registry = default_registry()
    assert weighed(scores, named | {RECORDED}, registry)[0].intent == "signin_troubleshoot"
    assert weighed(scores, named, registry)[0].intent == "ca_whatif"
    assert weighed(scores, named | {HYPOTHETICAL}, registry)[0].intent == "ca_whatif"


def test_department_words_a_loose_match_ran_on_from_are_the_department() -> None:
    entities = PromptEntities()
    entities.matches = [
        EntityMatch(
            kind="group",
            id="g1",
            label="Turbine Engineering Team",
            phrase="turbine engineering haven't",
            quality=MatchQuality.fuzzy,
        )
    ]
    prompt = "how many people in Turbine Engineering haven't registered MFA?"
    assert said_as_department(prompt, "Turbine Engineering", entities)
    # The words of a longer name around the department's are that name's.
    entities.matches[0] = EntityMatch(
        kind="servicePrincipal",
        id="a1",
        label="Turbine Engineering Portal",
        phrase="turbine engineering portal",
        quality=MatchQuality.partial,
    )
    assert not said_as_department(
        "open the turbine engineering portal", "Turbine Engineering", entities
    )


def test_a_phrase_written_as_one_word_names_what_its_words_name() -> None:
    from idpilot.copilot.entities import candidate_phrases

    phrases = {p for p, _, _ in candidate_phrases("The everyone-in-Munich dynamic group")}
    assert {"everyone-in-munich", "munich", "everyone"} <= phrases
    # One hyphen joins a compound word, kept whole.
    assert "glass" not in {p for p, _, _ in candidate_phrases("the break-glass accounts")}


def test_a_hyphenated_word_that_names_nothing_whole_is_read_by_its_words(
    demo_tenant: DemoTenant,
) -> None:
    from idpilot.copilot.entities import resolve_entities

    store = demo_tenant.store
    policy = store.scalar(
        "SELECT displayName FROM conditionalAccessPolicies "
        "WHERE displayName ILIKE '%block legacy authentication%'"
    )
    found = resolve_entities(store, "has anyone touched the block-legacy-auth policy?")
    assert [m.label for m in found.of_kind("conditionalAccessPolicy")] == [policy]
    # A compound of two long words: each word alone ("document" of "document-signing").
    app = store.scalar(
        "SELECT displayName FROM servicePrincipals WHERE displayName ILIKE '%document%'"
    )
    compound = resolve_entities(store, "who consented to the partner's document-signing app?")
    assert [m.label for m in compound.of_kind("servicePrincipal")] == [app]
    # A hyphenated name the tenant holds is named whole.
    group = store.scalar("SELECT displayName FROM groups WHERE displayName LIKE '%-%-%' LIMIT 1")
    whole = resolve_entities(store, f"who is in {group}?")
    assert [m.quality for m in whole.of_kind("group")] == [MatchQuality.exact]


def test_a_role_named_by_its_initials_in_capitals(demo_tenant: DemoTenant) -> None:
    request = _read(demo_tenant, "would someone holding GA from Paris need MFA?")
    assert [m.label for m in request.entities.of_kind("unifiedRoleDefinition")] == [
        "Global Administrator"
    ]
    assert request.intent == "ca_whatif"
    # Lower case "ga" is not the role's initials.
    lower = _read(demo_tenant, "ga ga ooh la la")
    assert not lower.entities.of_kind("unifiedRoleDefinition")


def test_a_named_persons_manager_is_swapped_once_in_a_conversation(
    demo_tenant: DemoTenant,
) -> None:
    from idpilot.copilot.session import Session

    person, manager = demo_tenant.store.con.execute(
        "SELECT u.displayName, json_extract_string(u.manager, '$.id') FROM users u "
        "JOIN users m ON m.id = json_extract_string(u.manager, '$.id') "
        "WHERE m.manager IS NOT NULL ORDER BY u.displayName LIMIT 1"
    ).fetchone()
    store = demo_tenant.store
    said = f"{person}'s manager couldn't open the portal last night either. What blocked her?"
    request = understand(store, default_registry(), said, store.captured_at(), Session())
    assert [m.id for m in request.entities.of_kind("user")] == [manager]


def test_and_her_manager_asks_the_last_question_of_her_manager(demo_tenant: DemoTenant) -> None:
    from idpilot.copilot.engine import Copilot
    from idpilot.copilot.session import Session

    store = demo_tenant.store
    person, manager, above = store.con.execute(
        "SELECT u.displayName, m.id, json_extract_string(m.manager, '$.id') FROM users u "
        "JOIN users m ON m.id = json_extract_string(u.manager, '$.id') "
        "WHERE m.manager IS NOT NULL ORDER BY u.displayName LIMIT 1"
    ).fetchone()
    copilot, session = Copilot(store), Session()
    copilot.ask(f"Tell me about {person}.", session)
    answer = copilot.ask("And her manager?", session)
    assert answer.skills[0].params["user"] == manager
    # "Who's her manager?" reads her own record (which names him); asked again, one level up.
    session = Session()
    copilot.ask(f"Tell me about {person}.", session)
    assert copilot.ask("Who's her manager?", session).skills[0].params["user"] != manager
    up = copilot.ask("And her manager?", session)
    assert up.skills[0].params["user"] == manager and above


def test_the_speaker_who_owns_an_app_is_not_its_subject(demo_tenant: DemoTenant) -> None:
    app, owner = _one_owned_app(demo_tenant)
    request = _read(demo_tenant, f"I'm the business owner of {app}. Who is allowed to use it?")
    assert owner not in {m.id for m in request.entities.of_kind("user")}
    assert request.intent == "app_details"


def test_our_role_held_by_one_person_is_that_person(demo_tenant: DemoTenant) -> None:
    one, holder = demo_tenant.store.con.execute(
        "SELECT rd.displayName, min(ra.principalId) FROM roleAssignments ra "
        "JOIN roleDefinitions rd ON rd.id = ra.roleDefinitionId "
        "JOIN users u ON u.id = ra.principalId GROUP BY 1 HAVING count(DISTINCT u.id) = 1 "
        "ORDER BY 1 LIMIT 1"
    ).fetchone()
    request = _read(demo_tenant, f"What has our {one} been doing this month?")
    assert [m.id for m in request.entities.of_kind("user")] == [holder]
    # Asking who holds it asks about the role.
    asked = _read(demo_tenant, f"who is our {one}?")
    assert not asked.entities.of_kind("user") and asked.intent == "role_holders"
    several = demo_tenant.store.scalar(
        "SELECT rd.displayName FROM roleAssignments ra "
        "JOIN roleDefinitions rd ON rd.id = ra.roleDefinitionId "
        "JOIN users u ON u.id = ra.principalId GROUP BY 1 HAVING count(DISTINCT u.id) > 1 "
        "ORDER BY 1 LIMIT 1"
    )
    assert not _read(demo_tenant, f"what has our {several} done?").entities.of_kind("user")


def test_the_person_a_change_was_made_to_comes_before_a_guessed_actor() -> None:
    from idpilot.copilot.understanding.relations import changed_person_first

    marcus = EntityMatch(kind="user", id="m", label="Marcus L", detail="", phrase="marcus l",
                         quality=MatchQuality.exact)  # fmt: skip
    rahul = EntityMatch(kind="user", id="r", label="Rahul P", detail="", phrase="rahul p",
                        quality=MatchQuality.exact)  # fmt: skip
    entities = PromptEntities(matches=[marcus, rahul])
    changed_person_first(entities, "I assume it was Marcus L who gave Rahul P Global Reader?")
    assert [m.id for m in entities.matches] == ["r", "m"]
    entities = PromptEntities(matches=[marcus, rahul])
    changed_person_first(entities, "did Marcus L and Rahul P sign in today?")
    assert [m.id for m in entities.matches] == ["m", "r"]  # no change said: as they were
