"""Object ids inside audit old/new values and targets are shown as the objects they name."""

from __future__ import annotations

from idpilot.copilot.composer import CitationBook, compose
from idpilot.copilot.understanding.stated import read_stated
from idpilot.skills import default_registry

from .linked_tenant import UNKNOWN_ID, Linked


def test_policy_change_names_the_users_its_ids_are(linked: Linked) -> None:
    result = default_registry().get("policy_changes").run(linked.store, {})
    [event] = [e for e in result.facts.events if e.id == linked.policy_update["id"]]
    [change] = [c for t in event.targets for c in t.changes if c.name.endswith("excludeUsers")]
    old_refs = [p.ref for p in change.old_parts if p.ref]
    assert old_refs == [f"user:{linked.admin['id']}", f"user:{linked.dora['id']}"]
    book = CitationBook(result.evidence)
    text = compose(result, book)
    assert text.splitlines()[0].startswith(
        f"1 Conditional Access policy changed: {linked.policy['displayName']} ["
    )
    line = next(line for line in text.splitlines() if "excludeUsers" in line)
    assert linked.dora["displayName"] in line and linked.dora["id"] not in line
    assert UNKNOWN_ID in line  # an id the snapshot does not hold stays an id
    assert {linked.dora["id"], linked.admin["id"]} <= {i for _, i in book.cited()}


def test_audit_history_resolves_related_group_ids(linked: Linked) -> None:
    result = default_registry().get("audit_history").run(linked.store, {"user": linked.ann["id"]})
    [event] = [e for e in result.facts.events if e.id == linked.group_add["id"]]
    group_target = next(t for t in event.targets if t.type == "Group")
    assert group_target.ref == f"group:{linked.finance['id']}"
    book = CitationBook(result.evidence)
    compose(result, book)
    assert linked.finance["id"] in {i for _, i in book.cited()}


def test_who_changed_cites_the_group_of_the_event(linked: Linked) -> None:
    result = (
        default_registry()
        .get("who_changed")
        .run(linked.store, {"user": linked.ann["id"], "group": linked.finance["id"]})
    )
    assert [e.id for e in result.facts.events] == [linked.group_add["id"]]
    kinds = {(e.kind, e.id) for e in result.evidence}
    assert ("group", linked.finance["id"]) in kinds


def test_audit_history_first_sentence_answers_who_disabled(linked: Linked) -> None:
    result = (
        default_registry()
        .get("audit_history")
        .run(
            linked.store,
            {"user": linked.dora["id"], **read_stated(linked.store, "who disabled her?").values},
        )
    )
    assert result.facts.activities == ["Disable account"]
    first = compose(result, CitationBook(result.evidence)).splitlines()[0]
    admin = linked.admin
    assert first.startswith(f"{admin['displayName']} ({admin['userPrincipalName']}) [")
    assert "performed **Disable account**" in first
