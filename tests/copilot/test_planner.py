"""The offline planner on the demo tenant: a what-if about a role passes the role."""

from __future__ import annotations

from idpilot.copilot.engine import Copilot
from idpilot.copilot.entities import PromptEntities
from idpilot.copilot.planner import Plan, _unfamiliar_words, _worth_answering, plan_offline
from idpilot.copilot.understanding._slot_numbers import question_form
from idpilot.copilot.understanding.classifier import IntentScore
from idpilot.copilot.understanding.request import Request, Scope
from idpilot.skills import default_registry
from idpilot.skills.builtin._role_names import find_role
from tests.conftest import DemoTenant


def _plan(demo: DemoTenant, prompt: str) -> Plan:
    return plan_offline(demo.store, default_registry(), prompt, demo.store.captured_at())


def test_a_what_if_about_someone_holding_a_role_runs_ca_whatif_with_the_role(
    demo_tenant: DemoTenant,
) -> None:
    [global_admin] = find_role(demo_tenant.store, "Global Administrator")
    prompt = "Would someone holding Global Administrator have to do MFA from France?"
    plan = _plan(demo_tenant, prompt)
    assert plan.missing is None
    [call] = plan.calls
    assert call.skill == "ca_whatif"
    assert call.params["role"] == global_admin["id"] and "user" not in call.params
    assert call.params["country"] == "FR"
    answer = Copilot(demo_tenant.store).ask(prompt)
    assert answer.skills[0].params["role"] == global_admin["id"]
    assert "What if someone holding Global Administrator" in answer.answer
    assert "could not find" not in answer.answer
    assert ("unifiedRoleDefinition", global_admin["id"]) in {
        (c.kind, c.id) for c in answer.citations
    }


def test_a_person_named_with_their_role_is_the_one_asked_about(demo_tenant: DemoTenant) -> None:
    alice = demo_tenant.answer_key["personas"]["alice_johnson"]
    plan = _plan(
        demo_tenant, f"What if {alice['displayName']}, a Global Administrator, signs in from Spain?"
    )
    [call] = plan.calls
    assert call.params["user"] == alice["id"] and "role" not in call.params


def test_a_what_if_naming_nobody_still_lacks_a_user(demo_tenant: DemoTenant) -> None:
    plan = _plan(demo_tenant, "What would happen if they signed in from an unmanaged iPhone?")
    assert plan.missing == "user"


def _request(*readings: tuple[str, float]) -> Request:
    return Request(
        prompt="p",
        scope=Scope.tenant,
        intent=readings[0][0],
        facet=None,
        confidence=readings[0][1],
        readings=[IntentScore(intent, p, None) for intent, p in readings],
        form=question_form("p"),
        entities=PromptEntities(),
        window=None,
    )


def test_an_unsure_reading_well_ahead_of_the_next_is_answered() -> None:
    assert _worth_answering(_request(("detect_threats", 0.39), ("user_details", 0.2)))


def test_near_even_readings_are_asked_about() -> None:
    assert not _worth_answering(_request(("detect_threats", 0.34), ("user_details", 0.31)))


def test_a_weak_best_reading_is_asked_about() -> None:
    assert not _worth_answering(_request(("detect_threats", 0.2), ("user_details", 0.1)))


def test_an_unsure_reading_no_skill_answers_is_not_answered_as_one() -> None:
    assert not _worth_answering(_request(("help", 0.4), ("ca_policies", 0.1)))


def test_an_answered_unsure_reading_says_how_it_was_read(demo_tenant: DemoTenant) -> None:
    copilot = Copilot(demo_tenant.store)
    prompt = "anything dodgy in the logs since last friday? boss wants a quick rundown"
    plan = _plan(demo_tenant, prompt)
    assert plan.request is not None and plan.request.unsure  # the premise of this test
    answer = copilot.ask(prompt)
    assert plan.read_as and [s.name for s in answer.skills] == [plan.request.intent]
    assert answer.answer.startswith("**Read as:**")
    assert answer.limits is not None and "unsure what was asked" in answer.limits
    assert answer.followups  # the other readings, one click away


def test_a_lower_case_name_the_tenant_lacks_is_quoted_back(demo_tenant: DemoTenant) -> None:
    answer = Copilot(demo_tenant.store).ask("why cant zebulon o'quackenbush log in since tuesday?")
    assert answer.status.value == "notFound"
    assert "zebulon o'quackenbush" in answer.answer


def test_one_unfamiliar_word_is_no_name() -> None:
    assert _unfamiliar_words("why do the sign-ins keep faling since tuesday?") is None


def test_a_ticket_number_is_not_read_as_an_error_code(demo_tenant: DemoTenant) -> None:
    """The planner's error codes follow the slot reader's rules: "Ticket: 77120" is an id."""
    from idpilot.copilot.entities import resolve_entities

    ticket = resolve_entities(demo_tenant.store, "Ticket: 77120. User says sign-in fails")
    assert ticket.error_codes == []
    coded = resolve_entities(demo_tenant.store, "sign-in fails with AADSTS50053 and 50126")
    assert coded.error_codes == [50053, 50126]


def test_a_sibling_of_a_group_name_the_tenant_lacks_is_not_found(demo_tenant: DemoTenant) -> None:
    """ "the project kraken group" is not any "Project ..." group: its own word names none."""
    missing = Copilot(demo_tenant.store).ask("who owns the project kraken group?")
    assert missing.status.value == "notFound"
    assert '"project kraken"' in missing.answer
    name = demo_tenant.store.scalar(
        "SELECT displayName FROM groups WHERE displayName LIKE 'Project % Team' ORDER BY 1 LIMIT 1"
    )
    found = Copilot(demo_tenant.store).ask(f"who owns the {name.removesuffix(' Team')} group?")
    assert found.status.value == "ok"
    assert found.skills[0].name == "group_details"


def test_of_two_groups_named_surely_the_whole_name_fills_the_slot() -> None:
    from idpilot.copilot.entities import PromptEntities
    from idpilot.copilot.planner import _slot_value
    from idpilot.skills.base import Slot
    from idpilot.store.lookup import EntityMatch, MatchQuality

    def group(phrase: str, group_id: str, quality: MatchQuality) -> EntityMatch:
        return EntityMatch(kind="group", id=group_id, label=phrase, phrase=phrase, quality=quality)

    entities = PromptEntities(
        matches=[
            group("bergen", "crew", MatchQuality.alias),  # "not Bergen crew": a word of a name
            group("scada operators", "scada", MatchQuality.exact),
        ]
    )
    assert _slot_value(Slot.group, entities, None) == "scada"


def test_several_error_codes_said_narrow_a_troubleshoot_to_none(demo_tenant: DemoTenant) -> None:
    """Rows pasted with 50126 and 50053: the failures are read whole, not the first code's."""
    alice = demo_tenant.store.scalar(
        "SELECT displayName FROM users WHERE displayName = 'Alice Johnson'"
    )
    one = Copilot(demo_tenant.store).ask(f"why did {alice} fail with 50126 this week?")
    assert one.skills[0].params.get("error_code") == 50126
    two = Copilot(demo_tenant.store).ask(f"why did {alice} fail with 50126 and 50053 this week?")
    assert two.skills[0].name == "signin_troubleshoot"
    assert "error_code" not in two.skills[0].params
