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
from datetime import UTC, datetime

from idpilot.copilot import _kql_words as words
from idpilot.copilot._kql_shape import (
    LIST_SHAPED,
    SIGN_IN_TABLES,
    add_grouping,
    add_limits,
    add_threshold,
)
from idpilot.copilot.entities import PromptEntities
from idpilot.copilot.understanding.request import Request
from idpilot.copilot.understanding.slots import extract_slots
from idpilot.copilot.understanding.stated import VALUE_WORDS
from idpilot.copilot.understanding.understand import (
    PARTIAL_WORDS,
    blank_names,
    unresolved_name,
)
from idpilot.kql.builder import supports
from idpilot.kql.question import (
    Attribute,
    Condition,
    KqlQuestion,
    LogTable,
    QueryKind,
)
from idpilot.model.records import Record
from idpilot.store.lookup import EntityMatch, MatchQuality

_SURE = (MatchQuality.id, MatchQuality.exact, MatchQuality.alias, MatchQuality.fuzzy)
_STEM = 5
"""Letters of a word's stem compared ("credentials" and "credential" are one word)."""
_ANY_ANCHOR = datetime(2000, 1, 1, tzinfo=UTC)
_ANY_RISK = {"low", "medium", "high"}
"""Every risk level: "at risk" names no level in particular."""
_READ_HERE = frozenset(
    {
        "countries",
        "country",
        "cities",
        "levels",
        "sign_in_risk",
        "user_risk",
        "activities",
        "client_app",
        "mfa",
        "capabilities",
        "report_kind",
        "audience",
    }
)
"""Stated values this reader applies (or has no use for: roles' abilities, a report's kind and
reader, which "sign-ins" or "for the CISO" also state); any other the prompt states is said
not expressed."""
_TABLE_NAMES = frozenset(table.value for table in LogTable)
_GENERIC_NAME_WORDS = frozenset({"kql", "kusto", "sentinel", "log", "analytics", "query"})


def about_the_tables(request: Request) -> bool:
    """The request asks what a table holds (how many rows, how far back, is it there), not for
    a query over its records: "how many rows are in the audit log table?"."""
    if not words.TABLE_SAID.search(request.prompt):
        return False
    question = read_kql_question(request)
    only_the_table = question.refusal is None and not (
        question.conditions or question.window or question.group_by or question.threshold
    )
    extent = question.count_only or bool(words.TABLE_EXTENT.search(request.prompt))
    return only_the_table and extent


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
    add_grouping(question, text)
    add_threshold(question, text)
    add_limits(question, text, asks_count=request.form.value == "count")
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
        field = Attribute.service_principal if table not in SIGN_IN_TABLES else Attribute.app
        _condition(question, field, [m.label for m in apps])
    if entities.ips:
        _condition(question, Attribute.ip, entities.ips)
    if entities.error_codes:
        _condition(question, Attribute.error_code, [str(code) for code in entities.error_codes])
    if countries := stated.get("countries"):
        _condition(question, Attribute.country, [code.upper() for code in countries])
    if cities := stated.get("cities"):
        _condition(question, Attribute.city, list(cities))
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
    if question.kind in (QueryKind.ca_results, *LIST_SHAPED, QueryKind.risk_events):
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
    if question.kind in (QueryKind.risk_events, *LIST_SHAPED):
        states = [name for name, pattern in words.RISK_STATES.items() if pattern.search(text)]
        _condition(question, Attribute.risk_state, states)


def _unexpressed(request: Request, question: KqlQuestion) -> list[str]:
    """Conditions the understanding layer could not read, and names it could not find."""
    missing = _unparsed_conditions(request)
    read = set(_READ_HERE)
    if question.threshold is not None:
        read.add("min_failures")  # "at least 20 failed sign-ins": the query's threshold
    if question.top is not None:
        read.add("rank")  # "the last 3": the query's top
    if any(c.field is Attribute.ca_status for c in question.conditions):
        read.add("ca_blocked")
    missing += [
        VALUE_WORDS.get(key, key.replace("_", " "))
        for key in request.stated.values
        if key not in read
    ]
    name = unresolved_name(request.prompt, request.entities)
    if name and not set(name.lower().split()) & _GENERIC_NAME_WORDS and name not in _TABLE_NAMES:
        missing.append(f"'{name}' (no user, group or app of that name)")
    return missing


def _unparsed_conditions(request: Request) -> list[str]:
    """Conditions the slot parsers recognise but cannot express ("outside the EU", a city)."""
    # Only the unparsed conditions are read: they do not depend on the time anchor.
    anchor = request.window.end if request.window else _ANY_ANCHOR
    return extract_slots(blank_names(request.prompt, request.entities), anchor).unparsed_conditions
