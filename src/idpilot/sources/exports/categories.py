"""The Entra ID log categories of diagnostic settings, their Log Analytics tables, and the
Graph collection each fills."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from idpilot.model.collections import Collection


@dataclass(frozen=True)
class LogCategory:
    """One diagnostic-settings category: its name, Log Analytics table and Graph collection.

    `defaults` are Graph properties the category implies and an exported record may omit (a
    sign-in's `signInEventTypes`, `isInteractive`); a record's own value always wins.
    """

    name: str
    table: str
    collection: Collection
    defaults: dict[str, Any] = field(default_factory=dict)

    @property
    def container(self) -> str:
        """The storage-account container diagnostic settings write this category to."""
        return f"insights-logs-{self.name.lower()}"


def _sign_ins(name: str, table: str, event_type: str, interactive: bool) -> LogCategory:
    defaults = {"signInEventTypes": [event_type], "isInteractive": interactive}
    return LogCategory(name, table, Collection.sign_ins, defaults)


CATEGORIES: tuple[LogCategory, ...] = (
    _sign_ins("SignInLogs", "SigninLogs", "interactiveUser", True),
    _sign_ins(
        "NonInteractiveUserSignInLogs",
        "AADNonInteractiveUserSignInLogs",
        "nonInteractiveUser",
        False,
    ),
    _sign_ins(
        "ServicePrincipalSignInLogs", "AADServicePrincipalSignInLogs", "servicePrincipal", False
    ),
    _sign_ins(
        "ManagedIdentitySignInLogs", "AADManagedIdentitySignInLogs", "managedIdentity", False
    ),
    LogCategory("AuditLogs", "AuditLogs", Collection.directory_audits),
    LogCategory("RiskyUsers", "AADRiskyUsers", Collection.risky_users),
    LogCategory("UserRiskEvents", "AADUserRiskEvents", Collection.risk_detections),
    LogCategory(
        "RiskyServicePrincipals", "AADRiskyServicePrincipals", Collection.risky_service_principals
    ),
    LogCategory(
        "ServicePrincipalRiskEvents",
        "AADServicePrincipalRiskEvents",
        Collection.service_principal_risk_detections,
    ),
)

_BY_CONTAINER = {category.container: category for category in CATEGORIES}
_BY_TABLE = {category.table.lower(): category for category in CATEGORIES}
CONTAINER_PREFIX = "insights-logs-"


def category_of_container(name: str) -> LogCategory | None:
    """The category a storage container (`insights-logs-signinlogs`) holds, if idpilot reads it."""
    return _BY_CONTAINER.get(name.lower())


def category_of_table(table: str) -> LogCategory | None:
    """The category whose Log Analytics table is `table` (any case), if idpilot reads it."""
    return _BY_TABLE.get(table.lower())


def sign_in_category(record: dict[str, Any]) -> LogCategory:
    """The category a Graph sign-in is exported under, from its `signInEventTypes`."""
    kinds = record.get("signInEventTypes") or []
    for category in CATEGORIES[:4]:
        if category.defaults["signInEventTypes"][0] in kinds:
            return category
    return CATEGORIES[0] if record.get("isInteractive", True) else CATEGORIES[1]


def category_of_record(collection: Collection, record: dict[str, Any]) -> LogCategory:
    """The category a Graph record of `collection` is exported under."""
    if collection is Collection.sign_ins:
        return sign_in_category(record)
    return next(c for c in CATEGORIES if c.collection is collection)


LOG_COLLECTIONS = frozenset(category.collection for category in CATEGORIES)
"""The collections diagnostic settings export (the rest come from Graph only)."""
