"""The shape of a query's result, read from a request for one: groupings, threshold, top N.

"by user", "per IP", "which apps" and "users failing ..." group; "from 3 countries" keeps groups
over a distinct count and "more than 10 failures" over a row count; "top 5", "which user ... the
most" rank; "how many" with nothing to group by is a count. A grouping or threshold on a field
the table lacks goes to the question's `unexpressed`, never dropped. Part of `kql_reading`.
"""

from __future__ import annotations

import re

from idpilot.copilot import _kql_words as words
from idpilot.kql.builder import supports
from idpilot.kql.question import Attribute, Comparison, KqlQuestion, LogTable, QueryKind, Threshold

SIGN_IN_TABLES = (LogTable.sign_ins, LogTable.non_interactive)
LIST_SHAPED = (QueryKind.risky_users, QueryKind.risky_service_principals)
"""Kinds whose records are one per user or app already."""


def add_grouping(question: KqlQuestion, text: str) -> None:
    """Groupings said with "by"/"per"/"each", or asked for ("which IPs", "top 5 apps") unless
    the records themselves are asked for ("users who ..., listed")."""
    found: list[tuple[int, Attribute]] = []
    records = bool(words.RECORDS_ASKED.search(text))
    for field, nouns in words.GROUP_WORDS:
        pattern = re.compile(rf"\b{words.GROUP_LEAD}{words.NOUN_GROUP.format(nouns)}\b")
        for match in pattern.finditer(text):
            found.append((match.start(), _meant(question, field)))
        asked = re.compile(rf"\b({nouns})\b")
        for match in [] if records else asked.finditer(text):
            before, after = text[: match.start()], text[match.end() :]
            if words.ASKED_FOR.search(before) or words.SUBJECT_AFTER.match(after):
                found.append((match.start(), _meant(question, field)))
        also = re.compile(rf"\b{words.GROUP_LEAD}[\w\s-]{{1,30}}?{words.AND_THEN}({nouns})\b")
        for match in also.finditer(text):
            found.append((match.start(1), _meant(question, field)))
    if daily := words.DAILY.search(text):
        found.append((daily.start(), Attribute.day))
    fields: list[Attribute] = []
    for _, field in sorted(found):
        if field in fields or _already_one(question, field):
            continue
        if question.kind in LIST_SHAPED and field in (
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
        if question.table in (*SIGN_IN_TABLES, LogTable.service_principal_sign_ins):
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


def add_threshold(question: KqlQuestion, text: str) -> None:
    """ "from 3 countries", "more than 10 failures", "at least 5 distinct IPs"."""
    for field, nouns in words.DISTINCT_NOUNS:
        pattern = re.compile(
            rf"\b(?:(?P<lead>{words.DISTINCT_LEADS})\s+)?(?:(?P<cmp>{_COMPARING})\s+)?"
            rf"{words.NUMBER}\s*(?P<plus>\+|or more)?\s+(?:different |distinct |unique |separate )?"
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
        rf"\b(?:(?P<cmp>{_COMPARING})\s+)?{words.NUMBER}\s*(?P<plus>\+|or more)?\s+"
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


def add_limits(question: KqlQuestion, text: str, *, asks_count: bool) -> None:
    """Top N, "which user ... the most" (top 1), and "how many" with nothing to group by."""
    if match := words.TOP.search(text):
        question.top = _number(match.group(1) or match.group(2))
    elif words.MOST.search(text) and words.SINGULAR_ASK.search(text):
        question.top = 1  # "which user had the most ...": the one
    if question.top is not None and not question.group_by and question.kind not in LIST_SHAPED:
        field = _top_subject(text, question)
        if field is not None:
            question.group_by = [field]
    asks_count = asks_count or bool(words.COUNTING.search(text))
    if asks_count and not question.group_by and question.threshold is None:
        question.count_only = True


def _top_subject(text: str, question: KqlQuestion) -> Attribute | None:
    """ "top 10 users by ...": the noun after the number."""
    after = re.search(rf"\btop\s+{words.NUMBER}\s+(\w+(?: \w+)?)", text)
    said = (
        after.group(2) if after else (m.group(1) if (m := words.SINGULAR_ASK.search(text)) else "")
    )
    for field, nouns in words.GROUP_WORDS:
        if re.match(rf"(?:{nouns})\b", said):
            meant = _meant(question, field)
            return meant if supports(question.table, meant) else None
    return None
