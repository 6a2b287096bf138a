"""The administration skills on the small fixture tenant, through the planner and the composer."""

import pytest

from idpilot.copilot.composer import CitationBook, compose
from idpilot.copilot.engine import Copilot
from idpilot.copilot.understanding.stated import read_stated
from idpilot.skills import default_registry

from .tenant import GA, ID, PRA


def ask(store, prompt):
    return Copilot(store).ask(prompt)


def cited(answer):
    return {c.id for c in answer.citations}


@pytest.mark.parametrize(
    ("prompt", "skill", "must_cite", "contains"),
    [
        ("Who added Eve Marsh to Global Administrator?", "who_changed",
         {"aud-ga-eve", ID["eve"]}, ["mallory@contoso.example", "203.0.113.7"]),
        ("who gave eve@contoso.example the Global Administrator role", "who_changed",
         {"aud-ga-eve"}, ["Add member to role"]),
        ("Who added Bob Stone to Night Shift?", "who_changed", {"aud-bob-night", ID["night"]},
         ["mallory@contoso.example"]),
        ("Who assigned Mallory Admin to Privileged Role Administrator?", "who_changed",
         {"aud-pra-elig"}, ["eve@contoso.example"]),
        ("What changed for Bob Stone?", "audit_history", {"aud-bob-dept", "aud-bob-night"},
         ["Department: Marketing → Sales"]),
        ("Show the audit history of Payroll Sync", "audit_history", {"aud-consent"},
         ["Consent to application"]),
        ("What did Mallory Admin do this month?", "actor_activity",
         {"aud-ga-eve", "aud-bob-dept", "aud-bob-night", "aud-ca-update"},
         ["4 directory changes"]),
        ("Which Conditional Access policies changed this month?", "policy_changes",
         {"aud-ca-update", ID["ca_mfa"]}, ["Require MFA for all"]),
        ("Which conditional access policies changed last month?", "policy_changes",
         {"aud-ca-add"}, ["Block legacy authentication"]),
        ("What did Mallory Admin change in CA this month?", "policy_changes",
         {"aud-ca-update", ID["mallory"]}, ["made by Mallory Admin", "Require MFA for all"]),
        ("What did Bob Stone change in conditional access this month?", "policy_changes",
         {ID["bob"]}, ["No Conditional Access policy was added, updated or deleted by Bob Stone"]),
        ("Why is Bob Stone in Tier0 Admins?", "membership_path",
         {ID["bob"], ID["night"], ID["helpdesk"], ID["tier0"]}, ["Night Shift"]),
        ("Explain the membership rule of Sales Team", "group_rule", {ID["sales"], ID["bob"]},
         ['department equals "Sales"', "Should be in but are not"]),
        ("Which guests were created this month?", "list_users", {ID["guest"]}, ["**1** of 7"]),
        ("disabled accounts that still hold licences", "list_users", {ID["dan"]}, ["**1** of 7"]),
        ("Which users never signed in?", "list_users", {ID["guest"]}, ["never recorded"]),
        ("Which groups have no owners?", "list_groups", {ID["helpdesk"], ID["empty"]},
         ["**2** of 5"]),
        ("which groups have guests?", "list_groups", {ID["night"]}, ["1 guest"]),
        ("Who holds Global Administrator?", "role_holders", {"ra-eve-ga", ID["eve"]},
         ["tenant-wide"]),
        ("who are the global admins", "role_holders", {"ra-eve-ga"}, ["Eve Marsh"]),
        ("List the privileged roles and their holders", "role_holders",
         {"ra-eve-ga", "es-mallory-pra", "ra-tier0-sec", "ra-alice-ua"}, ["administrative unit"]),
        ("How did Bob Stone get his roles?", "user_roles", {"ra-tier0-sec", ID["tier0"]},
         ["Night Shift"]),
        ("What permissions does Payroll Sync have?", "app_details",
         {"ara-payroll-graph", "grant-all", "aud-consent"},
         ["Directory.ReadWrite.All", "alice.johnson@contoso.example"]),
    ],
)  # fmt: skip
def test_prompt(store, prompt, skill, must_cite, contains):
    answer = ask(store, prompt)
    assert [s.name for s in answer.skills] == [skill], answer.answer
    assert must_cite <= cited(answer), answer.answer
    for text in contains:
        assert text in answer.answer.replace("\\", ""), answer.answer


def test_who_changed_without_audit_says_so(store):
    answer = ask(store, "Who added Alice Other to User Administrator?")
    assert answer.skills[0].name == "who_changed"
    assert "has no event" in answer.answer
    assert cited(answer) == {ID["alice_o"]}


def test_who_changed_group_without_audit_cites_the_group(store):
    """The answer that no event changed a group's members names the group, so it cites it."""
    answer = ask(store, "Who added people to Old Project?")
    assert answer.skills[0].name == "who_changed"
    assert "has no event" in answer.answer
    assert cited(answer) == {ID["empty"]}


def test_ambiguous_first_name(store):
    answer = ask(store, "What roles does Alice have?")
    assert "More than one user" in answer.answer
    assert {e.id for e in answer.evidence} >= {ID["alice_j"], ID["alice_o"]}


def test_audit_history_window_excludes_older_events(store):
    skill = default_registry().get("audit_history")
    window = {"start": "2024-06-13T00:00:00Z", "end": "2024-06-30T00:00:00Z", "phrase": "x"}
    result = skill.run(store, {"user": ID["bob"], "window": window})
    assert [e.id for e in result.facts.events] == ["aud-bob-night"]
    everything = skill.run(store, {"user": ID["bob"]})
    assert everything.facts.total == 2


def test_audit_history_of_role_uses_related_ids(store):
    result = default_registry().get("audit_history").run(store, {"role": "Global Administrator"})
    assert [e.id for e in result.facts.events] == ["aud-ga-eve"]


def test_who_changed_role_filter_rejects_other_roles(store):
    skill = default_registry().get("who_changed")
    hit = skill.run(store, {"user": ID["mallory"], "role": PRA})
    miss = skill.run(store, {"user": ID["mallory"], "role": GA})
    assert [e.id for e in hit.facts.events] == ["aud-pra-elig"]
    assert miss.facts.events == []


def test_membership_path_not_member(store):
    result = (
        default_registry()
        .get("membership_path")
        .run(store, {"user": ID["alice_j"], "group": ID["tier0"]})
    )
    assert result.facts.member is False and result.facts.paths == []


def test_group_rule_malformed(store):
    store.con.execute(
        "UPDATE groups SET membershipRule = ? WHERE id = ?",
        ['(user.department -eq "Sales"', ID["empty"]],
    )
    try:
        result = default_registry().get("group_rule").run(store, {"group": ID["empty"]})
        assert result.facts.error == "expected ')', found 'end of rule' at position 28"
    finally:
        store.con.execute("UPDATE groups SET membershipRule = NULL WHERE id = ?", [ID["empty"]])


def test_group_rule_device_rule_is_explained_without_comparing_users(store):
    store.con.execute(
        "UPDATE groups SET membershipRule = ? WHERE id = ?",
        ['device.deviceOSType -eq "Windows"', ID["empty"]],
    )
    try:
        result = default_registry().get("group_rule").run(store, {"group": ID["empty"]})
        assert result.facts.device_rule is True and result.facts.should_count is None
        assert [line.text for line in result.facts.explanation] == ['device OS equals "Windows"']
        text = compose(result, CitationBook(result.evidence))
        assert "a device is a member when" in text and "Rule versus actual" not in text
    finally:
        store.con.execute("UPDATE groups SET membershipRule = NULL WHERE id = ?", [ID["empty"]])


def test_group_rule_asked_user_published_as_is(store):
    result = (
        default_registry()
        .get("group_rule")
        .run(store, {"group": ID["sales"], "user": ID["alice_j"]})
    )
    assert result.facts.asked.is_member is True
    asked = result.model_dump(mode="json")["facts"]["asked"]
    assert asked["is"] is True and "is_member" not in asked


def test_list_users_typed_filters(store):
    result = (
        default_registry()
        .get("list_users")
        .run(store, {"user_type": "Member", "department": "sales"})
    )
    assert result.facts.total == 3
    assert result.facts.filters == {"user_type": "Member", "department": "sales"}


def test_list_users_inactive_days(store):
    stated = read_stated(store, "users with no sign-in in the last 60 days")
    result = default_registry().get("list_users").run(store, stated.values)
    assert result.facts.filters["inactive_days"] == 60
    assert {u.id for u in result.facts.users} == {ID["alice_o"], ID["dan"], ID["guest"]}


def test_app_credentials_classified(store):
    result = default_registry().get("app_details").run(store, {"application": "Payroll Sync"})
    status = {c["name"]: (c["status"], c["long_lived"]) for c in result.facts.credentials}
    assert status == {
        "old secret": ("expired", False),
        "new secret": ("expiring", False),
        "cert": ("valid", True),
    }
    delegated = {g["id"]: g for g in result.facts.delegated}
    assert delegated["grant-all"]["consent"]["by"] == "alice.johnson@contoso.example"
    assert delegated["grant-bob"]["consent"] is None
    assert delegated["grant-bob"]["principalUpn"] == "bob@contoso.example"
    assert [a["role"] for a in result.facts.assigned_to] == ["Payroll.Admin"]
    assert result.facts.sign_ins["count"] == 1


def test_user_roles_scope_and_eligibility(store):
    skill = default_registry().get("user_roles")
    alice = skill.run(store, {"user": ID["alice_o"]}).facts.roles
    assert alice[0].scope_kind == "administrativeUnit"
    mallory = skill.run(store, {"user": ID["mallory"]}).facts.roles
    assert mallory[0].assignment == "eligible" and mallory[0].privileged


def test_membership_paths_diamond_and_cycle(tmp_path):
    from idpilot.skills.builtin.membership_path import membership_paths
    from idpilot.sources.ingest import ingest_folder
    from idpilot.store import Store

    from .tenant import write_tenant

    def ref(kind, object_id):
        return {"@odata.type": f"#microsoft.graph.{kind}", "id": object_id}

    groups = [  # top <- left <- bottom, top <- right <- bottom, and a cycle left <-> loop
        {"id": "top", "displayName": "Top",
         "members": [ref("group", "left"), ref("group", "right")]},
        {"id": "left", "displayName": "Left",
         "members": [ref("group", "bottom"), ref("group", "loop")]},
        {"id": "right", "displayName": "Right", "members": [ref("group", "bottom")]},
        {"id": "loop", "displayName": "Loop", "members": [ref("group", "left")]},
        {"id": "bottom", "displayName": "Bottom", "members": [ref("user", "u1")]},
    ]  # fmt: skip
    users = [{"id": "u1", "displayName": "Uma One", "userPrincipalName": "u1@x.example"}]
    folder = write_tenant(tmp_path / "s", {"users": users, "groups": groups})
    store = Store.open(tmp_path / "d.duckdb")
    ingest_folder(store, folder)
    assert membership_paths(store, "u1", "top") == [
        ["bottom", "left", "top"],
        ["bottom", "right", "top"],
    ]
    assert membership_paths(store, "u1", "loop") == [["bottom", "left", "loop"]]
    assert membership_paths(store, "u1", "nowhere") == []


def test_list_users_privileged_keeps_role_holders_only(store):
    result = default_registry().get("list_users").run(store, {"privileged": True})
    listed = {u.id for u in result.facts.users}
    # Active, eligible (PIM) and administrative-unit-scoped holders of privileged roles.
    assert {ID["eve"], ID["mallory"]} <= listed
    assert ID["bob"] not in listed and result.facts.filters["privileged"] is True


def test_role_holders_eligible_only_of_any_role(store):
    result = default_registry().get("role_holders").run(store, {"assignment": "eligible"})
    holders = [(r.role, g.principal.id) for r in result.facts.roles for g in r.grants]
    assert holders == [("Privileged Role Administrator", ID["mallory"])]


@pytest.mark.parametrize(
    ("prompt", "field", "value"),
    [
        ("which admins have no MFA method registered?", "privileged", True),
        ("who's only PIM-eligible for a role, not active?", "assignment", "eligible"),
        ("list the standing admin assignments", "assignment", "active"),
    ],
)
def test_stated_role_filters(store, prompt, field, value):
    assert read_stated(store, prompt).values[field] == value


def test_pim_as_an_adjective_is_not_a_capability(store):
    assert "capabilities" not in read_stated(store, "who is PIM-eligible for a role?").values
    assert read_stated(store, "who can manage PIM settings?").values["capabilities"]


def test_list_users_by_licence_said(store):
    stated = read_stated(store, "who has a Microsoft 365 E3 licence?")
    result = default_registry().get("list_users").run(store, stated.values)
    with_e3 = {u.id for u in result.facts.users}
    assert with_e3 and result.facts.filters["licence"] == "Microsoft 365 E3"
    assert ID["guest"] not in with_e3


def test_conditional_access_sees_only_tenant_wide_role_assignments(store):
    """Microsoft: CA is not enforced for administrative-unit-scoped role assignments."""
    from idpilot.store.ca_directory import StoreDirectory

    directory = StoreDirectory(store)
    assert directory.role_template_ids_of(ID["eve"]) == {GA}
    assert directory.role_template_ids_of(ID["alice_o"]) == set()  # User Admin on an AU only


def test_who_changed_names_the_group_it_changed(store):
    result = default_registry().get("who_changed").run(store, {"user": ID["bob"]})
    text = compose(result, CitationBook(result.evidence))
    assert "was added to Night Shift by" in text.splitlines()[0]
    assert result.facts.events[0].container == "Night Shift"


def test_an_audit_actor_is_shown_by_name_beside_the_upn_and_cited(store):
    result = default_registry().get("who_changed").run(store, {"user": ID["bob"]})
    book = CitationBook(result.evidence)
    first = compose(result, book).splitlines()[0]
    assert "by **Mallory Admin** (mallory@contoso.example)" in first
    assert ("user", ID["mallory"]) in book.cited()
