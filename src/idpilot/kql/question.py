"""A question about the Log Analytics tables, typed: what the query builder turns into KQL.

The copilot reads it from a prompt (`idpilot.copilot.kql_reading`); `idpilot.kql.builder`
writes the KQL. Values are the tenant's own (a UPN, an app's display name, an error code as
text), never fragments of KQL: the builder quotes every one.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from idpilot.model.records import Record
from idpilot.model.windows import TimeWindow


class LogTable(StrEnum):
    """The seven Log Analytics tables the store exposes as views."""

    sign_ins = "SigninLogs"
    non_interactive = "AADNonInteractiveUserSignInLogs"
    service_principal_sign_ins = "AADServicePrincipalSignInLogs"
    audit = "AuditLogs"
    risky_users = "AADRiskyUsers"
    risk_events = "AADUserRiskEvents"
    risky_service_principals = "AADRiskyServicePrincipals"


class QueryKind(StrEnum):
    """The kinds of question the builder writes a query for."""

    sign_ins = "signIns"  # sign-ins, optionally failed or successful only
    mfa = "mfa"  # sign-ins that required MFA, by outcome or method
    ca_results = "caResults"  # Conditional Access results, one row per policy applied
    audit = "audit"  # directory changes by operation, actor, target
    risk_events = "riskEvents"  # Identity Protection risk detections
    risky_users = "riskyUsers"
    risky_service_principals = "riskyServicePrincipals"
    service_principal_sign_ins = "servicePrincipalSignIns"


class Attribute(StrEnum):
    """What a condition tests or a grouping groups by, independent of the table's column."""

    user = "user"
    app = "app"
    ip = "ip"
    country = "country"
    city = "city"
    error_code = "errorCode"
    result = "result"  # "success" or "failure"
    client_app = "clientApp"
    ca_status = "caStatus"
    mfa_method = "mfaMethod"
    policy = "policy"
    policy_result = "policyResult"
    operation = "operation"
    category = "category"
    actor = "actor"
    target = "target"
    risk_level = "riskLevel"
    risk_state = "riskState"
    risk_event_type = "riskEventType"
    service_principal = "servicePrincipal"
    resource = "resource"
    day = "day"


class Comparison(StrEnum):
    """How a measure is compared with a threshold."""

    at_least = ">="
    more_than = ">"
    at_most = "<="
    fewer_than = "<"


class Condition(BaseModel):
    """One filter: the field is one of `values` (or none of them when `negated`)."""

    model_config = ConfigDict(frozen=True)

    field: Attribute
    values: tuple[str, ...]
    negated: bool = False


class Threshold(BaseModel):
    """Keep groups whose measure compares with `value` ("from 3 countries", "more than 10")."""

    model_config = ConfigDict(frozen=True)

    comparison: Comparison
    value: int
    distinct: Attribute | None = None
    """Count distinct values of this field per group (None: count rows)."""


class KqlQuestion(BaseModel):
    """What to query: the table, conditions, window, grouping, threshold, top N and order.

    No grouping lists the matching records themselves (newest first); a grouping counts them.
    `unexpressed` holds the parts of the question no query here can express, said in the
    answer; `refusal`, when set, says why no query is written at all.
    """

    kind: QueryKind
    table: LogTable
    conditions: list[Condition] = Field(default_factory=list)
    window: TimeWindow | None = None
    group_by: list[Attribute] = Field(default_factory=list)
    threshold: Threshold | None = None
    top: int | None = None
    count_only: bool = False
    """Only the number of matching records ("how many ...")."""
    named: list[Record] = Field(default_factory=list)
    """The directory objects the conditions name (a user by UPN, an app, a policy)."""
    unexpressed: list[str] = Field(default_factory=list)
    refusal: str | None = None
