"""An app named by when its secret or certificate runs out."""

from __future__ import annotations

from idpilot.copilot.entities import PromptEntities
from idpilot.copilot.understanding.described_apps import _MONTHS, swap_for_app_by_credential
from tests.conftest import DemoTenant


def _named(demo: DemoTenant, prompt: str) -> list[str]:
    entities = PromptEntities()
    swap_for_app_by_credential(demo.store, prompt, entities)
    return [m.id for m in entities.of_kind("servicePrincipal")]


def test_the_one_app_whose_secret_ends_in_a_month(demo_tenant: DemoTenant) -> None:
    rows = demo_tenant.store.con.execute(
        "SELECT sp.id, month(CAST(c->>'endDateTime' AS TIMESTAMPTZ)) AS m, "
        "year(CAST(c->>'endDateTime' AS TIMESTAMPTZ)) AS y "
        "FROM applications a, unnest(CAST(a.passwordCredentials AS JSON[])) t(c), "
        "servicePrincipals sp WHERE sp.appId = a.appId AND CAST(c->>'endDateTime' AS TIMESTAMPTZ) "
        "> ? ORDER BY 3, 2"
    , [demo_tenant.store.captured_at()]).fetchall()  # fmt: skip
    by_month: dict[tuple[int, int], set[str]] = {}
    for sp, month, year in rows:
        by_month.setdefault((year, month), set()).add(sp)
    captured = demo_tenant.store.captured_at()
    within_a_year = {
        key: ids
        for key, ids in by_month.items()
        if (key[0] - captured.year) * 12 + key[1] - captured.month in range(12)
    }
    single = [(key, ids) for key, ids in within_a_year.items() if len(ids) == 1]
    assert single, "the demo has an app whose only secret ending that month is its own"
    (_, month), (app,) = single[0]
    said = f"that app whose client secret runs out in {_MONTHS[month - 1]}, who owns it?"
    assert _named(demo_tenant, said) == [app]
    # A month no credential ends in names nothing.
    empty = next(m for m in range(1, 13) if all(k[1] != m for k in within_a_year))
    assert _named(demo_tenant, f"the app whose secret expires in {_MONTHS[empty - 1]}") == []
