"""A follow-up that points at "that IP" after an answer about an address the question did not
name: the address the answer spoke of first."""

from __future__ import annotations

from pathlib import Path

from idpilot.copilot.engine import Copilot
from idpilot.copilot.session import Session
from tests.security.builder import TenantBuilder

SPRAYER = "198.51.100.66"


def test_that_ip_after_a_spray_answer_is_the_spraying_address(tmp_path: Path) -> None:
    t = TenantBuilder()
    for n in range(12):
        person = t.user(f"Target Person{n}")
        t.sign_in(person, t.ago(hours=30, minutes=n), ip=SPRAYER, error=50126)
    t.sign_in(t.user("Quiet Person"), t.ago(hours=2), ip="203.0.113.5")
    copilot, session = Copilot(t.store(tmp_path / "snap")), Session()
    first = copilot.ask("Did anyone spray passwords at us in the last 3 days?", session)
    assert SPRAYER in first.answer
    answer = copilot.ask("Write me KQL for every sign-in from that IP.", session)
    assert [s.name for s in answer.skills] == ["kql_write"]
    assert SPRAYER in (answer.kql or answer.answer)
