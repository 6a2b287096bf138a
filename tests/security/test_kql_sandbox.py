"""`idpilot kql` reads the seven Log Analytics views and nothing else: no file, URL, other
database, internal table, extension, setting or environment variable, by any route.

Every hostile query runs against a store whose working directory holds files with a secret in
them; each must be refused with an idpilot message (never DuckDB's text) and the secret must
appear nowhere. The engine is tested on its own too: the sandbox connection refuses the same
routes when SQL is sent to it directly, and the parse-tree guard refuses hand-written SQL the
translator never produces.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import socket
import tempfile
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from store.log_analytics_fixture import build_store
from typer.testing import CliRunner

import idpilot.cli
from idpilot.cli.app import app
from idpilot.errors import IdpilotError
from idpilot.kql.adapter import LOG_ANALYTICS_TABLES, run_kql
from idpilot.kql.errors import KqlErrorKind, KqlQueryError
from idpilot.kql.guard import check_tree
from idpilot.store import Store
from idpilot.store.sandbox import Sandbox

# Commands register on import, as `idpilot.cli.main` does it.
for _module in pkgutil.iter_modules(idpilot.cli.__path__):
    if _module.name not in ("app", "options"):
        importlib.import_module(f"idpilot.cli.{_module.name}")

SECRET = "s3cr3t-4f9a"
URL = "https://example.com/x.csv"


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("kql-sandbox")
    path = folder / "store.duckdb"
    build_store(folder / "snapshot", path).close()
    return path


@pytest.fixture(scope="module")
def loot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of files, each holding the secret: CSV, JSON, JSON lines, Parquet-free text,
    and another DuckDB database."""
    folder = tmp_path_factory.mktemp("loot")
    (folder / "export.csv").write_text(f"a,b\n1,{SECRET}\n")
    (folder / "export.json").write_text(json.dumps([{"a": SECRET}]))
    (folder / "export.jsonl").write_text(json.dumps({"a": SECRET}) + "\n")
    (folder / "notes.txt").write_text(SECRET)
    with duckdb.connect(str(folder / "other.duckdb")) as other:
        other.execute("CREATE TABLE secrets AS SELECT $s AS a", {"s": SECRET})
    return folder


@pytest.fixture
def store(store_path: Path, loot: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    """The fixture store opened read-only, as `idpilot kql` opens it, from inside the loot."""
    monkeypatch.chdir(loot)
    opened = Store.open(store_path, read_only=True)
    yield opened
    opened.close()


def hostile_queries(loot: Path) -> list[str]:
    """Every route to outside the views that the issue names, and more."""
    csv = str(loot / "export.csv")
    escaped = csv.replace("export", "exp\\x6frt")
    return [
        # replacement scans of files, relative and absolute, globs, every format
        "['./export.csv']",
        f"['{csv}']",
        f"['{loot}/*.csv']",
        "['./export.json']",
        "['./export.jsonl']",
        "['./notes.txt']",
        "['./*']",
        "['export.csv']",
        # a URL (httpfs autoinstall and DNS before the fix)
        f"['{URL}']",
        "['s3://bucket/x.parquet']",
        # another database file, the store itself, and its catalogs
        "['./other.duckdb']",
        "['other.secrets']",
        'database("other").secrets',
        'database("idpilot_store").users',
        "cluster('example.kusto.windows.net').database('db').SigninLogs",
        "['idpilot_store.main.users']",
        # internal tables of the store and DuckDB's catalog views
        "users | take 1",
        "signIns | take 1",
        "snapshot_info",
        "duckdb_tables",
        "['duckdb_settings']",
        "['sqlite_master']",
        "['information_schema.tables']",
        "['pg_catalog.pg_class']",
        # through let, union, join, lookup, materialize, datatable, toscalar, in()
        "let s = ['./export.csv']; s",
        "let s = ['./export.csv']; SigninLogs | union s",
        "SigninLogs | union ['./export.csv']",
        "union SigninLogs, ['./export.json']",
        "SigninLogs | join kind=inner (['./export.csv']) on $left.Id == $right.a",
        "SigninLogs | lookup (['./export.csv'] | extend Id = tostring(a)) on Id",
        "let m = materialize(['./export.csv']); m | union m",
        "datatable(a: string)['x'] | union ['./export.csv']",
        "print n = toscalar(['./export.csv'] | count)",
        "SigninLogs | where Id in ((['./export.csv'] | project tostring(b)))",
        "let users_ = users; users_",
        # string escapes in the bracketed name
        f"['{escaped}']",
        "['./exp\\u006frt.csv']",
        "[@'./export.csv']",
        '["./export.csv"]',
        # SQL smuggled in a name
        "['read_csv(\"./export.csv\")']",
        "['x\"; COPY (SELECT 1) TO \\'./out.csv\\'; --']",
        "['SigninLogs\" UNION ALL SELECT * FROM read_text(\\'./notes.txt\\') --']",
        # table functions, settings and the environment by their DuckDB names
        "read_csv('./export.csv')",
        "print x = read_text('./notes.txt')",
        "print x = getenv('HOME')",
        "print x = current_setting('enable_external_access')",
        "duckdb_settings()",
        "print x = query_table('users')",
        "externaldata(a: string)[@'./export.csv']",
        "evaluate sql_request('SELECT 1')",
        # management commands: COPY, ATTACH, INSTALL, LOAD, SET, PRAGMA in KQL clothing
        ".set-or-replace T <| ['./export.csv']",
        ".ingest into table T ('./export.csv')",
        ".show database schema",
    ]


def assert_refused(store: Store, query: str) -> KqlQueryError:
    with pytest.raises(KqlQueryError) as caught:
        run_kql(store, query)
    error = caught.value
    assert isinstance(error, IdpilotError)
    text = str(error)
    assert SECRET not in text
    for duckdb_words in ("Error:", "duckdb.org", "CLI", "Traceback", "extension"):
        assert duckdb_words not in text, text
    return error


@pytest.mark.parametrize("index", range(len(hostile_queries(Path("/x")))))
def test_every_route_outside_the_views_is_refused(store: Store, loot: Path, index: int) -> None:
    query = hostile_queries(loot)[index]
    error = assert_refused(store, query)
    assert error.kind is not KqlErrorKind.failed or "cannot run locally" in str(error), query


@pytest.mark.parametrize(
    "query", ["['./export.csv']", f"['{URL}']", "users | take 1", "['./other.duckdb']"]
)
def test_a_path_a_url_or_an_internal_table_is_an_unknown_table(store: Store, query: str) -> None:
    error = assert_refused(store, query)
    assert error.kind is KqlErrorKind.unknown_table
    assert "the tables available are SigninLogs" in str(error)


def test_a_path_is_told_that_files_are_not_read(store: Store) -> None:
    error = assert_refused(store, "['./export.csv']")
    assert str(error).endswith(
        "(idpilot kql reads these tables only: no files, URLs or other databases)"
    )


def test_the_cli_prints_no_file_content(store_path: Path, loot: Path, monkeypatch) -> None:
    monkeypatch.chdir(loot)
    for query in ("['./export.csv']", "let s = ['./export.jsonl']; s", f"['{URL}']"):
        result = CliRunner().invoke(app, ["kql", query, "--store", str(store_path), "--json"])
        assert result.exit_code == 2, result.output
        assert SECRET not in result.output
        error = json.loads(result.output)["error"]  # --json: the error is JSON on stdout
        assert error["code"] == "kql_query" and "unknown table" in error["message"]
        assert "Traceback" not in result.output


def test_the_seven_views_still_answer_through_every_operator(store: Store) -> None:
    queries = [
        "let failed = SigninLogs | where ResultType != '0'; failed | count",
        "SigninLogs | union AADNonInteractiveUserSignInLogs | count",
        "SigninLogs | join kind=inner (AADUserRiskEvents | project UserPrincipalName)"
        " on UserPrincipalName | count",
        "SigninLogs | lookup (AADRiskyUsers | project UserPrincipalName, RiskState)"
        " on UserPrincipalName | count",
        "let m = materialize(SigninLogs | take 3); m | union m | count",
        "datatable(ResultType: string, Meaning: string)['50126', 'bad password']"
        " | join kind=inner (SigninLogs) on ResultType | count",
        "print n = toscalar(AuditLogs | count)",
        "range x from 1 to 3 step 1 | count",
        "SigninLogs | mv-expand CA = ConditionalAccessPolicies | count",
        "SigninLogs | getschema | count",
        "signinlogs | count",
    ]
    for query in queries:
        assert run_kql(store, query).rows, query
    for table in LOG_ANALYTICS_TABLES:
        assert run_kql(store, f"{table} | count").rows[0][0] >= 0


def test_no_socket_is_opened(store: Store, loot: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Python's socket layer refuses and records every attempt while every hostile query runs.

    (tests/security/test_kql_network.py proves the same below Python, for DuckDB's own code.)
    """
    attempts: list[str] = []

    def refuse(name: str):
        def call(*args, **kwargs):
            attempts.append(f"{name}{args[:2]!r}")
            raise OSError(f"network is off in this test ({name})")

        return call

    monkeypatch.setattr(socket.socket, "connect", refuse("connect"))
    monkeypatch.setattr(socket.socket, "connect_ex", refuse("connect_ex"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
    monkeypatch.setattr(socket, "create_connection", refuse("create_connection"))
    for query in hostile_queries(loot):
        with pytest.raises(KqlQueryError):
            run_kql(store, query)
    assert attempts == []
    # The recorder works: a lookup made here is caught.
    with pytest.raises(OSError):
        socket.getaddrinfo("example.com", 443)
    assert attempts


# The engine on its own: SQL sent straight to the sandbox connection, past the guard.

ENGINE_ROUTES = [
    "SELECT * FROM './export.csv'",
    "SELECT * FROM 'export.json'",
    f"SELECT * FROM '{URL}'",
    "SELECT * FROM read_csv('./export.csv')",
    "SELECT * FROM read_csv_auto('./export.csv')",
    "SELECT * FROM read_json('./export.json')",
    "SELECT * FROM read_json_auto('./export.jsonl')",
    "SELECT * FROM read_ndjson('./export.jsonl')",
    "SELECT * FROM read_text('./notes.txt')",
    "SELECT * FROM read_blob('./notes.txt')",
    "SELECT * FROM read_parquet('./x.parquet')",
    "SELECT * FROM glob('./*')",
    "SELECT * FROM sniff_csv('./export.csv')",
    "COPY (SELECT 1) TO './out.csv'",
    "COPY SigninLogs TO './out.csv'",
    "ATTACH './other.duckdb' AS other",
    "INSTALL httpfs",
    "LOAD httpfs",
    "LOAD './evil.duckdb_extension'",
    "SET enable_external_access = true",
    "SET autoinstall_known_extensions = true",
    "SET autoload_known_extensions = true",
    "SET allow_community_extensions = true",
    "SET lock_configuration = false",
    "RESET lock_configuration",
    "PRAGMA enable_external_access",
    "SELECT getenv('HOME')",
    "EXPORT DATABASE './dump'",
    "CREATE SECRET s (TYPE http)",
]


@pytest.mark.parametrize("sql", ENGINE_ROUTES)
def test_the_sandbox_connection_itself_refuses(store: Store, sql: str) -> None:
    with Sandbox(store) as sandbox:
        sandbox.expose(["SigninLogs"])
        with pytest.raises(duckdb.Error):
            sandbox.execute(sql).fetchall()
        assert sandbox.execute("SELECT current_setting('enable_external_access')").fetchone() == (
            False,
        )
        assert sandbox.execute("SELECT current_setting('lock_configuration')").fetchone() == (True,)
        assert sandbox.execute("SELECT count(*) FROM SigninLogs").fetchone()[0] > 0


def test_the_sandbox_holds_only_the_views_asked_for(store: Store) -> None:
    with Sandbox(store) as sandbox:
        sandbox.expose(["AuditLogs"])
        names = {
            row[0]
            for row in sandbox.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_catalog = 'memory'"
            ).fetchall()
        }
        assert names == {"AuditLogs"}
        for setting in (
            "autoinstall_known_extensions",
            "autoload_known_extensions",
            "allow_community_extensions",
        ):
            assert sandbox.execute(f"SELECT current_setting('{setting}')").fetchone() == (False,)


def test_nothing_runs_before_the_sandbox_is_locked(store: Store) -> None:
    with Sandbox(store) as sandbox, pytest.raises(RuntimeError):
        sandbox.execute("SELECT 1")


def _copies(folder: Path) -> set[str]:
    return {p.name for p in folder.glob("idpilot-kql-*")}


def test_a_store_open_for_writing_in_this_process_reads_a_copy(
    tmp_path: Path, loot: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The web app may hold the store open for writing: the sandbox then attaches a copy of the
    file (or of the views, for a store in memory), as locked down, and deletes it afterwards."""
    # This test's own temporary folder: other processes' copies (another pytest-xdist worker's)
    # come and go in the system's.
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    writable = build_store(tmp_path / "snapshot", tmp_path / "store.duckdb")
    monkeypatch.chdir(loot)
    with writable, Store.open(None) as memory:
        assert run_kql(writable, "SigninLogs | count").rows == [(7,)]
        assert run_kql(memory, "SigninLogs | count").rows == [(0,)]
        for opened in (writable, memory):
            for query in ("['./export.csv']", "users | take 1", 'database("idpilot_store").users'):
                assert_refused(opened, query)
            with Sandbox(opened) as sandbox:
                sandbox.expose(["SigninLogs"])
                with pytest.raises(duckdb.Error):
                    sandbox.execute("SELECT * FROM read_text('./notes.txt')").fetchall()
                assert len(_copies(temp)) == 1  # the copy is made while the sandbox is open
    assert _copies(temp) == set()


# The guard on its own: SQL the translator does not write today, refused on its parse tree.

GUARD_ROUTES = [
    "SELECT * FROM users",
    "SELECT * FROM main.SigninLogs",
    "SELECT * FROM idpilot_store.main.users",
    "SELECT * FROM memory.main.SigninLogs",
    "SELECT * FROM './export.csv'",
    "SELECT * FROM read_csv('x.csv')",
    "SELECT * FROM query_table('users')",
    "SELECT * FROM query('SELECT * FROM users')",
    "SELECT * FROM duckdb_settings()",
    "SELECT * FROM duckdb_databases()",
    "SELECT * FROM json_execute_serialized_sql('{}')",
    "SELECT * FROM (DESCRIBE users)",
    "SELECT * FROM (SUMMARIZE idpilot_store.main.users)",
    "SELECT * FROM (SHOW TABLES)",
    "SELECT * FROM SigninLogs AT (VERSION => 1)",
    "SELECT getenv('HOME')",
    "SELECT current_setting('TimeZone')",
    "SELECT system.main.lower('x')",
    "SELECT version()",
    "SELECT current_database()",
    "SELECT nextval('s')",
    "SELECT getvariable('x')",
    "SELECT * FROM SigninLogs WHERE Id IN (SELECT id FROM users)",
    "SELECT (SELECT count(*) FROM duckdb_tables) AS n",
    # a CTE is in scope in its body and after it, not before it nor in itself
    "WITH users AS (SELECT * FROM users) SELECT * FROM users",
    "WITH a AS (SELECT * FROM b), b AS (SELECT * FROM SigninLogs) SELECT * FROM a",
    "SELECT * FROM (WITH t AS (SELECT 1) SELECT * FROM t), t",
    "SELECT 1; SELECT 2",
    "COPY (SELECT 1) TO 'x.csv'",
    "SET enable_external_access = true",
    "PRAGMA version",
]


@pytest.mark.parametrize("sql", GUARD_ROUTES)
def test_the_guard_refuses_what_the_translator_never_writes(store: Store, sql: str) -> None:
    with Sandbox(store) as sandbox:
        tree = sandbox.parse_tree(sql)
    with pytest.raises(KqlQueryError) as caught:
        check_tree(tree, LOG_ANALYTICS_TABLES)
    assert caught.value.kind in (
        KqlErrorKind.unknown_table,
        KqlErrorKind.refused,
        KqlErrorKind.read_only,
    )


@pytest.mark.parametrize(
    ("sql", "reads"),
    [
        ("SELECT * FROM SigninLogs", {"SigninLogs"}),
        ('SELECT * FROM "AuditLogs" JOIN AADRiskyUsers ON true', {"AuditLogs", "AADRiskyUsers"}),
        ("WITH t AS (SELECT * FROM SigninLogs) SELECT * FROM t", {"SigninLogs"}),
        ("WITH a AS (SELECT 1), b AS (SELECT * FROM a) SELECT * FROM b", set()),
        (
            "WITH RECURSIVE r AS (SELECT 1 AS n UNION ALL SELECT n + 1 FROM r) SELECT * FROM r",
            set(),
        ),
        ("SELECT * FROM (VALUES (1)) AS v(x), range(3)", set()),
    ],
)
def test_the_guard_admits_the_views_ctes_and_generators(
    store: Store, sql: str, reads: set[str]
) -> None:
    with Sandbox(store) as sandbox:
        assert check_tree(sandbox.parse_tree(sql), LOG_ANALYTICS_TABLES) == reads
