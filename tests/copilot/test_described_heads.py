"""A department's head, named by the manager chain above its people, not by a job title."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from idpilot.copilot.described_heads import department_head
from idpilot.copilot.described_people import described_people
from idpilot.store import Store
from tests.security.builder import TenantBuilder


def _boss(person: dict[str, Any]) -> dict[str, Any]:
    return {"@odata.type": "#microsoft.graph.user", "id": person["id"], "displayName": "x"}


def _tenant(tmp_path: Path) -> tuple[Store, TenantBuilder]:
    """Procurement: four buyers in München report to Jörg (a buyer himself), who reports to
    the CEO; a buyer in Bergen reports to Kari; Sales' people report to two managers nothing
    joins below the CEO."""
    t = TenantBuilder()
    ceo = t.user("Cora Chief", jobTitle="CEO", department="Board", city="München")
    jorg = t.user("Jorg Buyer", jobTitle="Buyer", department="Procurement", city="München",
                  manager=_boss(ceo))  # fmt: skip
    for name in ("Ann", "Ben", "Cid", "Dag"):
        t.user(f"{name} Buyer", jobTitle="Buyer", department="Procurement", city="München",
               manager=_boss(jorg))  # fmt: skip
    kari = t.user("Kari Lead", jobTitle="Buyer", department="Procurement", city="Bergen",
                  manager=_boss(ceo))  # fmt: skip
    t.user("Ola Buyer", jobTitle="Buyer", department="Procurement", city="Bergen",
           manager=_boss(kari))  # fmt: skip
    north = t.user("Nils North", jobTitle="Seller", department="Sales", manager=_boss(ceo))
    south = t.user("Sara South", jobTitle="Seller", department="Sales", manager=_boss(ceo))
    for name in ("Eva", "Finn"):
        t.user(f"{name} Seller", jobTitle="Seller", department="Sales", manager=_boss(north))
    for name in ("Gry", "Hans"):
        t.user(f"{name} Seller", jobTitle="Seller", department="Sales", manager=_boss(south))
    return t.store(tmp_path / "snap"), t


def _heads(store: Store, prompt: str, city: str | None = None) -> list[str]:
    return [m.label for m in department_head(store, prompt, city)]


def test_the_head_is_the_nearest_person_above_the_departments_people(tmp_path: Path) -> None:
    store, _ = _tenant(tmp_path)
    # Jörg is above 4 of the other 4 München buyers; the CEO above all 5 but further away.
    assert _heads(store, "the head of procurement can't sign in", "München") == ["Jorg Buyer"]
    assert _heads(store, "is our procurement boss risky?", "Bergen") == ["Kari Lead"]


def test_a_department_whose_managers_nothing_joins_below_the_top_has_the_top(
    tmp_path: Path,
) -> None:
    store, _ = _tenant(tmp_path)
    # Procurement as a whole: Jörg is above 4 of 6 others (under 80%); only the CEO is above all.
    assert _heads(store, "the head of procurement") == ["Cora Chief"]
    assert _heads(store, "what did the manager of the sales team change?") == ["Cora Chief"]


def test_no_head_noun_or_plural_names_no_one(tmp_path: Path) -> None:
    store, _ = _tenant(tmp_path)
    assert _heads(store, "list the procurement people in München", "München") == []
    assert _heads(store, "the procurement managers", "München") == []
    assert _heads(store, "the head of marketing") == []  # no such department


def test_a_description_by_head_reaches_the_understanding(tmp_path: Path) -> None:
    store, t = _tenant(tmp_path)
    prompt = "The head of procurement in München hasn't been able to sign in since Friday"
    found = described_people(store, prompt, t.ago(days=0))
    assert [(m.label, m.phrase) for m in found] == [("Jorg Buyer", "the head of procurement")]
