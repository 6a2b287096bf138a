"""group_details and list_groups name the audit behind a group's state: who removed the last
owner of an ownerless group, who added each member."""

from __future__ import annotations

from idpilot.copilot.composer import CitationBook, compose
from idpilot.skills import default_registry

from .linked_tenant import Linked


def test_group_details_names_who_removed_the_last_owner(linked: Linked) -> None:
    result = (
        default_registry().get("group_details").run(linked.store, {"group": linked.share["id"]})
    )
    removed = result.facts.owner_removed
    assert removed.id == linked.owner_removed["id"]
    assert removed.owner.id == linked.dora["id"]
    book = CitationBook(result.evidence)
    text = compose(result, book)
    admin = linked.admin
    assert f"no owner since {admin['displayName']} ({admin['userPrincipalName']})" in text
    assert f"removed {linked.dora['displayName']}" in text
    assert text.splitlines()[0].endswith(
        "with no owner. It has 0 owners, 1 direct member and "
        "1 member in all counting nested groups (1 user)."
    )
    assert {linked.owner_removed["id"], linked.dora["id"]} <= {i for _, i in book.cited()}


def test_group_without_an_owner_removal_in_the_log_says_so(linked: Linked) -> None:
    result = (
        default_registry().get("group_details").run(linked.store, {"group": linked.finance["id"]})
    )
    assert result.facts.owner_removed is None
    text = compose(result, CitationBook(result.evidence))
    assert "no event that removed an owner" in text


def test_ownerless_list_cites_the_removal(linked: Linked) -> None:
    result = default_registry().get("list_groups").run(linked.store, {"ownerless": True})
    by_id = {g.id: g for g in result.facts.groups}
    assert by_id[linked.share["id"]].owner_removed.id == linked.owner_removed["id"]
    assert by_id[linked.finance["id"]].owner_removed is None
    book = CitationBook(result.evidence)
    text = compose(result, book)
    assert f"removed {linked.dora['displayName']}" in text
    assert linked.owner_removed["id"] in {i for _, i in book.cited()}


def test_lists_without_the_ownerless_filter_read_no_audit(linked: Linked) -> None:
    result = default_registry().get("list_groups").run(linked.store, {})
    assert all(g.owner_removed is None for g in result.facts.groups)


def test_group_details_names_who_added_each_member(linked: Linked) -> None:
    skill = default_registry().get("group_details")
    result = skill.run(linked.store, {"group": linked.finance["id"]})
    [ann] = result.facts.direct_members
    assert ann.added_by.id == linked.group_add["id"]
    book = CitationBook(result.evidence)
    text = compose(result, book)
    assert f"added by {linked.admin['userPrincipalName']}" in text
    assert linked.group_add["id"] in {i for _, i in book.cited()}
    other = skill.run(linked.store, {"group": linked.share["id"]})
    assert other.facts.direct_members[0].added_by is None


def test_alternative_filters_list_a_group_matching_either(linked: Linked) -> None:
    skill = default_registry().get("list_groups")
    both = skill.run(linked.store, {"ownerless": True, "empty": True})
    either = skill.run(linked.store, {"ownerless": True, "empty": True, "any_of": True})
    ownerless = skill.run(linked.store, {"ownerless": True})
    empty = skill.run(linked.store, {"empty": True})
    ids = {g.id for g in either.facts.groups}
    assert ids == {g.id for g in ownerless.facts.groups} | {g.id for g in empty.facts.groups}
    assert either.facts.total > both.facts.total
    assert " or empty = yes" in compose(either, CitationBook(either.evidence))


def test_group_details_names_the_policies_that_exclude_or_include_the_group(tmp_path) -> None:
    """ "who's in the travel exclusion group and what does it let them skip?": the policy that
    excludes the group, cited; a policy that names other groups is not listed."""
    from tests.security.builder import TenantBuilder

    t = TenantBuilder()
    travel = t.group("Travel Exclusion", [t.user("Tess Traveller")])
    other = t.group("Someone Else", [])
    block = t.policy("Block outside home countries", exclude_groups=[travel["id"]])
    t.policy("Unrelated", exclude_groups=[other["id"]])
    store = t.store(tmp_path / "snap")
    result = default_registry().get("group_details").run(store, {"group": travel["id"]})
    assert [(p.id, p.excluded) for p in result.facts.policies] == [(block["id"], True)]
    text = compose(result, CitationBook(result.evidence))
    assert "excluded from Block outside home countries (enabled)" in text
