"""Where the app state database is: IDPILOT_STATE, else beside the tenant store."""

from __future__ import annotations

from pathlib import Path

from idpilot.settings import get_setting

STATE_SUFFIX = ".state.duckdb"


def state_path(store: Path) -> Path:
    """The app state file for the tenant store at `store` (`contoso.duckdb` ->
    `contoso.state.duckdb` in the same folder), unless IDPILOT_STATE names one."""
    named = get_setting("state").strip()
    if named:
        return Path(named).expanduser()
    return store.with_name(store.stem + STATE_SUFFIX)
