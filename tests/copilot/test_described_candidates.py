"""A description several people fit makes the answer ask which of them was meant."""

from __future__ import annotations

import re

from idpilot.copilot.answer import AnswerStatus
from idpilot.copilot.engine import Copilot
from tests.conftest import DemoTenant

_ROLES_OF_SEVERAL = """
SELECT sp.displayName AS app, coalesce(r.value->>'$.displayName', r.value->>'$.value') AS role,
       list(DISTINCT u.displayName ORDER BY u.displayName) AS holders
FROM appRoleAssignments a JOIN servicePrincipals sp ON sp.id = a.resourceId,
     json_each(sp.appRoles) r, users u
WHERE r.value->>'$.id' = a.appRoleId AND a.principalType IN ('User', 'Group')
  AND (u.id = a.principalId OR u.id IN (SELECT m.member_id FROM group_members m
                                         WHERE m.group_id = a.principalId))
GROUP BY ALL HAVING count(DISTINCT u.id) BETWEEN 2 AND 5 ORDER BY app, role
"""


def _asks_which(answer, people: list[str]) -> None:
    assert answer.status is AnswerStatus.ambiguous, answer.answer
    listed = re.findall(r"^- \*\*(.+?)\*\*", answer.answer, re.M)
    assert sorted(listed) == sorted(people), answer.answer


def test_several_holders_of_the_app_role_described_are_asked_about(
    demo_tenant: DemoTenant,
) -> None:
    rows = demo_tenant.store.query(_ROLES_OF_SEVERAL)
    assert rows, "no demo app role is held by two to five people"
    row = rows[0]
    noun = re.findall(r"[A-Za-z]+", row["role"])[-1].lower()
    answer = Copilot(demo_tenant.store).ask(f"the {noun} in the {row['app']}: is she risky?")
    _asks_which(answer, row["holders"])


def test_several_people_with_the_job_title_described_are_asked_about(
    demo_tenant: DemoTenant,
) -> None:
    store = demo_tenant.store
    rows = store.query(
        "SELECT jobTitle, list(displayName) AS people FROM users WHERE jobTitle IS NOT NULL "
        "GROUP BY jobTitle HAVING count(*) BETWEEN 2 AND 5 ORDER BY count(*), jobTitle"
    )
    assert rows, "no demo job title is held by two to five people"
    row = rows[0]
    answer = Copilot(store).ask(f"our {row['jobTitle']}: is he risky?")
    _asks_which(answer, row["people"])
