"""Which log reader the skills use: the local store, or KQL where the settings say the logs
live (`IDPILOT_LOGS_REMOTE=la|adx`, with the workspace or cluster settings of `idpilot kql
--remote`)."""

from __future__ import annotations

from idpilot.errors import SettingError
from idpilot.logs.local import StoreLogs
from idpilot.logs.reader import LogReader
from idpilot.settings import get_setting
from idpilot.store import Store
from idpilot.sync.auth import AuthMode


def log_reader(store: Store) -> LogReader:
    """The reader of the logs the skills read: `store`'s own, or the remote one configured."""
    where = get_setting("logs_remote").strip().lower()
    if not where:
        return StoreLogs(store)
    from idpilot.kql.remote.services import RemoteService  # the KQL package: only when remote

    try:
        service = RemoteService(where)
    except ValueError:
        raise SettingError(
            f"IDPILOT_LOGS_REMOTE={where!r}: expected la (Log Analytics), adx (Azure Data "
            "Explorer) or empty (the local store)"
        ) from None
    auth_name = get_setting("remote_auth").strip()
    try:
        auth = AuthMode(auth_name)
    except ValueError:
        allowed = ", ".join(mode.value for mode in AuthMode)
        raise SettingError(
            f"IDPILOT_REMOTE_AUTH={auth_name!r}: expected one of {allowed}"
        ) from None
    try:  # httpx comes with the sync extra
        from idpilot.kql.remote.run import RemoteTarget
        from idpilot.logs.remote import RemoteLogs
    except ImportError as missing:
        raise SettingError(
            f"IDPILOT_LOGS_REMOTE needs pip install 'idpilot[sync]' ({missing})"
        ) from None
    return RemoteLogs(RemoteTarget(service, auth=auth))


def remote_logs_note(remote_logs: bool) -> str | None:
    """What an answer's limits say when its skills read their log rows remotely (None when
    they read the store): the workspace or database named from the settings."""
    if not remote_logs:
        return None
    where = get_setting("logs_remote").strip().lower()
    if where == "la":
        return (
            "log rows read by KQL in Log Analytics workspace "
            f"{get_setting('log_analytics_workspace') or '(not set)'}"
        )
    if where == "adx":
        database = get_setting("data_explorer_database") or "(not set)"
        cluster = get_setting("data_explorer_cluster") or "(not set)"
        return f"log rows read by KQL in Azure Data Explorer database {database} on {cluster}"
    return None
