"""StoreDirectory and the policy loaders over the fixture tenant."""

from __future__ import annotations

from idpilot.store.ca_directory import StoreDirectory, load_named_locations, load_policies
from signin.tenant import GLOBAL_ADMIN, G, P, U


def test_groups_are_transitive(store) -> None:
    directory = StoreDirectory(store)
    assert directory.group_ids_of(U["alice"]) == {G["sales"], G["staff"]}
    assert directory.group_ids_of(U["alice"].upper()) == {G["sales"], G["staff"]}
    assert directory.group_ids_of("nobody") == set()


def test_roles_direct_and_through_role_assignable_group(store) -> None:
    directory = StoreDirectory(store)
    assert directory.role_template_ids_of(U["admin"]) == {GLOBAL_ADMIN}
    assert directory.role_template_ids_of(U["bg"]) == {GLOBAL_ADMIN}
    assert directory.role_template_ids_of(U["alice"]) == set()


def test_user_types(store) -> None:
    directory = StoreDirectory(store)
    assert directory.user_type_of(U["guest"]) == "Guest"
    assert directory.user_type_of(U["alice"]) == "Member"
    assert directory.user_type_of("nobody") is None


def test_loaders_return_graph_json(store) -> None:
    policies = load_policies(store)
    assert {p["id"] for p in policies} == set(P.values())
    assert all("conditions" in p for p in policies)
    locations = load_named_locations(store)
    assert {loc["@odata.type"] for loc in locations} == {
        "#microsoft.graph.ipNamedLocation",
        "#microsoft.graph.countryNamedLocation",
    }
