"""A sign-in summary narrowed to one person the prompt names."""

from __future__ import annotations

from idpilot.copilot.engine import Copilot
from tests.conftest import DemoTenant


def test_one_users_sign_ins_over_a_window(demo_tenant: DemoTenant) -> None:
    user, name = demo_tenant.store.con.execute(
        "SELECT u.id, u.displayName FROM users u JOIN signIns s ON s.userId = u.id "
        "WHERE u.displayName NOT LIKE '% % %' GROUP BY ALL ORDER BY count(*) DESC, u.id LIMIT 1"
    ).fetchone()
    answer = Copilot(demo_tenant.store).ask(f"show me {name}'s sign-ins over the last week")
    assert [s.name for s in answer.skills] == ["signin_summary"]
    assert answer.skills[0].params["user"] == user
    window = answer.skills[0].params["window"]
    count = demo_tenant.store.con.execute(
        "SELECT count(*) FROM signIns WHERE userId = ? AND createdDateTime >= ? "
        "AND createdDateTime < ?",
        [user, window["start"], window["end"]],
    ).fetchone()[0]
    assert count > 0
    assert answer.answer.startswith(f"**{name}** [1]: {count} sign-ins")
    # Without a person named, the summary is the tenant's.
    everyone = Copilot(demo_tenant.store).ask("show me the sign-ins over the last week")
    assert "user" not in everyone.skills[0].params
