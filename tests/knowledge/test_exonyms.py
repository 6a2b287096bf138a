"""English city names are looked up in the city's own spelling too."""

from __future__ import annotations

from idpilot.knowledge.exonyms import endonym_variant


def test_english_city_names_become_the_citys_own() -> None:
    assert endonym_variant("munich all staff") == "münchen all staff"
    assert endonym_variant("the gothenburg office") == "the göteborg office"
    assert endonym_variant("den haag") is None  # already the city's own name
    assert endonym_variant("finance team") is None
    assert endonym_variant("romeo") is None  # whole words only


def test_a_group_named_in_the_citys_language_is_found_by_its_english_name(tmp_path) -> None:
    from idpilot.copilot.entities import resolve_entities
    from tests.security.builder import TenantBuilder

    tenant = TenantBuilder()
    tenant.group("Alle Mitarbeitenden München", [tenant.user("Käthe Vogelsang")])
    store = tenant.store(tmp_path)
    found = resolve_entities(store, "who is in the munich group?")
    assert [(m.label, m.phrase) for m in found.of_kind("group")] == [
        ("Alle Mitarbeitenden München", "munich")
    ]
