"""Skill `kql_tables`: where KQL runs locally, and what each Log Analytics table holds here.

When an admin asks what KQL can query here, it gives the tables, their row counts and time
span in this store, and how to run a query with `idpilot kql` (a request for a query is
written by `kql_write`).
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from idpilot.model.collections import Collection
from idpilot.skills.base import SkillFacts, SkillResult, define_skill
from idpilot.skills.registry import SkillRegistry
from idpilot.store import Store
from idpilot.store.queries.log_analytics import view_extent

NAME = "kql_tables"
EXAMPLE = (
    'SigninLogs | where ResultType != "0" | summarize Failures = count() by UserPrincipalName '
    "| top 10 by Failures"
)


class KqlTablesInput(BaseModel):
    """The question that asked for KQL (kept to say what was asked)."""


class LogTable(SkillFacts):
    """A Log Analytics table in this store: its row count and time span (None when empty)."""

    name: str
    rows: int
    first: datetime | None
    last: datetime | None


class KqlTablesFacts(SkillFacts):
    """The tables KQL can query here, and an example query."""

    tables: list[LogTable]
    example: str


def kql_tables(store: Store, params: KqlTablesInput) -> SkillResult:
    """List the Log Analytics tables KQL can query locally, with their size and time span."""
    from idpilot.kql.adapter import LOG_ANALYTICS_TABLES  # the KQL translator loads when used

    tables = []
    for table in LOG_ANALYTICS_TABLES:
        rows, first, last = view_extent(store, table)
        tables.append(LogTable(name=table, rows=rows, first=first, last=last))
    result = SkillResult(skill=NAME, facts=KqlTablesFacts(tables=tables, example=EXAMPLE))
    result.kql = EXAMPLE
    result.followups = [
        "Write KQL for failed sign-ins by IP in the last 7 days",
        "What does error 50126 mean?",
    ]
    return result


def register(registry: SkillRegistry) -> None:
    """Register `kql_tables`."""
    registry.add(
        define_skill(
            kql_tables,
            name=NAME,
            facts=KqlTablesFacts,
            reads=(
                Collection.sign_ins,
                Collection.directory_audits,
                Collection.risky_users,
                Collection.risk_detections,
            ),
            keywords={"kql": 6.0, "kusto": 6.0, "write a query": 4.0, "log analytics": 3.0},
        )
    )
