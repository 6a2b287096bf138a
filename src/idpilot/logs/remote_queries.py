"""The KQL each remote log read runs, over the published Log Analytics tables.

Sign-ins are in two tables (`SigninLogs`, interactive; `AADNonInteractiveUserSignInLogs`,
whose nested columns hold JSON text): each leg is filtered and projected before the `union`,
so the columns agree (`parse_json(tostring(...))` reads a nested column either way). Risk
tables get a row each time a record changes: `arg_max(TimeGenerated, *) by Id` keeps its
latest state. Every value is a literal from `logs.kql_text`; the column names are the
published ones and the row names the store's, so a row reads as the store's row does.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from idpilot.logs import kql_text as lit
from idpilot.logs.reader import AuditScope
from idpilot.store.queries.sign_ins import SignInNarrowing

SIGN_IN_TABLES = ("SigninLogs", "AADNonInteractiveUserSignInLogs")


def _nested(column: str, path: str) -> str:
    return f"tostring(parse_json(tostring({column})).{path})"


# The store's attempt row (store.queries.sign_ins._ATTEMPT_ROWS_SQL), column by column.
ATTEMPT_COLUMNS = (
    "id=Id, createdDateTime=CreatedDateTime, userId=UserId, userDisplayName=UserDisplayName, "
    "userPrincipalName=UserPrincipalName, appId=AppId, appDisplayName=AppDisplayName, "
    "ipAddress=IPAddress, clientAppUsed=ClientAppUsed, correlationId=CorrelationId, "
    "errorCode=toint(ResultType), conditionalAccessStatus=ConditionalAccessStatus, "
    f"failureReason={_nested('Status', 'failureReason')}, "
    f"country={_nested('LocationDetails', 'countryOrRegion')}, "
    f"city={_nested('LocationDetails', 'city')}, "
    f"operatingSystem={_nested('DeviceDetail', 'operatingSystem')}, "
    "isCompliant=tobool(parse_json(tostring(DeviceDetail)).isCompliant)"
)
# store.queries.risk.sign_ins_by_request_or_correlation's row.
LINKED_COLUMNS = (
    "id=Id, createdDateTime=CreatedDateTime, userId=UserId, userPrincipalName=UserPrincipalName, "
    "ipAddress=IPAddress, errorCode=toint(ResultType), appDisplayName=AppDisplayName, "
    f"correlationId=CorrelationId, country={_nested('LocationDetails', 'countryOrRegion')}, "
    f"city={_nested('LocationDetails', 'city')}"
)
DEVICE_COLUMNS = (
    "id=Id, t=CreatedDateTime, "
    f"deviceId={_nested('DeviceDetail', 'deviceId')}, "
    f"operatingSystem={_nested('DeviceDetail', 'operatingSystem')}, "
    f"browser={_nested('DeviceDetail', 'browser')}"
)
# store.queries.sign_ins._PATTERN_ROWS_SQL's row.
PATTERN_COLUMNS = (
    "id=Id, createdDateTime=CreatedDateTime, userId=UserId, userDisplayName=UserDisplayName, "
    "userPrincipalName=UserPrincipalName, appDisplayName=AppDisplayName, appId=AppId, "
    "ipAddress=IPAddress, clientAppUsed=ClientAppUsed, correlationId=CorrelationId, "
    "errorCode=toint(ResultType)"
)
IP_COLUMNS = (
    "id=Id, createdDateTime=CreatedDateTime, userId=UserId, "
    "userPrincipalName=UserPrincipalName, ipAddress=IPAddress, errorCode=toint(ResultType)"
)
# store.queries.risk.risky_user_rows' row.
RISKY_USER_COLUMNS = (
    "id=Id, userPrincipalName=UserPrincipalName, userDisplayName=UserDisplayName, "
    "riskLevel=RiskLevel, riskState=RiskState, riskDetail=RiskDetail, "
    "riskLastUpdatedDateTime=RiskLastUpdatedDateTime"
)
OPEN_RISK_STATES = ("atRisk", "confirmedCompromised")
"""Risk states of a detection not yet remediated or dismissed (the store's open ones)."""
AUDIT_COLUMNS = (
    "id=Id, activityDateTime=ActivityDateTime, activityDisplayName=ActivityDisplayName, "
    "category=Category, result=Result, resultReason=ResultReason, "
    "loggedByService=LoggedByService, operationType=AADOperationType, "
    "correlationId=CorrelationId, initiatedBy=InitiatedBy, targetResources=TargetResources, "
    "additionalDetails=AdditionalDetails"
)


def _window(column: str, start: datetime | None, end: datetime | None, *, inclusive: bool) -> str:
    clauses = []
    if start is not None:
        clauses.append(f"{column} >= {lit.moment(start)}")
    if end is not None:
        clauses.append(f"{column} {'<=' if inclusive else '<'} {lit.moment(end)}")
    return " and ".join(clauses) or "true"


def sign_ins(where: str, columns: str, order: str = "createdDateTime asc, id asc") -> str:
    """Both sign-in tables filtered by `where` (published columns), projected to `columns`."""
    legs = ", ".join(f"({table} | where {where} | project {columns})" for table in SIGN_IN_TABLES)
    return f"union {legs}\n| order by {order}"


def user_sign_ins(
    user_id: str,
    app_id: str | None,
    correlation_id: str | None,
    start: datetime | None,
    end: datetime | None,
) -> str:
    """The user's sign-ins, as the store's attempt rows."""
    where = [f"UserId == {lit.string(user_id)}"]
    if app_id is not None:
        where.append(f"(AppId == {lit.string(app_id)} or AppDisplayName =~ {lit.string(app_id)})")
    if correlation_id is not None:
        where.append(f"CorrelationId == {lit.string(correlation_id)}")
    where.append(_window("CreatedDateTime", start, end, inclusive=False))
    return sign_ins(" and ".join(where), ATTEMPT_COLUMNS)


def sign_in_record(table: str, sign_in_id: str, created: datetime) -> str:
    """One sign-in of `table`, every published column."""
    return (
        f"{table} | where Id == {lit.string(sign_in_id)} and CreatedDateTime == "
        f"{lit.moment(created)} | take 1"
    )


def linked_sign_ins(request_ids: Sequence[str], correlation_ids: Sequence[str]) -> str:
    """Sign-ins by id or correlationId."""
    where = f"Id in {lit.strings(request_ids)} or CorrelationId in {lit.strings(correlation_ids)}"
    return sign_ins(f"({where})", LINKED_COLUMNS, order="createdDateTime asc, id asc")


def failures_with_code(user_id: str, code: int, start: datetime, end: datetime) -> str:
    """The user's sign-ins that failed with `code` in the window (both ends in), as the
    pattern checks read them."""
    where = (
        f"UserId == {lit.string(user_id)} and ResultType == {lit.string(str(int(code)))} and "
        + _window("CreatedDateTime", start, end, inclusive=True)
    )
    return sign_ins(where, PATTERN_COLUMNS)


def whole_sign_ins(
    table: str, ip: str | None, user_id: str | None, start: datetime, end: datetime
) -> str:
    """Every published column of `table`'s sign-ins from `ip` or of `user_id` in the window."""
    where = [_window("CreatedDateTime", start, end, inclusive=True)]
    if ip is not None:
        where.append(f"IPAddress == {lit.string(ip)}")
    if user_id is not None:
        where.append(f"UserId == {lit.string(user_id)}")
    return f"{table} | where {' and '.join(where)}"


# What the store's sign-in counts read of a sign-in (store.queries.sign_ins: totals, groups,
# who signed in, error occurrences), as published columns `graph_record` reads back.
COUNTED_COLUMNS = (
    "Id, CreatedDateTime, UserId, UserPrincipalName, UserDisplayName, AppId, AppDisplayName, "
    "IPAddress, ResultType, IsInteractive, LocationDetails"
)


def counted_sign_ins_filter(
    start: datetime | None,
    end: datetime | None,
    narrowing: SignInNarrowing | None,
    error_code: int | None,
) -> str:
    """The sign-ins a count may read: the window (both ends in), the error code, and what the
    narrowing keeps (at least: the store's own filters run again on the rows)."""
    where = [_window("CreatedDateTime", start, end, inclusive=True)]
    if error_code is not None:
        where.append(f"ResultType == {lit.string(str(int(error_code)))}")
    if narrowing is not None and narrowing.countries is not None:
        place = _nested("LocationDetails", "countryOrRegion")
        where.append(f"{place} in~ {lit.strings(narrowing.countries)}")
    if narrowing is not None and narrowing.cities is not None:
        where.append(f"{_nested('LocationDetails', 'city')} in~ {lit.strings(narrowing.cities)}")
    if narrowing is not None and narrowing.ip is not None:
        where.append(f"IPAddress == {lit.string(narrowing.ip)}")
    if narrowing is not None and narrowing.user is not None:
        where.append(f"UserId == {lit.string(narrowing.user)}")
    if narrowing is not None and narrowing.app is not None:
        app = lit.string(narrowing.app)
        where.append(f"(AppId == {app} or AppDisplayName =~ {app})")
    return " and ".join(where)


def sign_in_count(where: str) -> str:
    """How many sign-ins of both tables `where` keeps."""
    legs = ", ".join(f"({table} | where {where})" for table in SIGN_IN_TABLES)
    return f"union {legs}\n| count"


def counted_sign_ins(table: str, where: str) -> str:
    """The columns a count reads of `table`'s sign-ins that `where` keeps."""
    return f"{table} | where {where} | project {COUNTED_COLUMNS}"


def first_sign_in() -> str:
    """When the first sign-in of both tables happened (one row; null without any)."""
    legs = ", ".join(
        f"({table} | summarize earliest=min(CreatedDateTime))" for table in SIGN_IN_TABLES
    )
    return f"union {legs}\n| summarize earliest=min(earliest)"


def sign_ins_with_error(user_id: str, code: int, first: datetime, last: datetime) -> str:
    """The user's sign-ins that failed with `code` in the window (both ends in)."""
    where = (
        f"UserId == {lit.string(user_id)} and ResultType == {lit.string(str(int(code)))} and "
        + _window("CreatedDateTime", first, last, inclusive=True)
    )
    return sign_ins(where, "id=Id, createdDateTime=CreatedDateTime")


def device_sign_ins(user_id: str, since: datetime, last: datetime) -> str:
    """The user's sign-ins since `since`, with their device's id, system and browser."""
    where = f"UserId == {lit.string(user_id)} and " + _window(
        "CreatedDateTime", since, last, inclusive=True
    )
    return sign_ins(where, DEVICE_COLUMNS, order="t asc, id asc")


def accounts_on_ips(user_id: str, ips: Sequence[str], limit: int) -> str:
    """Other users' sign-ins from these IPs, counted per user and IP, most successes first."""
    where = f"IPAddress in {lit.strings(ips)} and UserId != {lit.string(user_id)}"
    legs = ", ".join(
        f"({table} | where {where} | project {IP_COLUMNS})" for table in SIGN_IN_TABLES
    )
    return (
        f"union {legs}\n"
        "| summarize sign_ins=count(), successes=countif(errorCode == 0), "
        "userPrincipalName=take_any(userPrincipalName), "
        "arg_max(createdDateTime, id) by userId, ipAddress\n"
        "| project userId, userPrincipalName, ipAddress, sign_ins, successes, sign_in_id=id\n"
        "| order by successes desc, sign_ins desc, userId asc, ipAddress asc\n"
        f"| take {lit.integer(limit)}"
    )


def risky_user(user_id: str) -> str:
    """The user's latest risk state."""
    return (
        f"AADRiskyUsers | where Id == {lit.string(user_id)}\n"
        "| summarize arg_max(TimeGenerated, *) by Id\n"
        f"| project {RISKY_USER_COLUMNS}"
    )


def risky_users() -> str:
    """Every risky user not deleted, in their latest state, as the store's rows."""
    return (
        "AADRiskyUsers\n"
        "| summarize arg_max(TimeGenerated, *) by Id\n"
        "| where isnull(IsDeleted) or not(IsDeleted)\n"
        f"| project {RISKY_USER_COLUMNS}\n"
        "| order by id asc"
    )


def detections_per_user() -> str:
    """Per user, how many detections (each in its latest state), the risk event types of
    those still open, and the earliest detection (its time and id)."""
    return (
        "AADUserRiskEvents\n"
        "| summarize arg_max(TimeGenerated, *) by Id\n"
        "| summarize detections=count(), open_types=make_set_if(RiskEventType, RiskState in "
        f"{lit.strings(OPEN_RISK_STATES)}), arg_min(DetectedDateTime, Id) by userId=UserId\n"
        "| project userId, detections, open_types, first_flagged=DetectedDateTime, "
        "first_detection=Id"
    )


def risk_detections(user_id: str) -> str:
    """The user's risk detections, each in its latest state, by activity time."""
    return (
        f"AADUserRiskEvents | where UserId == {lit.string(user_id)}\n"
        "| summarize arg_max(TimeGenerated, *) by Id\n"
        "| project id=Id, requestId=RequestId, correlationId=CorrelationId, "
        "riskEventType=RiskEventType, riskState=RiskState, riskLevel=RiskLevel, "
        "riskDetail=RiskDetail, source=Source, detectionTimingType=DetectionTimingType, "
        "activity=Activity, ipAddress=IpAddress, activityDateTime=ActivityDateTime, "
        "detectedDateTime=DetectedDateTime, location=Location\n"
        "| order by activityDateTime asc, id asc"
    )


def audits_of_user(user_id: str, first: datetime, last: datetime, activities: list[str]) -> str:
    """Audits of these activities in the window (both ends in), done by or naming the user."""
    user = lit.string(user_id)
    return (
        "AuditLogs\n"
        f"| where {_window('ActivityDateTime', first, last, inclusive=True)}\n"
        f"| where ActivityDisplayName in {lit.strings(activities)}\n"
        f"| where tostring(InitiatedBy.user.id) == {user} "
        f"or tostring(TargetResources) contains_cs {user}\n"
        "| project id=Id, activityDateTime=ActivityDateTime, "
        "activityDisplayName=ActivityDisplayName, initiatedBy=InitiatedBy, "
        "targetResources=TargetResources\n"
        "| order by activityDateTime asc, id asc"
    )


def _audit_filter(scope: AuditScope, start: datetime | None, end: datetime | None) -> list[str]:
    """AuditLogs filtered to the events of `scope` in the window, those naming any of its
    objects in their targets or actor (a superset: the caller keeps the exact relations)."""
    lines = ["AuditLogs", f"| where {_window('ActivityDateTime', start, end, inclusive=False)}"]
    if scope.activities:
        lines.append(f"| where ActivityDisplayName in {lit.strings(scope.activities)}")
    if scope.category is not None:
        lines.append(f"| where Category == {lit.string(scope.category)}")
    if scope.activity_pattern is not None:
        pattern = lit.string("(?i)" + scope.activity_pattern)
        lines.append(f"| where ActivityDisplayName matches regex {pattern}")
    if scope.about is not None:
        named = " or ".join(
            f"tostring(TargetResources) contains {lit.string(i)} or "
            f"tostring(InitiatedBy) contains {lit.string(i)}"
            for i in scope.about
        )
        lines.append(f"| where {named or 'false'}")
    return lines


def audit_events(
    scope: AuditScope, start: datetime | None, end: datetime | None, limit: int
) -> str:
    """The newest `limit` audit events of `scope` in the window (a superset when it names
    objects), newest first."""
    lines = _audit_filter(scope, start, end)
    lines.append(f"| project {AUDIT_COLUMNS}")
    lines.append(f"| order by activityDateTime desc, id asc | take {lit.integer(limit)}")
    return "\n".join(lines)


def audit_event_count(scope: AuditScope, start: datetime | None, end: datetime | None) -> str:
    """How many audit events of `scope` (one naming no objects) the window holds."""
    return "\n".join([*_audit_filter(scope, start, end), "| count"])
