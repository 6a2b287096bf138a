"""Every setting idpilot reads, declared once: name, default, help.

Values come from the environment (`IDPILOT_<NAME>`), else from the TOML config file named by
`IDPILOT_CONFIG` (default `~/.config/idpilot/config.toml`, keys in lower case), else the default.
The README's settings table is checked against this list by a test.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from idpilot.errors import IdpilotError


@dataclass(frozen=True)
class Setting:
    """One declared setting."""

    name: str
    default: str
    help: str

    @property
    def env(self) -> str:
        """The environment variable that sets it."""
        return f"IDPILOT_{self.name.upper()}"


SETTINGS: tuple[Setting, ...] = (
    Setting("store", "idpilot.duckdb", "Path of the DuckDB store (one tenant per store)."),
    Setting("config", "~/.config/idpilot/config.toml", "TOML file with settings in lower case."),
    Setting("max_prompt_chars", "4000", "Longest prompt accepted, in characters."),
    Setting("llm_base_url", "", "OpenAI-compatible endpoint; empty means offline (no LLM)."),
    Setting("llm_model", "", "Model name to request from the endpoint."),
    Setting("llm_api_key", "", "API key for the endpoint (never logged)."),
    Setting("llm_phrase", "false", "Let the model reword answers (each rewording is checked)."),
)
_BY_NAME = {setting.name: setting for setting in SETTINGS}


@cache
def _config_file() -> dict[str, object]:
    path = Path(os.environ.get("IDPILOT_CONFIG", _BY_NAME["config"].default)).expanduser()
    if not path.exists():
        return {}
    try:
        return tomllib.loads(path.read_text())
    except tomllib.TOMLDecodeError as error:
        raise IdpilotError(f"{path}: invalid TOML: {error}") from None


def get_setting(name: str) -> str:
    """The value of a declared setting: environment, then config file, then default."""
    setting = _BY_NAME[name]
    if setting.env in os.environ:
        return os.environ[setting.env]
    value = _config_file().get(name)
    return str(value) if value is not None else setting.default


_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off", ""})


def get_flag(name: str) -> bool:
    """A declared yes/no setting (true/false, yes/no, on/off, 1/0)."""
    value = get_setting(name).strip().lower()
    if value not in _TRUE | _FALSE:
        raise IdpilotError(f"{_BY_NAME[name].env}={get_setting(name)!r}: expected true or false")
    return value in _TRUE
