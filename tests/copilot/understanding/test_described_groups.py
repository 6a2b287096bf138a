"""A group named by what its description says, and nothing named when the words fit no one
group better than the others."""

from __future__ import annotations

from idpilot.copilot.engine import Copilot
from idpilot.copilot.entities import PromptEntities, resolve_entities
from idpilot.copilot.session import Session
from idpilot.copilot.understanding.described_groups import (
    _content_words,
    swap_for_described_group,
)
from tests.conftest import DemoTenant


def _described(demo: DemoTenant, prompt: str) -> list[str]:
    entities = PromptEntities()
    swap_for_described_group(demo.store, prompt, entities)
    return [m.id for m in entities.of_kind("group")]


def test_the_company_and_everyone_are_said_many_ways() -> None:
    tenant = frozenset({"contoso"})
    assert _content_words("everyone in the company", tenant) == {"all", "organisation"}
    assert _content_words("Every Contoso employee", tenant) >= {"all", "organisation"}
    assert "ca" in _content_words("skip conditional access", tenant)
    assert _content_words("the helpdesk team", tenant) == {"helpdesk"}


def test_a_group_described_by_its_description_is_that_group(demo_tenant: DemoTenant) -> None:
    rows = demo_tenant.store.con.execute(
        "SELECT id, description FROM groups WHERE length(description) > 10 ORDER BY id"
    ).fetchall()
    named = 0
    for group_id, description in rows:
        found = _described(demo_tenant, f"who owns the group for {description.lower()}?")
        assert found in ([], [group_id]), description  # never another group
        named += found == [group_id]
    assert named >= len(rows) // 2


def test_words_that_fit_no_one_group_name_none(demo_tenant: DemoTenant) -> None:
    assert _described(demo_tenant, "who is in the helpdesk team group?") == []
    assert _described(demo_tenant, "who is in the group for everyone?") == []
    # The kind of group is not which group: "dynamic" leaves one word, too few to name one.
    department = demo_tenant.store.con.execute(
        "SELECT department FROM users WHERE department IS NOT NULL AND department NOT LIKE '% %' "
        "GROUP BY 1 ORDER BY 1 LIMIT 1"
    ).fetchone()[0]
    assert _described(demo_tenant, f"is she in the {department.lower()} dynamic group?") == []
    # A group the prompt names itself is not swapped for a described one.
    name, description = demo_tenant.store.con.execute(
        "SELECT displayName, description FROM groups WHERE length(description) > 10 "
        "ORDER BY id LIMIT 1"
    ).fetchone()
    entities = resolve_entities(demo_tenant.store, f"is {name} the group for {description}?")
    before = [m.id for m in entities.of_kind("group")]
    swap_for_described_group(demo_tenant.store, f"is {name} the group for {description}?", entities)
    assert [m.id for m in entities.of_kind("group")] == before


def test_what_else_he_did_after_who_made_a_change_is_the_actor(demo_tenant: DemoTenant) -> None:
    scenario = next(
        s for s in demo_tenant.answer_key["scenarios"] if s["id"] == "recent_group_change"
    )
    user, actor = scenario["entities"]["userId"], scenario["entities"]["actorId"]
    group = scenario["facts"]["groupDisplayName"]
    name = demo_tenant.store.con.execute(
        "SELECT displayName FROM users WHERE id = ?", [user]
    ).fetchone()[0]
    copilot, session = Copilot(demo_tenant.store), Session()
    copilot.ask(f"who added {name} to {group}?", session)
    answer = copilot.ask("what else has he done this month?", session)
    assert [s.name for s in answer.skills] == ["actor_activity"]
    assert answer.skills[0].params["user"] == actor
