"""Where a remote query goes and how it signs in: options first, then settings, then the run.

Shared by `idpilot kql --remote` and `POST /api/kql/remote`; the token comes from
`sync.auth.token_source` (the sync's sign-in modes and app settings) for the service's scope.
"""

from __future__ import annotations

from dataclasses import dataclass

from idpilot.errors import IdpilotError
from idpilot.kql.remote.errors import RemoteErrorKind, RemoteQueryError
from idpilot.kql.remote.result import RemoteResult, iso_timespan
from idpilot.kql.remote.services import RemoteService
from idpilot.kql.remote.transport import RequestPolicy
from idpilot.settings import get_seconds, get_setting
from idpilot.sync.auth import AuthMode, TokenSource, token_source

# The client waits this much longer than the service is asked to, so the service's own
# time-limit answer (504) arrives rather than a bare client timeout.
CLIENT_GRACE_SECONDS = 10.0


@dataclass(frozen=True)
class RemoteTarget:
    """What `--remote` was told: the service, where, and how to sign in."""

    service: RemoteService
    workspace: str | None = None
    cluster: str | None = None
    database: str | None = None
    timespan: str | None = None
    tenant: str | None = None
    auth: AuthMode = AuthMode.secret


def run_remote(
    target: RemoteTarget, query: str, limit: int | None, token: TokenSource | None = None
) -> RemoteResult:
    """Run `query` unchanged where `target` says (settings fill what the options leave out);
    `token` (from `target_token`) lets several queries share one sign-in."""
    _refuse_commands(query)
    timeout = get_seconds("remote_timeout_seconds")
    policy = RequestPolicy(timeout_seconds=timeout + CLIENT_GRACE_SECONDS)
    if target.service is RemoteService.la:
        from idpilot.kql.remote.log_analytics import query_workspace, workspace_endpoint

        workspace = target.workspace or get_setting("log_analytics_workspace")
        if not workspace:
            raise _missing("--workspace ID (or IDPILOT_LOG_ANALYTICS_WORKSPACE)")
        endpoint = workspace_endpoint(get_setting("log_analytics_url"), workspace, int(timeout))
        token = token or target_token(target)
        timespan = iso_timespan(target.timespan) if target.timespan else None
        return query_workspace(
            endpoint, query, token, timespan=timespan, limit=limit, policy=policy
        )
    from idpilot.kql.remote.data_explorer import database_endpoint, query_database

    if target.timespan:
        raise RemoteQueryError(
            "--timespan is for Log Analytics; in Azure Data Explorer filter on time in the query",
            kind=RemoteErrorKind.not_configured,
        )
    cluster = target.cluster or get_setting("data_explorer_cluster")
    database = target.database or get_setting("data_explorer_database")
    if not cluster:
        raise _missing("--cluster URL (or IDPILOT_DATA_EXPLORER_CLUSTER)")
    endpoint = database_endpoint(cluster, database)
    token = token or target_token(target)
    return query_database(endpoint, database, query, token, limit=limit, policy=policy)


def target_token(target: RemoteTarget) -> TokenSource:
    """The token source of `target`'s service, signed in as `target.auth` says."""
    tenant = target.tenant if target.tenant is not None else get_setting("azure_tenant")
    if target.service is RemoteService.la:
        from idpilot.kql.remote.log_analytics import query_scope

        scope = query_scope(get_setting("log_analytics_url"))
        return _token(target.auth, tenant, scope, "Log Analytics")
    from idpilot.kql.remote.data_explorer import cluster_scope

    cluster = target.cluster or get_setting("data_explorer_cluster")
    if not cluster:
        raise _missing("--cluster URL (or IDPILOT_DATA_EXPLORER_CLUSTER)")
    return _token(target.auth, tenant, cluster_scope(cluster), "Azure Data Explorer")


def _token(auth: AuthMode, tenant: str, scope: str, service: str) -> TokenSource:
    """The token source for `scope`; what it lacks (a tenant, an app id, a secret) said first."""
    try:
        return token_source(
            auth,
            tenant,
            get_setting("graph_client_id"),
            secret=get_setting("graph_client_secret"),
            certificate=get_setting("graph_certificate"),
            scope=scope,
            service=service,
        )
    except RemoteQueryError:
        raise
    except IdpilotError as error:
        raise RemoteQueryError(str(error), kind=RemoteErrorKind.not_configured) from None


def _missing(what: str) -> RemoteQueryError:
    return RemoteQueryError(
        f"name where to run the query: {what}", kind=RemoteErrorKind.not_configured
    )


def _refuse_commands(query: str) -> None:
    """Management commands (`.show`, `.drop` ...) are not queries: they are not sent."""
    for line in query.splitlines():
        text = line.strip()
        if not text or text.startswith("//"):
            continue
        if text.startswith("."):
            raise RemoteQueryError(
                f"management commands such as '{text.split()[0]}' are not sent: idpilot kql "
                "--remote only runs queries",
                kind=RemoteErrorKind.bad_query,
            )
        return
