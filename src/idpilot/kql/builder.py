"""KQL from a typed question: one pipeline per question, each value quoted, nothing pasted.

`build_kql` writes the query an admin would write (table, window, conditions, computed
columns, summarize, threshold, order, take); `build_citation_kql` writes its companion that
finds, for each group of a summarizing query, the latest record of the group, so each row of an
answer cites a record. Both are pure: they read only the question.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from idpilot.kql.question import Attribute, Condition, KqlQuestion, LogTable, QueryKind
from idpilot.model.windows import TimeWindow

ID_COLUMN = "Id"
TIME_COLUMN = "TimeGenerated"
SUCCESS = "0"
"""ResultType of a successful sign-in."""


@dataclass(frozen=True)
class Column:
    """A field as a table holds it: a column, or a computed column and its expression."""

    name: str
    expression: str | None = None


_USER_SIGN_INS = {
    Attribute.user: Column("UserPrincipalName"),
    Attribute.app: Column("AppDisplayName"),
    Attribute.ip: Column("IPAddress"),
    Attribute.country: Column("Location"),
    Attribute.error_code: Column("ResultType"),
    Attribute.result: Column("ResultType"),
    Attribute.client_app: Column("ClientAppUsed"),
    Attribute.ca_status: Column("ConditionalAccessStatus"),
    Attribute.risk_level: Column("RiskLevelDuringSignIn"),
    Attribute.resource: Column("ResourceDisplayName"),
}
_POLICY_COLUMNS = {
    Attribute.policy: Column("Policy", "tostring(Policies.displayName)"),
    Attribute.policy_result: Column("PolicyResult", "tostring(Policies.result)"),
}
_COLUMNS: dict[LogTable, dict[Attribute, Column]] = {
    LogTable.sign_ins: {
        **_USER_SIGN_INS,
        Attribute.city: Column("City", "tostring(LocationDetails.city)"),
        Attribute.mfa_method: Column("MfaMethod", "tostring(MfaDetail.authMethod)"),
        **_POLICY_COLUMNS,
    },
    LogTable.non_interactive: {
        **_USER_SIGN_INS,
        Attribute.city: Column("City", "tostring(parse_json(LocationDetails).city)"),
        Attribute.mfa_method: Column("MfaMethod", "tostring(parse_json(MfaDetail).authMethod)"),
        **_POLICY_COLUMNS,
    },
    LogTable.service_principal_sign_ins: {
        Attribute.service_principal: Column("ServicePrincipalName"),
        Attribute.app: Column("ServicePrincipalName"),
        Attribute.ip: Column("IPAddress"),
        Attribute.country: Column("Location"),
        Attribute.city: Column("City", "tostring(parse_json(LocationDetails).city)"),
        Attribute.error_code: Column("ResultType"),
        Attribute.result: Column("ResultType"),
        Attribute.resource: Column("ResourceDisplayName"),
        Attribute.ca_status: Column("ConditionalAccessStatus"),
    },
    LogTable.audit: {
        Attribute.operation: Column("OperationName"),
        Attribute.category: Column("Category"),
        Attribute.result: Column("Result"),
        Attribute.actor: Column(
            "Actor",
            "coalesce(tostring(InitiatedBy.user.userPrincipalName), "
            "tostring(InitiatedBy.app.displayName))",
        ),
        Attribute.target: Column(
            "Target",
            "coalesce(tostring(TargetResources[0].userPrincipalName), "
            "tostring(TargetResources[0].displayName))",
        ),
    },
    LogTable.risk_events: {
        Attribute.user: Column("UserPrincipalName"),
        Attribute.ip: Column("IpAddress"),
        Attribute.country: Column("Country", "tostring(Location.countryOrRegion)"),
        Attribute.city: Column("City", "tostring(Location.city)"),
        Attribute.risk_level: Column("RiskLevel"),
        Attribute.risk_state: Column("RiskState"),
        Attribute.risk_event_type: Column("RiskEventType"),
    },
    LogTable.risky_users: {
        Attribute.user: Column("UserPrincipalName"),
        Attribute.risk_level: Column("RiskLevel"),
        Attribute.risk_state: Column("RiskState"),
    },
    LogTable.risky_service_principals: {
        Attribute.service_principal: Column("DisplayName"),
        Attribute.app: Column("DisplayName"),
        Attribute.risk_level: Column("RiskLevel"),
        Attribute.risk_state: Column("RiskState"),
    },
}
_DAY = Column("Day", f"bin({TIME_COLUMN}, 1d)")
_LISTED: dict[LogTable, tuple[str, ...]] = {
    LogTable.sign_ins: ("UserPrincipalName", "AppDisplayName", "IPAddress", "Location",
                        "ResultType", "ResultDescription"),
    LogTable.non_interactive: ("UserPrincipalName", "AppDisplayName", "IPAddress", "Location",
                               "ResultType", "ResultDescription"),
    LogTable.service_principal_sign_ins: ("ServicePrincipalName", "ResourceDisplayName",
                                          "IPAddress", "Location", "ResultType"),
    LogTable.audit: ("OperationName", "Actor", "Target", "Result"),
    LogTable.risk_events: ("UserPrincipalName", "RiskEventType", "RiskLevel", "RiskState",
                           "IpAddress"),
    LogTable.risky_users: ("UserPrincipalName", "RiskLevel", "RiskState", "RiskDetail"),
    LogTable.risky_service_principals: ("DisplayName", "AppId", "RiskLevel", "RiskState"),
}  # fmt: skip
"""Columns a listing shows besides the time and the record id, by table."""
_ALWAYS_COMPUTED: dict[LogTable, tuple[Attribute, ...]] = {
    LogTable.audit: (Attribute.actor, Attribute.target)
}
_MEASURE = {
    QueryKind.sign_ins: "SignIns",
    QueryKind.mfa: "SignIns",
    QueryKind.ca_results: "SignIns",
    QueryKind.service_principal_sign_ins: "SignIns",
    QueryKind.audit: "Events",
    QueryKind.risk_events: "Detections",
    QueryKind.risky_users: "Users",
    QueryKind.risky_service_principals: "ServicePrincipals",
}
_DISTINCT_NAMES = {
    Attribute.user: "Users",
    Attribute.app: "Apps",
    Attribute.ip: "IPs",
    Attribute.country: "Countries",
    Attribute.error_code: "ErrorCodes",
    Attribute.operation: "Operations",
    Attribute.target: "Targets",
    Attribute.service_principal: "ServicePrincipals",
    Attribute.risk_event_type: "RiskEventTypes",
    Attribute.day: "Days",
}
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


class UnsupportedField(ValueError):
    """The question groups or filters by a field its table does not hold."""


def quote(value: str) -> str:
    """A KQL string literal holding `value` exactly (backslash escapes, no control characters)."""
    text = "".join(_ESCAPES.get(char, char) for char in value)
    return '"' + "".join(c if c.isprintable() else " " for c in text) + '"'


def column_of(table: LogTable, field: Attribute) -> Column:
    """How `table` holds `field` (raises UnsupportedField when it does not)."""
    if field is Attribute.day:
        return _DAY
    column = _COLUMNS[table].get(field)
    if column is None:
        raise UnsupportedField(f"{table.value} has no {field.value}")
    return column


def supports(table: LogTable, field: Attribute) -> bool:
    """Whether `table` holds `field`."""
    return field is Attribute.day or field in _COLUMNS[table]


def build_kql(question: KqlQuestion) -> str:
    """The KQL text that answers `question` (raises UnsupportedField for a field its table
    lacks; a question with a refusal has no query and raises ValueError)."""
    if question.refusal is not None:
        raise ValueError("a refused question has no query")
    lines = _filtered(question)
    measure = measure_name(question)
    if question.count_only:
        lines.append("count")
    elif not question.group_by:
        lines.extend(_listing(question))
    else:
        keys = [_key(question.table, field) for field in question.group_by]
        lines.append(f"summarize {measure} = {_aggregate(question)} by {', '.join(keys)}")
        if (threshold := question.threshold) is not None:
            lines.append(f"where {measure} {threshold.comparison.value} {threshold.value}")
        names = [column_of(question.table, field).name for field in question.group_by]
        order = ", ".join([f"{measure} desc", *(f"{name} asc" for name in names)])
        lines.append(f"sort by {order}")
        if question.top is not None:
            lines.append(f"take {question.top}")
    return "\n| ".join(lines)


def build_citation_kql(question: KqlQuestion) -> str | None:
    """For a summarizing question, the latest record of each group (its keys, time and Id);
    None when the rows are records themselves or a single count."""
    if question.refusal is not None or question.count_only or not question.group_by:
        return None
    keys = [_key(question.table, field) for field in question.group_by]
    lines = _filtered(question)
    lines.append(f"summarize arg_max({TIME_COLUMN}, {ID_COLUMN}) by {', '.join(keys)}")
    return "\n| ".join(lines)


def measure_name(question: KqlQuestion) -> str:
    """The name of the column a summarizing query counts in."""
    threshold = question.threshold
    if threshold is not None and threshold.distinct is not None:
        return _DISTINCT_NAMES.get(threshold.distinct, "Values")
    failures = any(
        c.field is Attribute.result and c.values == ("failure",) and not c.negated
        for c in question.conditions
    )
    return (
        "Failures" if failures and question.table is not LogTable.audit else _MEASURE[question.kind]
    )


def _aggregate(question: KqlQuestion) -> str:
    threshold = question.threshold
    if threshold is not None and threshold.distinct is not None:
        return f"dcount({column_of(question.table, threshold.distinct).name})"
    return "count()"


def _key(table: LogTable, field: Attribute) -> str:
    column = column_of(table, field)
    return f"{column.name} = {column.expression}" if field is Attribute.day else column.name


def _filtered(question: KqlQuestion) -> list[str]:
    """The table, the window, the computed columns and the conditions."""
    table = question.table
    lines = [table.value]
    if question.window is not None:
        lines.append(_window(question.window))
    if question.kind is QueryKind.mfa:
        lines.append('where AuthenticationRequirement == "multiFactorAuthentication"')
    if question.kind is QueryKind.ca_results:
        policies = (
            "ConditionalAccessPolicies"
            if table is LogTable.sign_ins
            else "parse_json(ConditionalAccessPolicies)"
        )
        lines.append(f"mv-expand Policies = {policies}")
    computed = _computed(question)
    if computed:
        lines.append("extend " + ", ".join(f"{c.name} = {c.expression}" for c in computed))
    lines.extend(_condition(table, condition) for condition in question.conditions)
    return lines


def _computed(question: KqlQuestion) -> list[Column]:
    """Computed columns the query uses, in a stable order, each once."""
    fields = [*_ALWAYS_COMPUTED.get(question.table, ())]
    fields += [c.field for c in question.conditions]
    fields += [f for f in question.group_by if f is not Attribute.day]
    if question.threshold is not None and question.threshold.distinct is not None:
        fields.append(question.threshold.distinct)
    if question.kind is QueryKind.ca_results:
        fields += [Attribute.policy, Attribute.policy_result]
    columns: list[Column] = []
    for field in dict.fromkeys(fields):
        if field is Attribute.day:
            continue
        column = column_of(question.table, field)
        if column.expression is not None and column not in columns:
            columns.append(column)
    return columns


def _condition(table: LogTable, condition: Condition) -> str:
    column = column_of(table, condition.field).name
    if condition.field is Attribute.result and table is not LogTable.audit:
        failed = condition.values == ("failure",)
        operator = "!=" if failed != condition.negated else "=="
        return f"where {column} {operator} {quote(SUCCESS)}"
    values = [quote(value) for value in condition.values]
    if len(values) == 1:
        operator = "!=" if condition.negated else "=="
        return f"where {column} {operator} {values[0]}"
    operator = "!in" if condition.negated else "in"
    return f"where {column} {operator} ({', '.join(values)})"


def _window(window: TimeWindow) -> str:
    start = f"{TIME_COLUMN} >= datetime({_moment(window.start)})"
    if window.end.microsecond == 1:
        # A window closed just after an instant (the snapshot's own time) includes that instant:
        # at microsecond precision `< t + 1µs` is `<= t`, which is how an admin writes it.
        last = window.end - timedelta(microseconds=1)
        return f"where {start} and {TIME_COLUMN} <= datetime({_moment(last)})"
    return f"where {start} and {TIME_COLUMN} < datetime({_moment(window.end)})"


def _moment(moment: datetime) -> str:
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    if moment.microsecond:
        text += f".{moment.microsecond:06d}"
    return text + "Z"


def _listing(question: KqlQuestion) -> list[str]:
    columns = [TIME_COLUMN, *_LISTED[question.table]]
    columns += [c.name for c in _computed(question) if c.name not in columns]
    lines = [f"project {', '.join([*columns, ID_COLUMN])}", f"sort by {TIME_COLUMN} desc"]
    if question.top is not None:
        lines.append(f"take {question.top}")
    return lines
