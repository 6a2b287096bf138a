"""A request for a query, read into a typed `KqlQuestion` the query builder writes KQL for.

It reads what the understanding layer already found, once: the time window, the objects the
prompt names (users as their UPN, apps by display name, policies), IPs, error codes, countries,
risk levels, audit activities and client apps (`Request.entities`, `Request.window`,
`Request.stated`). What is left is read here: the table, the groupings, a threshold ("from 3
countries", "more than 10 failures"), top N and whether only a count is asked. A part of the
question no query here can express is listed in `unexpressed`, or, when it is the question
itself (a join, a trend, a named attack), the question is refused with the reason.
"""

from __future__ import annotations

import re

from idpilot.copilot import _kql_words as words
from idpilot.copilot.entities import PromptEntities
from idpilot.copilot.time_phrases import unresolved_time_phrase
from idpilot.copilot.understanding._slot_devices import find_how
from idpilot.copilot.understanding._slot_network import find_network
from idpilot.copilot.understanding._slot_places import find_places
from idpilot.copilot.understanding.request import Request
from idpilot.copilot.understanding.understand import (
    PARTIAL_WORDS,
    blank_names,
    unresolved_name,
)
from idpilot.kql.builder import supports
from idpilot.kql.question import (
    Attribute,
    Comparison,
    Condition,
    KqlQuestion,
    LogTable,
    QueryKind,
    Threshold,
)
from idpilot.model.records import Record
from idpilot.store.lookup import EntityMatch, MatchQuality

_SURE = (MatchQuality.id, MatchQuality.exact, MatchQuality.alias, MatchQuality.fuzzy)
_SIGN_IN_TABLES = (LogTable.sign_ins, LogTable.non_interactive)
_LIST_SHAPED = (QueryKind.risky_users, QueryKind.risky_service_principals)
_STEM = 5
"""Letters of a word's stem compared ("credentials" and "credential" are one word)."""
_ANY_RISK = {"low", "medium", "high"}
"""Every risk level: "at risk" names no level in particular."""
_GENERIC_NAME_WORDS = frozenset({"kql", "kusto", "sentinel", "log", "analytics", "query"})


def asks_for_query(prompt: str) -> bool:
    """The prompt asks for a KQL query to be written ("give me KQL for ...")."""
    return bool(words.ASKS_FOR_QUERY.search(prompt))


def read_kql_question(request: Request) -> KqlQuestion:
    """The typed question a request for a query asks, with what it cannot express."""
    text = " ".join(blank_names(request.prompt, request.entities).lower().split())
    text = text.replace("’", "'")
    kind, table = _kind_and_table(text, bool(request.stated.values.get("activities")))
    question = KqlQuestion(kind=kind, table=table, window=request.window)
    if (refused := _refused(text, kind)) is not None:
        question.refusal = refused
        return question
    _add_conditions(question, request, text)
    _add_grouping(question, text)
    _add_threshold(question, text)
    _add_limits(question, text, request)
    question.unexpressed += _unexpressed(request, question)
    return question


def _kind_and_table(text: str, names_activity: bool) -> tuple[QueryKind, LogTable]:
    if names_activity and not words.SIGN_INS.search(text) and not words.RISK.search(text):
        return QueryKind.audit, LogTable.audit  # "password resets", "credentials added"
    for kind, table, pattern in words.TABLES:
        if pattern.search(text):
            return kind, table
    if any(p.search(text) for p in words.RISK_TYPES.values()) and words.RECORDS.search(text):
        return QueryKind.risk_events, LogTable.risk_events  # "leaked credentials detections"
    table = LogTable.non_interactive if words.NON_INTERACTIVE.search(text) else LogTable.sign_ins
    if words.CONDITIONAL_ACCESS.search(text) and words.PER_POLICY.search(text):
        return QueryKind.ca_results, table
    if words.MFA.search(text):
        return QueryKind.mfa, table
    return QueryKind.sign_ins, table


def _refused(text: str, kind: QueryKind) -> str | None:
    for pattern, what in words.REFUSED_KINDS:
        match = pattern.search(text)
        if match is None:
            continue
        said = match.group(0)
        if kind is QueryKind.risk_events and any(p.search(said) for p in words.RISK_TYPES.values()):
            continue  # "unlikely travel" detections are a risk event type, not a detection to run
        return f"{what} ('{said}')"
    return None


def _add_conditions(question: KqlQuestion, request: Request, text: str) -> None:
    """The values the prompt states, each on the field its table holds them in."""
    entities, stated, table = request.entities, request.stated.values, question.table
    users = _sure(entities, "user")
    for kind in ("user", "servicePrincipal", "conditionalAccessPolicy"):
        question.named += [_plain(m) for m in _sure(entities, kind)]
    if users and table is LogTable.audit:
        for field, upns in _actors_and_targets(request.prompt, users).items():
            _condition(question, field, upns)
    elif users:
        _condition(question, Attribute.user, [m.detail for m in users if m.detail])
    apps = _sure(entities, "servicePrincipal")
    if apps:
        field = Attribute.service_principal if table not in _SIGN_IN_TABLES else Attribute.app
        _condition(question, field, [m.label for m in apps])
    if entities.ips:
        _condition(question, Attribute.ip, entities.ips)
    if entities.error_codes:
        _condition(question, Attribute.error_code, [str(code) for code in entities.error_codes])
    if countries := stated.get("countries"):
        _condition(question, Attribute.country, [code.upper() for code in countries])
    if (levels := stated.get("levels")) and set(levels) != _ANY_RISK:
        _condition(question, Attribute.risk_level, list(levels))
    if activities := stated.get("activities"):
        _condition(question, Attribute.operation, _most_specific(activities, request.prompt))
    if client := stated.get("client_app"):
        _client_app(question, client)
    _policies(question, entities, text)
    _result(question, text)
    _risk_words(question, text)


def _plain(match: EntityMatch) -> Record:
    """The record a match is, without the phrase and quality."""
    return Record(
        kind=match.kind, id=match.id, label=match.label, detail=match.detail, fields=match.fields
    )


def _most_specific(activities: list[str], prompt: str) -> list[str]:
    """The named activities whose words the prompt says, less those another one says more of:
    "service principal credentials added" names "Add service principal credentials", not
    also "Add user"."""
    said = _stems(prompt)

    def matched(activity: str) -> set[str]:
        return _stems(activity) & said

    found = {activity: matched(activity) for activity in activities}
    return [a for a in activities if not any(found[a] < found[b] for b in activities)]


def _stems(text: str) -> set[str]:
    """The words of a text without their endings ("added" and "add" are one)."""
    return {
        re.sub(r"(?:ing|ed|es|s)$", "", word)[:_STEM]
        for word in re.findall(r"[a-z]+", text.lower())
    }


def _sure(entities: PromptEntities, kind: str) -> list[EntityMatch]:
    """Matches of a kind sure enough to filter on, one per object (for a policy, several
    words of its name are enough, as the understanding layer reads them)."""
    found: dict[str, EntityMatch] = {}
    for match in entities.of_kind(kind):
        several = kind == "conditionalAccessPolicy" and len(match.phrase.split()) >= PARTIAL_WORDS
        if (match.quality in _SURE or several) and match.id not in found:
            found[match.id] = match
    return list(found.values())


def _actors_and_targets(prompt: str, users: list[EntityMatch]) -> dict[Attribute, list[str]]:
    """In the audit log a named user is the actor ("changes by X", "X reset ...") or else the
    target ("changes to X")."""
    lower = prompt.lower()
    split: dict[Attribute, list[str]] = {}
    for user in users:
        where = lower.find(user.phrase) if user.phrase else -1
        before, after = lower[:where] if where >= 0 else "", lower[where + len(user.phrase) :]
        acting = where >= 0 and (
            words.ACTOR_BEFORE.search(before) or words.ACTOR_AFTER.search(after)
        )
        field = Attribute.actor if acting else Attribute.target
        split.setdefault(field, []).append(user.detail)
    return split


def _condition(question: KqlQuestion, field: Attribute, values: list[str]) -> None:
    if not values:
        return
    if not supports(question.table, field):
        shown = ", ".join(values)
        question.unexpressed.append(
            f"{field.value} {shown} ({question.table.value} has no such column)"
        )
        return
    question.conditions.append(Condition(field=field, values=tuple(dict.fromkeys(values))))


def _client_app(question: KqlQuestion, client: str) -> None:
    if client == "other":  # legacy authentication: every client but browsers and modern apps
        if supports(question.table, Attribute.client_app):
            question.conditions.append(
                Condition(field=Attribute.client_app, values=words.LEGACY_CLIENTS, negated=True)
            )
        else:
            question.unexpressed.append(f"legacy clients ({question.table.value} has no client)")
    elif client in words.CLIENT_APPS:
        _condition(question, Attribute.client_app, list(words.CLIENT_APPS[client]))


def _policies(question: KqlQuestion, entities: PromptEntities, text: str) -> None:
    """A named Conditional Access policy, and what its result should be."""
    policies = [m for m in _sure(entities, "conditionalAccessPolicy")]
    if policies and question.kind in (QueryKind.sign_ins, QueryKind.mfa, QueryKind.ca_results):
        question.kind = QueryKind.ca_results
        _condition(question, Attribute.policy, [m.label for m in policies])
    if not words.CONDITIONAL_ACCESS.search(text):
        return
    outcomes = [o for o, pattern in words.CA_OUTCOMES.items() if pattern.search(text)]
    if question.kind is QueryKind.ca_results and outcomes:
        _condition(question, Attribute.policy_result, outcomes[:1])
    elif question.kind in (QueryKind.sign_ins, QueryKind.mfa) and outcomes:
        _condition(question, Attribute.ca_status, outcomes[:1])


def _result(question: KqlQuestion, text: str) -> None:
    """Failed or successful sign-ins (or audit operations)."""
    if question.kind in (QueryKind.ca_results, *_LIST_SHAPED, QueryKind.risk_events):
        return
    if question.kind in (QueryKind.sign_ins, QueryKind.mfa) and any(
        c.field is Attribute.ca_status for c in question.conditions
    ):
        return  # "blocked by conditional access" is the CA status, not any failure
    if question.table is LogTable.audit:
        if words.AUDIT_RESULT_FAILURE.search(text):
            question.conditions.append(Condition(field=Attribute.result, values=("failure",)))
        return
    if any(c.field is Attribute.error_code for c in question.conditions):
        return  # an error code says more than "failed"
    failed, succeeded = words.FAILURE.search(text), words.SUCCESS.search(text)
    if failed and not succeeded:
        question.conditions.append(Condition(field=Attribute.result, values=("failure",)))
    elif succeeded and not failed:
        question.conditions.append(Condition(field=Attribute.result, values=("success",)))


def _risk_words(question: KqlQuestion, text: str) -> None:
    """Risk event types and risk states, for the Identity Protection tables."""
    if question.kind is QueryKind.risk_events:
        types = [name for name, pattern in words.RISK_TYPES.items() if pattern.search(text)]
        _condition(question, Attribute.risk_event_type, types)
    if question.kind in (QueryKind.risk_events, *_LIST_SHAPED):
        states = [name for name, pattern in words.RISK_STATES.items() if pattern.search(text)]
        _condition(question, Attribute.risk_state, states)


def _add_grouping(question: KqlQuestion, text: str) -> None:
    """Groupings said with "by"/"per"/"each", or asked for ("which IPs", "top 5 apps")."""
    found: list[tuple[int, Attribute]] = []
    for field, nouns in words.GROUP_WORDS:
        pattern = re.compile(rf"\b{words.GROUP_LEAD}{words._NOUN.format(nouns)}\b")
        for match in pattern.finditer(text):
            found.append((match.start(), _meant(question, field)))
        asked = re.compile(rf"\b({nouns})\b")
        for match in asked.finditer(text):
            before, after = text[: match.start()], text[match.end() :]
            if words.ASKED_FOR.search(before) or words.SUBJECT_AFTER.match(after):
                found.append((match.start(), _meant(question, field)))
        also = re.compile(rf"\b{words.GROUP_LEAD}[\w\s-]{{1,30}}?{words.AND_THEN}({nouns})\b")
        for match in also.finditer(text):
            found.append((match.start(1), _meant(question, field)))
    if words.DAILY.search(text):
        found.append((words.DAILY.search(text).start(), Attribute.day))  # type: ignore[union-attr]
    fields: list[Attribute] = []
    for _, field in sorted(found):
        if field in fields or _already_one(question, field):
            continue
        if question.kind in _LIST_SHAPED and field in (
            Attribute.user,
            Attribute.service_principal,
            Attribute.app,
        ):
            continue  # a risky user is a row already
        if not supports(question.table, field):
            question.unexpressed.append(
                f"grouping by {field.value} ({question.table.value} has no such column)"
            )
            continue
        fields.append(field)
    if question.kind is QueryKind.ca_results:
        fields = _per_policy(question, fields, text)
    question.group_by = fields


def _per_policy(question: KqlQuestion, fields: list[Attribute], text: str) -> list[Attribute]:
    """CA results are counted per policy, and per result unless one result is asked for."""
    named = _already_one(question, Attribute.policy)
    first = [] if named or Attribute.policy in fields else [Attribute.policy]
    fields = first + fields
    pinned = any(c.field is Attribute.policy_result for c in question.conditions)
    if not pinned and Attribute.policy_result not in fields and words.RESULTS.search(text):
        fields.append(Attribute.policy_result)
    return fields


def _meant(question: KqlQuestion, field: Attribute) -> Attribute:
    """What a generic word means for this kind of question ("result" of a CA policy...)."""
    if field is Attribute.result:
        if question.kind is QueryKind.ca_results:
            return Attribute.policy_result
        if question.table in (*_SIGN_IN_TABLES, LogTable.service_principal_sign_ins):
            return Attribute.error_code
    if field is Attribute.user and question.table is LogTable.audit:
        return Attribute.target
    if field is Attribute.app and question.table is LogTable.service_principal_sign_ins:
        return Attribute.service_principal
    if field is Attribute.operation and question.table is not LogTable.audit:
        return Attribute.risk_event_type if question.kind is QueryKind.risk_events else field
    return field


def _already_one(question: KqlQuestion, field: Attribute) -> bool:
    """Grouping by a field the conditions pin to one value says nothing ("for user X")."""
    return any(c.field is field and len(c.values) == 1 and not c.negated
               for c in question.conditions)  # fmt: skip


def _add_threshold(question: KqlQuestion, text: str) -> None:
    """ "from 3 countries", "more than 10 failures", "at least 5 distinct IPs"."""
    for field, nouns in words.DISTINCT_NOUNS:
        pattern = re.compile(
            rf"\b(?:(?P<lead>{words.DISTINCT_LEADS})\s+)?(?:(?P<cmp>{_COMPARING})\s+)?"
            rf"{words._N}\s*(?P<plus>\+|or more)?\s+(?:different |distinct |unique |separate )?"
            rf"(?:{nouns})\b"
        )
        for match in pattern.finditer(text):
            if not (match.group("lead") or match.group("cmp") or match.group("plus")):
                continue
            field = _meant(question, field)
            if not supports(question.table, field):
                question.unexpressed.append(
                    f"'{match.group(0).strip()}' ({question.table.value} has no {field.value})"
                )
                return
            question.threshold = Threshold(
                comparison=_comparison(match.group("cmp"), match.group("plus")),
                value=_number(match.group(3)),
                distinct=field,
            )
            _ensure_grouping(question, field)
            return
    pattern = re.compile(
        rf"\b(?:(?P<cmp>{_COMPARING})\s+)?{words._N}\s*(?P<plus>\+|or more)?\s+"
        rf"{words.COUNT_NOUNS}\b"
    )
    for match in pattern.finditer(text):
        if not (match.group("cmp") or match.group("plus")):
            continue
        comparison = _comparison(match.group("cmp"), match.group("plus"))
        question.threshold = Threshold(comparison=comparison, value=_number(match.group(2)))
        _ensure_grouping(question, None)
        return


_COMPARING = "|".join(pattern for pattern, _ in words.COMPARISONS)


def _comparison(said: str | None, plus: str | None) -> Comparison:
    if said:
        for pattern, symbol in words.COMPARISONS:
            if re.fullmatch(pattern, said):
                return Comparison(symbol)
    return Comparison.at_least


def _number(said: str) -> int:
    return int(said) if said.isdigit() else words.NUMBER_WORDS[said]


def _ensure_grouping(question: KqlQuestion, distinct: Attribute | None) -> None:
    """A threshold counts per something: per user unless the question groups otherwise."""
    question.group_by = [f for f in question.group_by if f is not distinct]
    if question.group_by:
        return
    default = {
        LogTable.audit: Attribute.actor,
        LogTable.service_principal_sign_ins: Attribute.service_principal,
        LogTable.risky_service_principals: Attribute.service_principal,
    }.get(question.table, Attribute.user)
    if distinct is Attribute.user:
        default = Attribute.ip if supports(question.table, Attribute.ip) else Attribute.operation
    if supports(question.table, default):
        question.group_by = [default]


def _add_limits(question: KqlQuestion, text: str, request: Request) -> None:
    """Top N, "which user ... the most" (top 1), and "how many" with nothing to group by."""
    if match := words.TOP.search(text):
        question.top = _number(match.group(1) or match.group(2))
    elif words.MOST.search(text) and (single := words.SINGULAR_ASK.search(text)):
        del single
        question.top = 1
    if question.top is not None and not question.group_by and question.kind not in _LIST_SHAPED:
        field = _top_subject(text, question)
        if field is not None:
            question.group_by = [field]
    asks_count = request.form.value == "count" or bool(words.COUNTING.search(text))
    if asks_count and not question.group_by and question.threshold is None:
        question.count_only = True


def _top_subject(text: str, question: KqlQuestion) -> Attribute | None:
    """ "top 10 users by ...": the noun after the number."""
    after = re.search(rf"\btop\s+{words._N}\s+(\w+(?: \w+)?)", text)
    said = (
        after.group(2) if after else (m.group(1) if (m := words.SINGULAR_ASK.search(text)) else "")
    )
    for field, nouns in words.GROUP_WORDS:
        if re.match(rf"(?:{nouns})\b", said):
            meant = _meant(question, field)
            return meant if supports(question.table, meant) else None
    return None


def _unexpressed(request: Request, question: KqlQuestion) -> list[str]:
    """Conditions the understanding layer could not read, and names it could not find."""
    missing = _unparsed_conditions(request)
    name = unresolved_name(request.prompt, request.entities)
    if name and not set(name.lower().split()) & _GENERIC_NAME_WORDS and name not in LogTable:
        missing.append(f"'{name}' (no user, group or app of that name)")
    return missing


def _unparsed_conditions(request: Request) -> list[str]:
    """Conditions the slot parsers recognise but cannot express ("outside the EU", a city)."""
    text = blank_names(request.prompt, request.entities)
    found = [*find_places(text).unparsed, *find_how(text).unparsed, *find_network(text).unparsed]
    if (vague := unresolved_time_phrase(text)) is not None:
        found.append(vague)
    return list(dict.fromkeys(found))


def names_the_language(prompt: str) -> bool:
    """The prompt names KQL, Kusto, Sentinel or Log Analytics (not just "a query")."""
    return bool(words.THE_LANGUAGE.search(prompt))
