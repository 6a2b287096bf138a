"""Run KQL against the store's Log Analytics views: the one module that wraps duckdb-kql.

Queries are read-only and see the seven Log Analytics views, nothing else: management commands
are refused before translation, the translator runs with writes disabled and knows only those
views, the SQL it returns is checked on DuckDB's parse tree (`guard`: one SELECT over the views,
row generators and an allow-list of functions), and it runs on a connection of its own with no
external access, no extensions and its configuration locked (`idpilot.store.sandbox`). `now()`
and `ago()` are pinned to the snapshot time, so `ago(1d)` means "the last day of the snapshot",
not of today. Every failure becomes a `KqlQueryError` whose message a person can act on.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Any

import duckdb
import duckdb_kql
import orjson
from duckdb_kql import KqlError, KqlSchemaError, KqlSyntaxError, KqlUnsupportedError
from duckdb_kql.engine import schema as connection_schema
from duckdb_kql.translate import CLOCK_SLOT

from idpilot.kql import extensions
from idpilot.kql.errors import KqlErrorKind, KqlQueryError
from idpilot.kql.extensions._hooks import PartlySupported
from idpilot.kql.extensions.case_names import Spellings, spelling
from idpilot.kql.extensions.discovery import Probed, ProbeRunner, discovering
from idpilot.kql.guard import check_tree, unknown_table
from idpilot.store import Store
from idpilot.store.sandbox import Sandbox
from idpilot.store.version_memo import per_version

# The Sentinel / Log Analytics tables the store exposes (migration 002), in the order shown.
LOG_ANALYTICS_TABLES = (
    "SigninLogs",
    "AADNonInteractiveUserSignInLogs",
    "AADServicePrincipalSignInLogs",
    "AuditLogs",
    "AADRiskyUsers",
    "AADUserRiskEvents",
    "AADRiskyServicePrincipals",
)
ENGINE = f"duckdb-kql {duckdb_kql.__version__}"
# A parser's list of expected tokens longer than this is noise to a person; it is left out.
_MAX_EXPECTED_SHOWN = 6
_JSON_TYPE = "JSON"

# Parser classes of operators: `MakeSeriesOperator`, `TopNestedOperatorPart`, `SearchOperator`,
# and sources such as `ExternalDataExpression`.
_OPERATOR_CLASS = re.compile(r"^(?P<name>[A-Z][A-Za-z]*?)(?:Operator|OperatorPart|Expression)$")
_WRITTEN_OPERATOR = re.compile(r"[A-Za-z_][\w-]*")
_WRITTEN_EXPRESSION = re.compile(r"\*\s*[\w!~=-]+|[\w-]+")
_MISSING_TABLE = re.compile(r'Table with name "?(?P<name>[^"\s!]+)"? does not exist')
_MISSING_COLUMN = re.compile(
    r'Referenced column "(?P<name>[^"]+)" not found'
    r'|Column "(?P<alias>[^"]+)" referenced that exists in the SELECT clause'
)
_CANDIDATES = re.compile(r"Candidate bindings: (?P<names>.+)")
_QUOTED = re.compile(r'"((?:[^"]|"")*)"')
_EVALUATE_PLUGIN = re.compile(r"evaluate\s+(?:[\w-]+\s*=\s*\S+\s+)*(\w+)")
_MISMATCHED = re.compile(
    r"(?:mismatched|extraneous) input '(?P<found>.*?)'(?: expecting \{?(?P<tokens>[^}]*)\}?)?$"
)


@dataclass(frozen=True)
class KqlResult:
    """What a KQL query returned: column names and DuckDB types, rows, and the SQL it ran as.

    JSON (KQL `dynamic`) values are parsed into Python lists and dicts. `truncated` is true when
    a `limit` cut rows off.
    """

    columns: list[str]
    types: list[str]
    rows: list[tuple[Any, ...]]
    sql: str
    truncated: bool = False

    @property
    def row_count(self) -> int:
        """How many rows came back."""
        return len(self.rows)

    def records(self) -> list[dict[str, Any]]:
        """The rows as dicts keyed by column name."""
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


def run_kql(store: Store, query: str, *, limit: int | None = None) -> KqlResult:
    """Run a read-only KQL query against `store`, with now()/ago() pinned to the snapshot time."""
    with KqlSession(store) as session:
        return session.run(query, limit=limit)


def translate(store: Store, query: str) -> tuple[str, dict[str, Any]]:
    """The DuckDB SQL a query runs as and the values bound to it (raises KqlQueryError)."""
    with KqlSession(store) as session:
        return session.translate(query)


class KqlSession:
    """The queries of one answer in one sandbox while they can share it, each translated once:
    results and errors are those of `translate` and `run_kql`, a sandbox and a translation
    fewer per query.

    The first query runs as `run_kql` runs it (a query translated before it is run is not
    translated again). A later one runs in the same, locked, sandbox when it reads only the
    views already exposed and needs no probe; otherwise in a sandbox of its own.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self._sandbox = Sandbox(store)
        self._exposed: frozenset[str] = frozenset()
        self._translated: dict[str, tuple[str, dict[str, Any], set[str], Spellings]] = {}

    def __enter__(self) -> KqlSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the sandbox."""
        self._sandbox.close()

    def translate(self, query: str) -> tuple[str, dict[str, Any]]:
        """The DuckDB SQL a query runs as and the values bound to it (raises KqlQueryError)."""
        _refuse_commands(query)
        try:
            sql, parameters, _, _ = self._translation(query)
        except _OwnSandboxNeeded:
            return translate(self.store, query)
        return sql, dict(parameters)

    def run(self, query: str, *, limit: int | None = None) -> KqlResult:
        """Run a read-only KQL query, with now()/ago() pinned to the snapshot time."""
        if limit is not None and limit < 0:
            raise ValueError("limit must be zero or more")
        _refuse_commands(query)
        _require_views(self.store)
        sandbox = self._sandbox
        try:
            sql, parameters, views, spellings = self._translation(query)
        except _OwnSandboxNeeded:
            return run_kql(self.store, query, limit=limit)
        if not sandbox.locked:
            sandbox.expose(views)
            self._exposed = frozenset(views)
        elif not views <= self._exposed:
            return run_kql(self.store, query, limit=limit)
        try:
            columns, types, fetched = sandbox.fetch(sql, parameters, limit)
        except duckdb.Error as error:
            raise _from_duckdb(error, spellings) from None
        columns = [spellings.kql_name(column) for column in columns]
        truncated = limit is not None and len(fetched) > limit
        rows = fetched[:limit] if limit is not None else fetched
        json_columns = [i for i, kind in enumerate(types) if kind == _JSON_TYPE]
        if json_columns:
            rows = [_parse_json_cells(row, json_columns) for row in rows]
        return KqlResult(columns, types, rows, sql, truncated)

    def _translation(self, query: str) -> tuple[str, dict[str, Any], set[str], Spellings]:
        """The query's translation, made once (in a locked sandbox, without probes)."""
        found = self._translated.get(query)
        if found is None:
            locked = self._sandbox.locked
            found = _translate(self.store, query, self._sandbox, probes=not locked)
            if self._sandbox.locked and not locked:  # a probe exposed every view
                self._exposed = frozenset(LOG_ANALYTICS_TABLES)
            self._translated[query] = found
        return found


class _OwnSandboxNeeded(Exception):
    """A query's probe cannot run in a sandbox another query has locked."""


def _translate(
    store: Store, query: str, sandbox: Sandbox, *, probes: bool = True
) -> tuple[str, dict[str, Any], set[str], Spellings]:
    """The SQL, its bound values, the views it reads and the SQL spellings of its column names,
    once the guard has passed it.

    Without `probes`, a probe the translation needs raises `_OwnSandboxNeeded`.
    """
    _refuse_commands(query)
    extensions.install()
    views = _views_schema(store)
    try:
        with (
            spelling(views) as spellings,
            discovering(_probe_runner(store, sandbox) if probes else _no_probe),
        ):
            translated = duckdb_kql.to_sql(
                query,
                schema=views,
                allow_write=False,
                query_now=store.captured_at(),
            )
    except KqlError as error:
        raise _from_kql(error, query) from None
    if translated.unbound:
        names = ", ".join(translated.unbound)
        raise KqlQueryError(
            f"the query declares parameters with no value: {names}", kind=KqlErrorKind.failed
        )
    sql = str(translated)
    read = check_tree(sandbox.parse_tree(sql), LOG_ANALYTICS_TABLES)
    return sql, dict(translated.parameters), read, spellings


def _no_probe(sql: str, slots: frozenset[str]) -> Probed:
    raise _OwnSandboxNeeded


def _probe_runner(store: Store, sandbox: Sandbox) -> ProbeRunner:
    """Runs the probe of an operator whose columns come from the data (`bag_unpack`, `pivot`)
    or whose rendering needs its input's types (`union`, dynamic arithmetic) in the query's
    sandbox, through the same guard; the first probe exposes every view, as the query's other
    views are not known yet."""

    def run(sql: str, slots: frozenset[str]) -> Probed:
        check_tree(sandbox.parse_tree(sql), LOG_ANALYTICS_TABLES)
        if not sandbox.locked:
            sandbox.expose(LOG_ANALYTICS_TABLES)
        parameters = {CLOCK_SLOT: store.captured_at()} if CLOCK_SLOT in slots else None
        try:
            return sandbox.fetch(sql, parameters)
        except duckdb.Error as error:
            raise _from_duckdb(error) from None

    return run


def _views_schema(store: Store) -> dict[str, Any]:
    """The columns of the Log Analytics views only: the translator must not learn (and `union *`
    must not reach) the store's own tables. Read once per version of a read-only store."""
    schema = per_version(
        store,
        "kql_views_schema",
        lambda: {
            name: columns
            for name, columns in connection_schema(store.con).items()
            if name in LOG_ANALYTICS_TABLES
        },
    )
    return copy.deepcopy(schema)


def _refuse_commands(query: str) -> None:
    """Management commands (`.show`, `.set-or-replace`, `.drop` ...) are not queries."""
    for line in query.splitlines():
        text = line.strip()
        if not text or text.startswith("//"):
            continue
        if text.startswith("."):
            command = text.split()[0]
            raise KqlQueryError(
                f"management commands such as '{command}' are not run: idpilot kql only reads "
                "the snapshot (write a query that starts with a table name, e.g. SigninLogs)",
                kind=KqlErrorKind.read_only,
            )
        return


def _require_views(store: Store) -> None:
    """A store built before the views existed and opened read-only cannot answer KQL."""
    if LOG_ANALYTICS_TABLES[0] not in store.tables():
        raise KqlQueryError(
            "this store has no Log Analytics views yet: open it once for writing (for example "
            "with `idpilot ingest`) so its schema is migrated",
            kind=KqlErrorKind.not_migrated,
        )


def _parse_json_cells(row: tuple[Any, ...], columns: list[int]) -> tuple[Any, ...]:
    cells = list(row)
    for index in columns:
        if isinstance(cells[index], str):
            cells[index] = orjson.loads(cells[index])
    return tuple(cells)


def _from_kql(error: KqlError, query: str) -> KqlQueryError:
    if isinstance(error, KqlSyntaxError):
        return _syntax_error(error, query)
    if isinstance(error, KqlUnsupportedError):
        return _unsupported_error(error, query)
    if isinstance(error, KqlSchemaError) and (error.hint or "").startswith("unknown table"):
        return _unknown_table(error.name)
    return KqlQueryError(f"the query cannot run locally: {error}", kind=KqlErrorKind.failed)


def _syntax_error(error: KqlSyntaxError, query: str) -> KqlQueryError:
    if not error.diagnostics:
        return KqlQueryError(f"KQL syntax error: {error}", kind=KqlErrorKind.syntax)
    first = error.diagnostics[0]
    line, column = first.span.line, first.span.column + 1
    return KqlQueryError(
        f"KQL syntax error at line {line}, column {column}: {_readable(first.message)}\n"
        + _excerpt(query, line, column),
        kind=KqlErrorKind.syntax,
        line=line,
        column=column,
    )


def _readable(message: str) -> str:
    """The parser's message in plain words, without an expected-token list too long to help."""
    mismatched = _MISMATCHED.match(message)
    if mismatched is None:
        return message
    if mismatched.group("found") == "<EOF>":
        return "the query ends where more was expected"
    text = f"unexpected '{mismatched.group('found')}'"
    expected = [token.strip() for token in (mismatched.group("tokens") or "").split(",")]
    expected = [token for token in expected if token and token != "<EOF>"]
    if expected and len(expected) <= _MAX_EXPECTED_SHOWN:
        text += f" (expected {' or '.join(expected)})"
    return text


def _excerpt(query: str, line: int, column: int) -> str:
    """The offending line with a caret under the column (both 1-based)."""
    lines = query.splitlines() or [""]
    text = lines[min(line, len(lines)) - 1]
    return f"  {text}\n  {' ' * (column - 1)}^"


def _unsupported_error(error: KqlUnsupportedError, query: str) -> KqlQueryError:
    construct = error.construct
    line = error.span.line if error.span else None
    column = error.span.column + 1 if error.span else None
    written = _text_at(query, line, column)
    kind, _, class_name = construct.rpartition(":")
    if kind == "function":
        what = f"the KQL function '{class_name}'"
    elif kind == "expression":
        shown = _WRITTEN_EXPRESSION.match(written or "")
        what = f"the KQL expression '{shown.group(0) if shown else class_name}'"
    elif kind == "operator" and class_name[:1].islower():  # an extension names it as written
        what = f"the KQL operator '{class_name}'"
    elif match := _OPERATOR_CLASS.match(class_name):
        what = f"the KQL operator '{_operator_name(match.group('name'), written)}'"
    else:
        what = f"the KQL construct '{construct}'"
    message = f"{what} is not supported locally ({ENGINE})"
    if isinstance(error, PartlySupported) and error.hint:
        message += f": {error.hint}"
    if line is not None and column is not None:
        message += f"\n{_excerpt(query, line, column)}"
    return KqlQueryError(message, kind=KqlErrorKind.unsupported, line=line, column=column)


def _text_at(query: str, line: int | None, column: int | None) -> str | None:
    """The query text from a 1-based line and column to the end of that line."""
    lines = query.splitlines()
    if line is None or column is None or not 1 <= line <= len(lines):
        return None
    return lines[line - 1][column - 1 :]


def _operator_name(class_name: str, written: str | None) -> str:
    """The operator as the query spells it (`mv-apply`, `evaluate bag_unpack`), else from its
    parser class (`MakeSeries` -> `make-series`)."""
    if written and (plugin := _EVALUATE_PLUGIN.match(written)):
        return f"evaluate {plugin.group(1)}"
    if written and (word := _WRITTEN_OPERATOR.match(written)):
        return word.group(0)
    return re.sub(r"(?<!^)(?=[A-Z])", "-", class_name).lower()


def _unknown_table(name: str) -> KqlQueryError:
    return unknown_table(name, LOG_ANALYTICS_TABLES)


def _from_duckdb(error: duckdb.Error, spellings: Spellings | None = None) -> KqlQueryError:
    text = str(error)
    if isinstance(error, duckdb.PermissionException) or "configuration has been locked" in text:
        return KqlQueryError(
            "the query tried to reach outside the snapshot (a file, a URL, an extension or a "
            "setting), which idpilot kql does not allow: it reads only the Log Analytics tables",
            kind=KqlErrorKind.refused,
        )
    if match := _MISSING_TABLE.search(text):
        return _unknown_table(match.group("name"))
    if match := _MISSING_COLUMN.search(text):
        spelled = match.group("name") or match.group("alias")
        name = spellings.kql_name(spelled) if spellings else spelled
        message = f"unknown column '{name}'"
        twins = spellings.twins(name) if spellings and name != spelled else []
        if twins:
            shown = ", ".join(f'"{twin}"' for twin in twins)
            message += f" (KQL column names are case-sensitive: did you mean {shown}?)"
        elif candidates := _CANDIDATES.search(text):
            found = _QUOTED.findall(candidates.group("names"))
            if spellings:
                found = [spellings.kql_name(candidate) for candidate in found]
            shown = ", ".join(f'"{candidate}"' for candidate in found)
            message += f" (did you mean {shown}?)"
        return KqlQueryError(message, kind=KqlErrorKind.unknown_column)
    first_line = text.splitlines()[0] if text else type(error).__name__
    return KqlQueryError(f"the query failed: {first_line}", kind=KqlErrorKind.failed)
