"""Every setting idpilot reads, declared once: name, default, kind, help.

Values come from the environment (`IDPILOT_<NAME>`), else from the TOML config file named by
`IDPILOT_CONFIG` (default `~/.config/idpilot/config.toml`, keys in lower case), else the default.
Every value is checked against its kind where it is read, and a wrong one is refused with the
variable or file that set it. The README's settings table is checked against this list by a test.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path

from idpilot.errors import SettingError


class Kind(StrEnum):
    """What a setting's value must be."""

    text = "text"
    path = "path"
    positive_int = "positive integer"
    count = "whole number, 0 or more"
    number = "number of seconds"
    flag = "true or false"


@dataclass(frozen=True)
class Setting:
    """One declared setting."""

    name: str
    default: str
    help: str
    kind: Kind = Kind.text

    @property
    def env(self) -> str:
        """The environment variable that sets it."""
        return f"IDPILOT_{self.name.upper()}"


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "store", "idpilot.duckdb", "Path of the DuckDB store (one tenant per store).", Kind.path
    ),
    Setting(
        "config",
        "~/.config/idpilot/config.toml",
        "TOML file with settings in lower case.",
        Kind.path,
    ),
    Setting(
        "max_prompt_chars", "4000", "Longest prompt accepted, in characters.", Kind.positive_int
    ),
    Setting(
        "answer_cache_entries",
        "512",
        "Offline answers `idpilot serve` keeps per store version for repeated questions (0: none).",
        Kind.count,
    ),
    Setting(
        "llm_provider",
        "openai",
        "Model provider: openai (any OpenAI-compatible endpoint), azure, or a plugin's.",
    ),
    Setting(
        "llm_base_url",
        "",
        "Endpoint (Azure: https://RESOURCE.openai.azure.com); empty means offline (no LLM).",
    ),
    Setting("llm_model", "", "Model name to request from the endpoint."),
    Setting("llm_api_key", "", "API key for the endpoint (never logged)."),
    Setting("llm_azure_deployment", "", "Azure OpenAI deployment (default: IDPILOT_LLM_MODEL)."),
    Setting("llm_azure_api_version", "2024-10-21", "Azure OpenAI api-version."),
    Setting(
        "llm_timeout_seconds", "30", "Longest wait for one model response, in seconds.", Kind.number
    ),
    Setting(
        "llm_max_retries",
        "2",
        "Retries of a model request refused with 429 or 5xx (backoff, Retry-After honoured).",
        Kind.count,
    ),
    Setting(
        "llm_max_steps",
        "4",
        "Model turns in which the agent may call further skills after the first (0: none).",
        Kind.count,
    ),
    Setting("llm_stream", "false", "Stream model responses (server-sent events).", Kind.flag),
    Setting(
        "llm_response_format",
        "auto",
        "How the endpoint takes a JSON schema for replies: json_schema (OpenAI, Azure), "
        "json_object (llama-cpp-python's server), none, or auto (by provider: Azure and "
        "api.openai.com json_schema, others none).",
    ),
    Setting(
        "llm_small_context",
        "false",
        "The model's context is small (about 4,096 tokens): send no tool schemas, but a "
        "short planning form and one-line skill signatures.",
        Kind.flag,
    ),
    Setting(
        "llm_phrase",
        "false",
        "Let the model reword answers (each rewording is checked).",
        Kind.flag,
    ),
    Setting(
        "llm_compose",
        "false",
        "Let the model write the direct answer and summary (grounding-checked; one retry).",
        Kind.flag,
    ),
    Setting(
        "store_wait_seconds",
        "30",
        "How long to wait for a store another program holds before saying who holds it.",
        Kind.number,
    ),
    Setting(
        "ingest_memory_limit",
        "50%",
        "Most memory an ingest's database work may use: a size such as 8GB or a share of the "
        "machine's memory; beyond it, staged records spill to disk beside the store.",
    ),
    Setting(
        "state",
        "",
        "App state database (API tokens, usage, audit trail); empty: NAME.state.duckdb beside "
        "the store.",
        Kind.path,
    ),
    Setting("serve_host", "127.0.0.1", "Address `idpilot serve` binds to (loopback by default)."),
    Setting("serve_port", "8470", "Port `idpilot serve` listens on.", Kind.positive_int),
    Setting(
        "mcp_host",
        "127.0.0.1",
        "Address `idpilot mcp --transport http` binds to (loopback by default).",
    ),
    Setting(
        "mcp_port", "8471", "Port `idpilot mcp --transport http` listens on.", Kind.positive_int
    ),
    Setting(
        "quota_units_per_day",
        "500",
        "Capacity units each user may use per UTC day, CLI and API (a prompt 1, each skill "
        "its cost, model calls 1 per 1,000 tokens).",
        Kind.positive_int,
    ),
    Setting(
        "user",
        "",
        "Who the CLI charges capacity to (`idpilot usage`); empty: the login name.",
    ),
    Setting(
        "max_body_bytes",
        "65536",
        "Largest API request body accepted, in bytes.",
        Kind.positive_int,
    ),
    Setting(
        "graph_url",
        "https://graph.microsoft.com",
        "Microsoft Graph base URL `idpilot sync` reads (a national cloud's, or a test server).",
    ),
    Setting("graph_client_id", "", "App registration (client) id `idpilot sync` signs in as."),
    Setting("graph_client_secret", "", "Its client secret for `--auth secret` (never logged)."),
    Setting(
        "graph_certificate", "", "Its certificate (PEM or PFX) for `--auth certificate`.", Kind.path
    ),
    Setting(
        "sync_concurrency", "4", "Graph requests `idpilot sync` keeps in flight.", Kind.positive_int
    ),
    Setting(
        "sync_requests_per_10s",
        "200",
        "Most Graph requests `idpilot sync` sends in any 10 seconds.",
        Kind.positive_int,
    ),
    Setting(
        "sync_overlap_seconds",
        "3600",
        "How far each sync re-reads sign-ins and audits before the last one's end (late events).",
        Kind.number,
    ),
    Setting(
        "azure_tenant",
        "",
        "Tenant id or domain `idpilot kql --remote` signs in to (the default of its --tenant).",
    ),
    Setting(
        "log_analytics_workspace",
        "",
        "Workspace ID (a GUID) `idpilot kql --remote la` queries (the default of --workspace).",
    ),
    Setting(
        "log_analytics_url",
        "https://api.loganalytics.io",
        "Log Analytics Query API base URL (a national cloud's, or a test server).",
    ),
    Setting(
        "data_explorer_cluster",
        "",
        "Azure Data Explorer cluster URL `idpilot kql --remote adx` queries (default: --cluster).",
    ),
    Setting(
        "data_explorer_database",
        "",
        "Its database (the default of --database).",
    ),
    Setting(
        "remote_auth",
        "secret",
        "How `idpilot serve` signs in for `POST /api/kql/remote` and the MCP `kql` tool's "
        "remote (secret, certificate or managed-identity), and how skills do for "
        "IDPILOT_LOGS_REMOTE (any --auth mode).",
    ),
    Setting(
        "logs_remote",
        "",
        "Where skills read sign-ins, audit events and risk detections: empty (the local "
        "store), la (the Log Analytics workspace above) or adx (the Data Explorer database).",
    ),
    Setting(
        "remote_timeout_seconds",
        "180",
        "How long a remote KQL query may run (Log Analytics stops one at 600).",
        Kind.number,
    ),
    Setting(
        "cors_origins",
        "",
        "Browser origins allowed to call the API, comma-separated; empty: CORS off.",
    ),
    Setting(
        "entra_tenant_id",
        "",
        "Directory (tenant) id whose Entra ID access tokens the API accepts; empty: Entra "
        "sign-in off (idpilot tokens only).",
    ),
    Setting(
        "entra_client_id",
        "",
        "Application (client) id of the API's app registration: the `aud` of its v2.0 tokens.",
    ),
    Setting(
        "entra_roles",
        "idpilot.Reader=reader,idpilot.Operator=operator,idpilot.Admin=admin",
        "App role values or group object ids, each =reader, =operator or =admin, "
        "comma-separated; a caller gets the highest mapped role, none: 403 no_mapped_role.",
    ),
    Setting(
        "entra_scope",
        "access_as_user",
        "Delegated scope a user's Entra access token must carry in `scp`.",
    ),
    Setting(
        "entra_authority",
        "https://login.microsoftonline.com",
        "Entra ID authority (a national cloud's, or a test server on loopback).",
    ),
    Setting(
        "entra_clock_skew_seconds",
        "300",
        "Clock skew allowed when checking an Entra token's exp and nbf.",
        Kind.number,
    ),
)
_BY_NAME = {setting.name: setting for setting in SETTINGS}
_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off", ""})
# The TOML types a config file may use for each kind (a string is always accepted and parsed).
_TOML_TYPES: dict[Kind, tuple[type, ...]] = {
    Kind.text: (str,),
    Kind.path: (str,),
    Kind.positive_int: (str, int),
    Kind.count: (str, int),
    Kind.number: (str, int, float),
    Kind.flag: (str, bool),
}


def config_path() -> tuple[Path, bool]:
    """The config file to read, and whether the user named it (IDPILOT_CONFIG) explicitly."""
    named = os.environ.get(_BY_NAME["config"].env)
    if named is not None and named.strip():
        return Path(named).expanduser(), True
    return Path(_BY_NAME["config"].default).expanduser(), False


def _config_file() -> dict[str, object]:
    path, explicit = config_path()
    if not path.exists():
        if explicit:
            raise SettingError(
                f"IDPILOT_CONFIG={str(path)!r}: no such file; create it, or unset IDPILOT_CONFIG"
            )
        return {}
    if not path.is_file():
        raise SettingError(f"{path}: the config file is not a file (IDPILOT_CONFIG)")
    stat = path.stat()
    return _read_config(path, stat.st_mtime_ns, stat.st_size)


@cache
def _read_config(path: Path, mtime_ns: int, size: int) -> dict[str, object]:
    """The parsed config file (cached until the file changes)."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise SettingError(f"{path}: invalid TOML: {error}") from None
    except (UnicodeDecodeError, OSError) as error:
        raise SettingError(f"{path}: cannot read the config file: {error}") from None


def get_setting(name: str) -> str:
    """The value of a declared setting (environment, then config file, then default), checked."""
    setting = _BY_NAME[name]
    if setting.env in os.environ:
        value = os.environ[setting.env]
        _check(setting, value, f"{setting.env}={value!r}")
        return value
    if name == "config":
        return str(config_path()[0])
    found = _config_file().get(name)
    if found is None:
        return setting.default
    where = f"{config_path()[0]}: {name} = {found!r}"
    if (isinstance(found, bool) and setting.kind is not Kind.flag) or not isinstance(
        found, _TOML_TYPES[setting.kind]
    ):
        raise SettingError(f"{where}: expected {_expected(setting)}, got a TOML {_toml(found)}")
    value = str(found).lower() if isinstance(found, bool) else str(found)
    _check(setting, value, where)
    return value


def _check(setting: Setting, value: str, where: str) -> None:
    """Refuse a value that is not of the setting's kind, naming where it came from."""
    text = value.strip()
    if setting.kind in (Kind.positive_int, Kind.count):
        lowest = 1 if setting.kind is Kind.positive_int else 0
        if not (text.isascii() and text.isdigit()) or int(text) < lowest:
            raise SettingError(f"{where}: expected {_expected(setting)}")
    elif setting.kind is Kind.number:
        try:
            number = float(text)
        except ValueError:
            number = -1.0
        if not 0 <= number < float("inf"):
            raise SettingError(f"{where}: expected {_expected(setting)}")
    elif setting.kind is Kind.flag and text.lower() not in _TRUE | _FALSE:
        raise SettingError(f"{where}: expected {_expected(setting)}")
    elif "\x00" in value:
        raise SettingError(f"{where}: a NUL character is not allowed")


def _expected(setting: Setting) -> str:
    if setting.kind is Kind.positive_int:
        return "a whole number of 1 or more"
    if setting.kind is Kind.count:
        return "a whole number of 0 or more"
    if setting.kind is Kind.number:
        return "a number of seconds, 0 or more"
    if setting.kind is Kind.flag:
        return "true or false"
    return "text"


def _toml(value: object) -> str:
    names = {bool: "boolean", int: "integer", float: "float", str: "string", list: "array"}
    return names.get(type(value), "table" if isinstance(value, dict) else type(value).__name__)


def get_int(name: str) -> int:
    """A declared whole-number setting."""
    return int(get_setting(name).strip())


def get_seconds(name: str) -> float:
    """A declared duration setting, in seconds."""
    return float(get_setting(name).strip())


def get_flag(name: str) -> bool:
    """A declared yes/no setting (true/false, yes/no, on/off, 1/0)."""
    return get_setting(name).strip().lower() in _TRUE
