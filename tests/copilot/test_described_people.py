"""People named by what they are: a job title, a city, an outside company, "new"."""

from __future__ import annotations

from pathlib import Path

from idpilot.copilot.described_people import described_people
from idpilot.store import Store
from tests.security.builder import TenantBuilder


def _tenant(tmp_path: Path) -> tuple[Store, TenantBuilder]:
    t = TenantBuilder()
    t.user("Sven Head", jobTitle="Head of IT", city="Malmö", companyName="Northwind AB")
    t.user("Ewa Old", jobTitle="Accountant", city="Kraków", companyName="Northwind AB")
    t.user("Anna Older", jobTitle="Accountant", city="Kraków", companyName="Northwind AB")
    t.user("Bart New", jobTitle="Accountant", city="Kraków", companyName="Northwind AB",
           createdDateTime=t.ago(days=2).isoformat().replace("+00:00", "Z"))  # fmt: skip
    t.user("Marta Guest", jobTitle=None, companyName="Iberwind Consulting", userType="Guest")
    return t.store(tmp_path / "snap"), t


def _names(store: Store, prompt: str, t: TenantBuilder) -> list[str]:
    return [m.label for m in described_people(store, prompt, t.ago(days=0))]


def test_a_title_only_one_person_holds_names_them(tmp_path: Path) -> None:
    store, t = _tenant(tmp_path)
    assert _names(store, "Our Head of IT: which roles does he hold?", t) == ["Sven Head"]


def test_new_city_and_title_narrow_to_the_new_hire(tmp_path: Path) -> None:
    store, t = _tenant(tmp_path)
    prompt = "the new accountant in Krakow: has he signed in yet?"
    assert _names(store, prompt, t) == ["Bart New"]
    # Without "new", the three accountants fit: the question must ask which.
    assert sorted(_names(store, "the accountant in Krakow, has he set up MFA?", t)) == [
        "Anna Older",
        "Bart New",
        "Ewa Old",
    ]


def test_an_outside_company_names_its_guest(tmp_path: Path) -> None:
    store, t = _tenant(tmp_path)
    assert _names(store, "what if the Iberwind consultant signs in from Spain?", t) == [
        "Marta Guest"
    ]


def test_plurals_and_the_tenants_own_company_describe_no_one(tmp_path: Path) -> None:
    store, t = _tenant(tmp_path)
    assert _names(store, "list the accountants in Krakow", t) == []
    assert _names(store, "the Northwind sign-ins last week", t) == []
    assert _names(store, "how many users signed in today?", t) == []


def test_a_company_word_in_an_apps_name_describes_no_one(tmp_path: Path) -> None:
    store, t = _tenant(tmp_path)
    assert _names(store, "who consented to the iberwind document signer app?", t) == []
    assert _names(store, "is the guest from Iberwind Consulting risky?", t) == ["Marta Guest"]


def test_the_window_of_the_question_does_not_date_a_new_persons_start(tmp_path: Path) -> None:
    """ "the new accountant: failed sign-ins since yesterday?" is about Bart, created 2 days ago."""
    store, t = _tenant(tmp_path)
    prompt = "the new accountant in Krakow: any failed sign-ins since yesterday?"
    assert _names(store, prompt, t) == ["Bart New"]
    assert _names(store, "the new accountant in Krakow who started yesterday", t) == []


def test_a_person_described_by_a_failed_sign_in_is_who_failed_there(tmp_path: Path) -> None:
    """Six people in Kraków (more than a description names); one failed at the portal."""
    t = TenantBuilder()
    people = [t.user(f"Kra Person{n}", city="Kraków") for n in range(6)]
    portal = t.service_principal("Azure Portal")
    t.sign_in(people[3], t.ago(hours=2), error=50126, appId=portal["appId"],
              appDisplayName="Azure Portal")  # fmt: skip
    t.sign_in(people[4], t.ago(hours=3), error=0, appId=portal["appId"])
    store = t.store(tmp_path / "snap")
    prompt = "the guy in Kraków who couldnt get into the azure portal"
    found = described_people(store, prompt, t.ago(days=0), [portal["id"]])
    assert [m.label for m in found] == ["Kra Person3"]
    # Without the failure, six fit: no one is named.
    assert described_people(store, "the guy in Kraków", t.ago(days=0), [portal["id"]]) == []
