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


def _facts(directory: StoreDirectory, user_id: str) -> tuple[set[str], set[str], str | None]:
    return (
        directory.group_ids_of(user_id),
        directory.role_template_ids_of(user_id),
        directory.user_type_of(user_id),
    )


def test_a_user_read_one_by_one_has_the_facts_of_the_bulk_load(store, monkeypatch) -> None:
    import idpilot.store.ca_directory as ca_directory

    users = [row[0] for row in store.con.execute("SELECT id FROM users").fetchall()]
    users += [users[0].upper(), "nobody"]
    one_by_one = {u: _facts(StoreDirectory(store), u) for u in users}  # a fresh one per user
    monkeypatch.setattr(ca_directory, "USERS_ASKED_ONE_BY_ONE", 0)
    bulk = StoreDirectory(store)
    assert one_by_one == {u: _facts(bulk, u) for u in users}
    assert any(groups for groups, _, _ in one_by_one.values())
    assert any(roles for _, roles, _ in one_by_one.values())


def test_many_users_load_the_directory_in_bulk(store) -> None:
    import idpilot.store.ca_directory as ca_directory

    users = [row[0] for row in store.con.execute("SELECT id FROM users").fetchall()]
    assert len(users) > ca_directory.USERS_ASKED_ONE_BY_ONE
    directory = StoreDirectory(store)
    found = [_facts(directory, u) for u in users]
    assert directory._loaded
    assert found == [_facts(StoreDirectory(store), u) for u in users]


def test_nested_and_cyclic_groups_one_by_one_as_in_bulk(monkeypatch) -> None:
    import idpilot.store.ca_directory as ca_directory
    from idpilot.store import Store

    edges = [("ga", "u1"), ("gb", "ga"), ("GA", "gb"), ("gc", "GB"), ("gd", "gx"), ("gc", "u2")]
    with Store.open() as memory:
        memory.con.executemany(
            "INSERT INTO group_members (group_id, member_id) VALUES (?, ?)", edges
        )
        one_by_one = {u: StoreDirectory(memory).group_ids_of(u) for u in ("u1", "U2", "ga")}
        monkeypatch.setattr(ca_directory, "USERS_ASKED_ONE_BY_ONE", 0)
        bulk = StoreDirectory(memory)
        assert one_by_one == {u: bulk.group_ids_of(u) for u in ("u1", "U2", "ga")}
    assert one_by_one["u1"] == {"ga", "gb", "gc"}  # "GA" is ga, reached again: cut
