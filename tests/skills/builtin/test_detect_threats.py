"""detect_threats lists, under each sign-in finding, the risk detections that corroborate it."""

from __future__ import annotations

from idpilot.copilot.composer import CitationBook, compose
from idpilot.skills import default_registry
from tests.conftest import DemoTenant

from .linked_tenant import SPRAY_IP, Linked


def test_spray_finding_names_its_corroborating_risk_detection(linked: Linked) -> None:
    window = {"start": linked.t.ago(days=30), "end": linked.t.captured, "phrase": ""}
    result = default_registry().get("detect_threats").run(linked.store, {"window": window})
    [spray] = [f for f in result.facts.findings if f.detection == "passwordSpray"]
    assert [d["id"] for d in spray.corroboration] == [linked.risk["id"]]
    book = CitationBook(result.evidence)
    text = compose(result, book)
    line = next(line for line in text.splitlines() if "Identity Protection corroborates" in line)
    assert "passwordSpray (high risk" in line and SPRAY_IP in line
    assert ("riskDetection", linked.risk["id"]) in book.cited()


def test_the_account_a_spray_got_into_is_cited_by_its_user_record(demo_tenant: DemoTenant) -> None:
    from idpilot.copilot.engine import Copilot

    victim = demo_tenant.answer_key["personas"]["spray_victim"]
    answer = Copilot(demo_tenant.store).ask("did the password spray get into anyone?")
    assert ("user", victim["id"]) in {(c.kind, c.id) for c in answer.citations}
