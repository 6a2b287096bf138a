"""Names read with what the prompt says around them: department, the words of a longer name,
accents typed that the tenant does not store, and follow-ups that point back."""

from __future__ import annotations

from idpilot.copilot.engine import Copilot
from idpilot.copilot.entities import PromptEntities
from idpilot.copilot.session import Session
from idpilot.copilot.understanding.prompt_names import keep_closest_names
from idpilot.copilot.understanding.understand import understand
from idpilot.skills import default_registry
from idpilot.store.lookup import EntityMatch, MatchQuality
from tests.conftest import DemoTenant


def _read(demo: DemoTenant, prompt: str, session: Session | None = None):
    return understand(demo.store, default_registry(), prompt, demo.store.captured_at(), session)


def test_a_department_said_narrows_a_shared_first_name(demo_tenant: DemoTenant) -> None:
    first, department, user_id = demo_tenant.store.con.execute(
        """
        SELECT givenName, department, id FROM users u
        WHERE givenName IN (SELECT givenName FROM users GROUP BY 1 HAVING count(*) > 1)
          AND department IS NOT NULL
          AND (SELECT count(*) FROM users v WHERE v.givenName = u.givenName
               AND v.department = u.department) = 1
        ORDER BY givenName, id LIMIT 1
        """
    ).fetchone()
    request = _read(demo_tenant, f"which groups is {first} from {department} in?")
    assert {m.id for m in request.entities.matches if m.kind == "user"} == {user_id}


def test_a_name_typed_with_accents_the_tenant_lacks_finds_the_person(
    demo_tenant: DemoTenant,
) -> None:
    alice = demo_tenant.answer_key["personas"]["alice_johnson"]
    accented = alice["displayName"].replace("A", "Á").replace("o", "ö")
    request = _read(demo_tenant, f"why did {accented} fail to sign in?")
    assert [m.id for m in request.entities.matches if m.kind == "user"] == [alice["id"]]


def _group(label: str, number: int) -> EntityMatch:
    return EntityMatch(
        kind="group", id=f"g{number}", label=label, phrase="exclusion", quality=MatchQuality.partial
    )


def test_the_longer_name_the_prompt_says_wins_a_shared_word() -> None:
    entities = PromptEntities(
        matches=[_group("CA-Exclusion-BreakGlass", 1), _group("CA-Exclusion-ServiceAccounts", 2)]
    )
    keep_closest_names(entities, "who put it in the CA service accounts exclusion group?")
    assert [m.label for m in entities.matches] == ["CA-Exclusion-ServiceAccounts"]
    both = PromptEntities(matches=[_group("CA-Exclusion-A", 1), _group("CA-Exclusion-B", 2)])
    keep_closest_names(both, "who changed the exclusion group?")
    assert len(both.matches) == 2  # nothing says which: still ambiguous


def test_the_top_one_is_the_first_item_of_the_last_list(demo_tenant: DemoTenant) -> None:
    copilot, session = Copilot(demo_tenant.store), Session()
    listing = copilot.ask("who is at risk right now?", session=session)
    first_user = next(c.id for c in listing.citations if c.kind in ("user", "riskyUser"))
    request = _read(demo_tenant, "tell me more about the top one", session)
    assert request.intent == "risky_user_summary"
    assert [m.id for m in request.entities.matches] == [first_user]


def test_the_spray_one_is_the_one_item_whose_line_says_spray(demo_tenant: DemoTenant) -> None:
    copilot, session = Copilot(demo_tenant.store), Session()
    copilot.ask("who is at risk right now?", session=session)
    listed = session.last_turn().listed
    sprayed = [item.id for item in listed if "passwordSpray" in item.detail]
    assert len(sprayed) == 1
    request = _read(demo_tenant, "and the spray one?", session)
    assert [m.id for m in request.entities.of_kind("user")] == sprayed
    for level in ("high", "medium", "low"):
        if sum(f"{level} risk" in item.detail for item in listed) > 1:
            # A word several lines say picks nobody.
            assert not _read(demo_tenant, f"and the {level} one?", session).entities.of_kind("user")


def test_it_after_an_error_code_question_is_that_code(demo_tenant: DemoTenant) -> None:
    copilot, session = Copilot(demo_tenant.store), Session()
    copilot.ask("what does AADSTS50126 mean?", session=session)
    request = _read(demo_tenant, "ok, and who's hitting it here?", session)
    assert request.entities.error_codes == [50126]
    assert request.intent == "explain_error"
    # Longer, and in words that alone read as directory activity: still that code's question.
    longer = _read(demo_tenant, "ok and who got it this week?", session)
    assert longer.entities.error_codes == [50126]
    assert longer.intent == "explain_error"
    own = _read(demo_tenant, "what changed on it since monday?", session)
    assert own.intent != "explain_error"


def test_a_reading_whose_answer_includes_the_others_answers_them() -> None:
    from idpilot.copilot.understanding.classifier import IntentScore
    from idpilot.copilot.understanding.understand import _covering

    readings = [
        IntentScore("audit_history", 0.38, "account_disabled"),
        IntentScore("user_details", 0.32, "account_status"),
        IntentScore("signin_troubleshoot", 0.19, "failure"),
        IntentScore("list_users", 0.01, "disabled"),
    ]
    covering = _covering(readings, {"user", "named:user"})
    assert covering is not None and covering[0].intent == "signin_troubleshoot"
    assert round(covering[0].probability, 2) == 0.89
    # Without the user it needs, the failed sign-in cannot answer for the others.
    assert _covering(readings, set()) is None
    unrelated = [
        IntentScore("audit_history", 0.4, "changes"),
        IntentScore("risky_users", 0.35, None),
    ]
    assert _covering(unrelated, {"user", "named:user"}) is None


def test_two_words_of_an_app_name_keep_the_prompt_in_scope(demo_tenant: DemoTenant) -> None:
    app_id, words = demo_tenant.store.con.execute(
        """
        SELECT id, lower(replace(displayName, 'Contoso ', '')) FROM servicePrincipals
        WHERE displayName LIKE 'Contoso % %' AND len(string_split(displayName, ' ')) = 3
        ORDER BY displayName LIMIT 1
        """
    ).fetchone()
    request = _read(demo_tenant, f"what graph perms does {words} have")
    assert request.scope.value == "tenant"  # about the tenant's app, not refused
    assert app_id in {m.id for m in request.entities.matches}


def test_early_in_the_morning_counts_the_small_hours(demo_tenant: DemoTenant) -> None:
    request = _read(demo_tenant, "what did the admins change early thursday morning?")
    assert request.window is not None
    assert (request.window.start.hour, request.window.end.hour) == (0, 9)


def test_the_app_the_prompt_says_more_of_is_the_one_asked_about(demo_tenant: DemoTenant) -> None:
    app_id, words = demo_tenant.store.con.execute(
        """
        SELECT id, lower(replace(displayName, 'Contoso ', '')) FROM servicePrincipals
        WHERE displayName LIKE 'Contoso % %' AND len(string_split(displayName, ' ')) = 3
        ORDER BY displayName LIMIT 1
        """
    ).fetchone()
    # "graph" is a word of Microsoft Graph's name too, but only says which permissions.
    answer = Copilot(demo_tenant.store).ask(f"what graph permissions does {words} have?")
    assert [(s.name, s.params.get("application")) for s in answer.skills] == [
        ("app_details", app_id)
    ]


def test_a_city_office_is_a_place_not_an_app_or_group(demo_tenant: DemoTenant) -> None:
    [city] = demo_tenant.store.con.execute(
        """
        SELECT s.location->>'city' AS city FROM signIns s, groups g
        WHERE city IS NOT NULL AND g.displayName ILIKE '%' || city || '%'
        GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1
        """
    ).fetchone()
    request = _read(demo_tenant, f"would bob get through with IMAP from the {city} office?")
    assert request.stated is not None and {"office", city.lower()} <= request.stated.place_words
    assert not [m for m in request.entities.matches if m.kind in ("group", "servicePrincipal")]


def test_the_day_before_is_the_last_turns_window_moved_back(demo_tenant: DemoTenant) -> None:
    copilot, session = Copilot(demo_tenant.store), Session()
    first = copilot.ask("how many sign-ins failed yesterday?", session=session)
    before = _read(demo_tenant, "and the day before?", session)
    assert before.intent == first.skills[0].name == "signin_summary"
    from idpilot.model.windows import TimeWindow

    yesterday = TimeWindow.model_validate(first.skills[0].params["window"])
    assert before.window is not None
    assert before.window.end == yesterday.start  # the whole day before yesterday
    assert before.window.end - before.window.start == yesterday.end - yesterday.start


def test_a_first_name_with_a_surname_nobody_has_names_no_one(demo_tenant: DemoTenant) -> None:
    """ "oskar brannigan": the Oskars are not meant; the name is said not to exist."""
    first = demo_tenant.store.query(
        "SELECT givenName FROM users GROUP BY 1 HAVING count(*) > 1 ORDER BY 1 LIMIT 1"
    )
    given = first[0]["givenName"].lower()
    request = _read(demo_tenant, f"what roles does {given} brannigan have?")
    assert not request.entities.of_kind("user")
    assert request.entities.unknown_names == [f"{given} brannigan"]
    # A word of questions after the first name is no surname: the people stay.
    kept = _read(demo_tenant, f"what roles does {given} have?")
    assert len({m.id for m in kept.entities.of_kind("user")}) > 1


def test_a_first_name_with_another_persons_short_surname_names_no_one(
    demo_tenant: DemoTenant,
) -> None:
    """ "zoe zhou": a four-letter surname two letters from the first name is not a slip of it."""
    pair = demo_tenant.store.query(
        "SELECT a.givenName AS given, b.surname AS surname FROM users a, users b "
        "WHERE length(b.surname) = 4 AND a.surname <> b.surname "
        "AND lower(a.givenName) NOT IN "
        "(SELECT lower(givenName) FROM users WHERE surname = b.surname) "
        "AND a.givenName IN (SELECT givenName FROM users GROUP BY 1 HAVING count(*) = 1) "
        "ORDER BY 1, 2 LIMIT 1"
    )[0]
    prompt = f"when did {pair['given']} {pair['surname']} last sign in?"
    request = _read(demo_tenant, prompt)
    assert not request.entities.of_kind("user")
    assert request.entities.unknown_names == [f"{pair['given']} {pair['surname']}"]


def test_a_three_letter_surname_names_its_people_unless_typed_as_a_code(
    demo_tenant: DemoTenant,
) -> None:
    """ "when did Kim last sign in?" asks which Kim; "budgets in KIM" names nobody."""
    rows = demo_tenant.store.query(
        "SELECT surname FROM users WHERE length(surname) = 3 GROUP BY 1 HAVING count(*) > 1 "
        "ORDER BY 1 LIMIT 1"
    )
    surname = rows[0]["surname"]
    people = _read(demo_tenant, f"when did {surname} last sign in?").entities.of_kind("user")
    assert len({m.id for m in people}) > 1
    assert all(m.label.endswith(surname) for m in people)
    coded = _read(demo_tenant, f"which budgets are in {surname.upper()} this year?")
    assert not coded.entities.of_kind("user")


def test_a_group_name_with_a_word_no_group_has_before_the_shared_word_names_none(
    demo_tenant: DemoTenant,
) -> None:
    """ "the project titan team group" where only other Project … Team groups exist."""
    rows = demo_tenant.store.query(
        "SELECT displayName FROM groups WHERE displayName LIKE 'Project % Team' ORDER BY 1"
    )
    assert len(rows) > 1
    request = _read(demo_tenant, "who's in the project titan team group?")
    assert not request.entities.of_kind("group")
    assert request.entities.unknown_names == ["project titan team"]
    named = _read(demo_tenant, f"who's in the {rows[0]['displayName'].lower()} group?")
    assert [m.label for m in named.entities.of_kind("group")] == [rows[0]["displayName"]]


def test_a_short_word_before_a_kind_noun_names_the_one_object_of_that_kind(
    demo_tenant: DemoTenant,
) -> None:
    """ "the HR app": the one app whose name holds "HR" (a short word alone names nothing)."""
    apps = demo_tenant.store.query(
        "SELECT id FROM servicePrincipals WHERE regexp_matches(displayName, '\\bHR\\b')"
    )
    request = _read(demo_tenant, "the HR app - who owns it and what can it access?")
    named = {m.id for m in request.entities.of_kind("servicePrincipal")}
    assert len(apps) == 1 and named == {apps[0]["id"]}
    assert not _read(demo_tenant, "who owns hr?").entities.of_kind("servicePrincipal")
    # A sync job or an integration is an app too ("the HR sync job").
    said = "what has the HR sync job changed this week?"
    assert apps[0]["id"] in {
        m.id for m in _read(demo_tenant, said).entities.of_kind("servicePrincipal")
    }


def _managed(demo: DemoTenant) -> tuple[str, str, str]:
    row = demo.store.con.execute(
        """
        SELECT u.displayName, json_extract_string(u.manager, '$.id'),
               json_extract_string(u.manager, '$.displayName')
        FROM users u WHERE json_extract_string(u.manager, '$.id') IS NOT NULL
          AND (SELECT count(*) FROM users v WHERE v.displayName = u.displayName) = 1
          AND (SELECT count(*) FROM users v
               WHERE v.displayName = json_extract_string(u.manager, '$.displayName')) = 1
        ORDER BY u.displayName LIMIT 1
        """
    ).fetchone()
    return row


def test_the_manager_of_someone_is_that_persons_manager(demo_tenant: DemoTenant) -> None:
    person, manager_id, _ = _managed(demo_tenant)
    request = _read(demo_tenant, f"The manager of {person} is flagged as risky. Why?")
    assert {m.id for m in request.entities.of_kind("user")} == {manager_id}
    # Asking who the manager is keeps the person: her record answers.
    asked = _read(demo_tenant, f"who is {person}'s manager?")
    assert manager_id not in {m.id for m in asked.entities.of_kind("user")}


def test_who_reports_to_someone_lists_their_direct_reports(demo_tenant: DemoTenant) -> None:
    _, manager_id, manager = _managed(demo_tenant)
    request = _read(demo_tenant, f"who reports to {manager}?")
    assert request.intent == "list_users"
    assert request.stated.values["reports_to"] == manager_id
    reports = demo_tenant.store.scalar(
        "SELECT count(*) FROM users WHERE json_extract_string(manager, '$.id') = ?", [manager_id]
    )
    result = default_registry().get("list_users").run(demo_tenant.store, {"reports_to": manager_id})
    assert result.facts.total == reports > 0


def test_a_person_who_reports_a_problem_is_not_a_manager(demo_tenant: DemoTenant) -> None:
    _, _, manager = _managed(demo_tenant)
    request = _read(demo_tenant, f"user {manager} reports she can't log in since Tuesday")
    assert "reports_to" not in request.stated.values


def test_a_list_asked_with_filters_goes_where_every_filter_applies(
    demo_tenant: DemoTenant,
) -> None:
    """ "any admin whose only second factor is SMS": the role holders, filtered by their
    registration (both filters applied)."""
    request = _read(demo_tenant, "Is there any admin whose only second factor is SMS?")
    assert request.intent == "role_holders"
    assert request.stated.values["privileged"] is True
    assert request.stated.values["sms_only"] is True


def test_an_api_named_for_its_permissions_is_not_the_app_asked_about() -> None:
    from idpilot.copilot.understanding.prompt_names import drop_api_names

    graph = EntityMatch(
        kind="servicePrincipal", id="g", label="Microsoft Graph", phrase="microsoft graph",
        quality=MatchQuality.exact,
    )  # fmt: skip
    entities = PromptEntities(matches=[graph])
    drop_api_names(entities, "list the apps holding high-privilege Microsoft Graph permissions")
    assert entities.matches == []
    kept = PromptEntities(matches=[graph])
    drop_api_names(kept, "is Microsoft Graph risky, and what Microsoft Graph permissions exist?")
    assert kept.matches == [graph]  # also named on its own


def test_an_office_spoken_of_is_a_place_not_the_office_apps(demo_tenant: DemoTenant) -> None:
    city = demo_tenant.store.con.execute(
        "SELECT location->>'city' FROM signIns WHERE location->>'city' <> '' "
        "GROUP BY 1 ORDER BY count(*) LIMIT 1"
    ).fetchone()[0]
    request = _read(demo_tenant, f"who's signing in from {city}? we don't have an office there")
    assert not request.entities.of_kind("servicePrincipal")
    assert request.intent == "signin_summary"


def test_a_first_name_also_inside_a_place_name_is_the_person() -> None:
    from idpilot.copilot.entities import _prefer_free_occurrences
    from idpilot.copilot.understanding.prompt_names import mask_names

    paulo = EntityMatch(
        kind="user",
        id="u1",
        label="Paulo Gonçalves",
        phrase="paulo",
        quality=MatchQuality.first_name,
    )
    office = EntityMatch(
        kind="group", id="g1", label="Field Service São Paulo", phrase="são paulo",
        quality=MatchQuality.partial,
    )  # fmt: skip
    prompt = "Paulo (São Paulo, sales) was blocked from Outlook on Sunday"
    # "paulo" typed at words 0 and 2; the second lies inside "são paulo" (words 1-2).
    spans = {"paulo": (2, 3), "são paulo": (1, 3)}
    phrases = [("paulo", 0, 1), ("são", 1, 2), ("paulo", 2, 3), ("são paulo", 1, 3)]
    _prefer_free_occurrences([paulo, office], spans, phrases)
    assert spans["paulo"] == (0, 1)
    masked = mask_names(prompt, PromptEntities(matches=[paulo, office]))
    assert masked.startswith("someone (São Paulo, sales)")


def test_the_first_word_of_a_service_accounts_name_is_no_first_name(
    demo_tenant: DemoTenant,
) -> None:
    from idpilot.copilot.entities import resolve_entities

    store = demo_tenant.store
    word, upn = store.con.execute(
        "SELECT lower(split_part(displayName, ' ', 1)), userPrincipalName FROM users "
        "WHERE userPrincipalName ILIKE 'svc%' ORDER BY 1 LIMIT 1"
    ).fetchone()
    assert not resolve_entities(store, f"reboot the {word} server").of_kind("user")
    assert resolve_entities(store, f"is {upn} risky?").of_kind("user")
    # Its first words together name it: "the print scanner account".
    two = store.scalar(
        "SELECT lower(split_part(displayName, ' ', 1) || ' ' || split_part(displayName, ' ', 2)) "
        "FROM users WHERE userPrincipalName = ?",
        [upn],
    )
    assert resolve_entities(store, f"is the {two} account risky?").of_kind("user")


def test_a_first_name_said_as_a_network_names_nobody() -> None:
    from idpilot.copilot.entities import PromptEntities
    from idpilot.copilot.understanding.prompt_names import drop_names_of_networks
    from idpilot.store.lookup import EntityMatch, MatchQuality

    tor = EntityMatch(
        kind="user", id="u1", label="Tor Fjellstad", detail="", phrase="tor",
        quality=MatchQuality.first_name,
    )  # fmt: skip
    entities = PromptEntities(matches=[tor])
    drop_names_of_networks(entities, "a session from the Tor exit node on Sunday")
    assert entities.matches == []
    entities = PromptEntities(matches=[tor])
    drop_names_of_networks(entities, "did Tor sign in from the Tor network?")
    assert entities.matches == [tor]  # said once as a person
