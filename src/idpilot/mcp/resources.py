"""The Log Analytics views as MCP resources: each view's columns and types, its row count and
time span, and its newest rows as a bounded sample (the `kql` tool queries them)."""

from __future__ import annotations

from typing import Any

import mcp_types as types

from idpilot.api.config import ServerConfig
from idpilot.api.context import tenant_store
from idpilot.api.responses import json_text
from idpilot.kql.adapter import LOG_ANALYTICS_TABLES, run_kql
from idpilot.store.queries.log_analytics import view_extent

SCHEME = "idpilot://logs/"
SAMPLE_ROWS = 5
MIME_TYPE = "application/json"
_DESCRIPTIONS = {
    "SigninLogs": "Interactive user sign-ins",
    "AADNonInteractiveUserSignInLogs": "Non-interactive user sign-ins (tokens refreshed by apps)",
    "AADServicePrincipalSignInLogs": "Sign-ins of service principals (apps signing in as "
    "themselves)",
    "AuditLogs": "Directory audit events: who changed what",
    "AADRiskyUsers": "Users Identity Protection flags as risky, with their risk state",
    "AADUserRiskEvents": "Identity Protection risk detections on users",
    "AADRiskyServicePrincipals": "Service principals Identity Protection flags as risky",
}


class UnknownResourceError(LookupError):
    """No resource has the URI a client asked for."""


def uri_of(view: str) -> str:
    """The resource URI of a Log Analytics view."""
    return SCHEME + view


def listed() -> list[types.Resource]:
    """Every view as `resources/list` shows it."""
    return [
        types.Resource(
            uri=uri_of(view),
            name=view,
            title=f"{view} (Log Analytics view)",
            description=f"{_DESCRIPTIONS.get(view, view)}: columns and types, row count, time "
            f"span and the {SAMPLE_ROWS} newest rows. Query it with the kql tool.",
            mime_type=MIME_TYPE,
        )
        for view in LOG_ANALYTICS_TABLES
    ]


def view_named(uri: str) -> str:
    """The view a resource URI names (UnknownResourceError otherwise)."""
    view = uri.removeprefix(SCHEME) if uri.startswith(SCHEME) else None
    if view not in LOG_ANALYTICS_TABLES:
        shown = ", ".join(uri_of(name) for name in LOG_ANALYTICS_TABLES)
        raise UnknownResourceError(f"no resource has that URI; the resources are {shown}")
    return view


def describe(config: ServerConfig, view: str) -> dict[str, Any]:
    """A view's schema, extent and newest rows (the view name is one of the fixed list)."""
    with tenant_store(config) as store:
        rows, first, last = view_extent(store, view)
        sample = run_kql(
            store, f"{view} | top {SAMPLE_ROWS} by TimeGenerated desc", limit=SAMPLE_ROWS
        )
    return {
        "view": view,
        "rows": rows,
        "first": first,
        "last": last,
        "columns": [
            {"name": name, "type": kind}
            for name, kind in zip(sample.columns, sample.types, strict=True)
        ],
        "sample": sample.records(),
    }


def contents(config: ServerConfig, uri: str) -> types.ReadResourceResult:
    """The resource at `uri` as inert JSON (invisible characters \\u-escaped)."""
    view = view_named(uri)
    text = json_text(describe(config, view))
    return types.ReadResourceResult(
        contents=[types.TextResourceContents(uri=uri, mime_type=MIME_TYPE, text=text)]
    )
