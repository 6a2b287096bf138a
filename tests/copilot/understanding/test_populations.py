"""A kind of person read from a what-if that names no one, in the tenant's own words (every
department, group, company and title below is read from the demo store with SQL)."""

from __future__ import annotations

from typing import Any

from idpilot.copilot.engine import Copilot
from idpilot.copilot.understanding.populations import read_population
from tests.conftest import DemoTenant


def _read(demo: DemoTenant, prompt: str) -> dict[str, Any] | None:
    return read_population(demo.store, prompt)


def _one(demo: DemoTenant, sql: str, params: list[Any] | None = None) -> Any:
    row = demo.store.con.execute(sql, params or []).fetchone()
    assert row is not None, sql
    return row[0] if len(row) == 1 else row


def _whatif_call(demo: DemoTenant, prompt: str) -> tuple[Any, str]:
    answer = Copilot(demo.store).ask(prompt)
    [call] = [c for c in answer.skills if c.name == "ca_whatif"]
    return call, answer.answer


def test_someone_in_a_department(demo_tenant: DemoTenant) -> None:
    department = _one(
        demo_tenant,
        "SELECT department FROM users WHERE department IS NOT NULL AND department <> "
        "upper(department) GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1",
    )
    app = _one(demo_tenant, "SELECT displayName FROM servicePrincipals ORDER BY 1 LIMIT 1")
    prompt = (
        f"if someone in {department} opens {app} from a compliant Windows 11 laptop at home, "
        "what happens?"
    )
    found = _read(demo_tenant, prompt)
    assert found is not None and found["department"] == department
    assert found["said"].lower() == f"someone in {department.lower()}"
    call, text = _whatif_call(demo_tenant, prompt)
    assert call.params["population"]["department"] == department
    assert call.params["device_compliant"] is True and call.params["outside_locations"] is True
    count = _one(
        demo_tenant,
        "SELECT count(*) FROM users WHERE department = ? AND coalesce(accountEnabled, TRUE)",
        [department],
    )
    assert f"{count} enabled users" in text
    # "one of the <department> crew / team / staff" says the same.
    for said in (f"one of the {department} crew", f"one of our {department} team"):
        one = _read(demo_tenant, f"if {said} opens {app} from the UK, what happens?")
        assert one is not None and one["department"] == department, said


def test_a_kind_of_person_a_group_is_named_after(demo_tenant: DemoTenant) -> None:
    # A group named by one plural word, the only group whose name has that word.
    group_id, name = _one(
        demo_tenant,
        "SELECT id, displayName FROM groups WHERE regexp_matches(displayName, '^[A-Za-z]+s$') "
        "ORDER BY displayName LIMIT 1",
    )
    noun = name.lower().removesuffix("s")
    prompt = f"what happens when a {noun} opens Teams on an unmanaged Android phone?"
    assert _read(demo_tenant, prompt) == {"group": group_id, "said": f"a {noun}"}
    call, text = _whatif_call(demo_tenant, prompt)
    assert call.params["population"]["group"] == group_id
    assert "could not find" not in text and name in text


def test_a_word_of_job_titles_when_no_group_is_named_so(demo_tenant: DemoTenant) -> None:
    titles = [r[0] for r in demo_tenant.store.con.execute(
        "SELECT DISTINCT lower(regexp_extract(jobTitle, '([A-Za-z]{5,})$', 1)) FROM users "
        "WHERE jobTitle IS NOT NULL ORDER BY 1"
    ).fetchall() if r[0]]  # fmt: skip
    groups = " ".join(
        r[0]
        for r in demo_tenant.store.con.execute("SELECT lower(displayName) FROM groups").fetchall()
    )
    word = next(t for t in titles if t.removesuffix("s") not in groups)
    found = _read(demo_tenant, f"would any {word} need MFA from France?")
    assert found is not None and found["described"] == word.removesuffix("s")


def test_guests_of_a_company_and_guests_in_general(demo_tenant: DemoTenant) -> None:
    company = _one(
        demo_tenant,
        "SELECT companyName FROM users WHERE userType = 'Guest' AND companyName IS NOT NULL "
        "AND companyName <> (SELECT mode(companyName) FROM users) ORDER BY 1 LIMIT 1",
    )
    found = _read(demo_tenant, f"would a guest from {company} need MFA on SharePoint from Spain?")
    assert found is not None
    assert (found["user_type"], found["company"]) == ("Guest", company)
    assert _read(demo_tenant, "would guests need MFA on SharePoint?") == {
        "user_type": "Guest",
        "said": "guests",
    }
    # A guest of no company, in the singular, stays the hypothetical guest (`someone`).
    assert _read(demo_tenant, "would a guest signing in to SharePoint be blocked?") is None


def test_admins_and_new_starters(demo_tenant: DemoTenant) -> None:
    found = _read(demo_tenant, "does an admin need phishing-resistant MFA for the Azure portal?")
    assert found == {"admins": True, "said": "an admin"}
    assert _read(demo_tenant, "is the admin portal blocked from home?") is None
    found = _read(demo_tenant, "would a new starter be blocked from Outlook on an iPhone?")
    assert found is not None and found["new_days"] > 0 and found["said"] == "a new starter"


def test_a_named_user_keeps_the_one_user_answer(demo_tenant: DemoTenant) -> None:
    name = demo_tenant.answer_key["personas"]["alice_johnson"]["displayName"]
    prompt = f"what happens if {name} signs in from France?"
    assert _read(demo_tenant, prompt) is None
    call, text = _whatif_call(demo_tenant, prompt)
    assert "population" not in call.params and call.params.get("user")
    assert text.startswith(f"**What if {name}") and "enabled users" not in text


def test_a_population_asked_what_if_is_a_what_if_and_a_list_stays_a_list(
    demo_tenant: DemoTenant,
) -> None:
    from idpilot.copilot.understanding.understand import understand
    from idpilot.skills import default_registry

    department = _one(
        demo_tenant,
        "SELECT department FROM users WHERE department IS NOT NULL AND department <> "
        "upper(department) GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1",
    )
    app = _one(
        demo_tenant,
        "SELECT displayName FROM servicePrincipals WHERE displayName NOT ILIKE ? "
        "ORDER BY 1 LIMIT 1",
        [f"%{department}%"],
    )
    store, anchor = demo_tenant.store, demo_tenant.store.captured_at()

    def intent(prompt: str) -> str:
        return understand(store, default_registry(), prompt, anchor, None).intent

    assert intent(f"what happens if someone in {department} opens {app} from Germany?") == (
        "ca_whatif"
    )
    assert intent(f"which users are in {department}?") == "list_users"
