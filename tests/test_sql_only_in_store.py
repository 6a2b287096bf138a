"""SQL lives only in `idpilot.store`: no other module writes a query or runs one.

Modules are parsed with `ast`, so comments and docstrings never count: a string literal that
reads as SQL, or a call of `.execute(` / `.executemany(` / `.sql(`, outside `src/idpilot/store/`
fails. The KQL translator (`src/idpilot/kql/`) produces SQL as its output, so its literals are
allowed; it runs nothing itself (`store.sandbox` does).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parent.parent / "src" / "idpilot"
STORE = "store"
TRANSLATOR = "kql"
RUNNING_CALLS = frozenset({"execute", "executemany", "sql"})
SQL_LITERAL = re.compile(
    r"\bSELECT\s|\bINSERT\s+INTO\b|\bDELETE\s+FROM\b|\bUPDATE\s+\S+\s+SET\b"
    r"|\bCREATE\s+(OR\s+REPLACE\s+)?(TEMP\s+|TEMPORARY\s+)?(TABLE|VIEW|INDEX|MACRO|SEQUENCE)\b"
    r"|\bDROP\s+(TABLE|VIEW|INDEX)\b|\bALTER\s+TABLE\b|\bWHERE\s|\bGROUP\s+BY\b|\bORDER\s+BY\b"
    r"|\bJOIN\s+\w|\bUNION\s+(ALL\s+)?SELECT\b|\bATTACH\s|\bDETACH\s|\bCHECKPOINT\b"
)


def _docstrings(tree: ast.Module) -> set[int]:
    """Ids of the string constants that are docstrings (or other bare string statements)."""
    found: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        for statement in body if isinstance(body, list) else []:
            if (
                isinstance(statement, ast.Expr)
                and isinstance(statement.value, ast.Constant)
                and isinstance(statement.value.value, str)
            ):
                found.add(id(statement.value))
    return found


def sql_in(source: str, *, literals: bool = True) -> list[str]:
    """Where `source` writes SQL in a string literal or runs a query: `line: what`."""
    tree = ast.parse(source)
    docstrings = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        if (
            literals
            and isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
            and (match := SQL_LITERAL.search(node.value))
        ):
            found.append(f"{node.lineno}: SQL literal ({match.group(0).strip()})")
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in RUNNING_CALLS
        ):
            found.append(f"{node.lineno}: .{node.func.attr}() call")
    return found


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if p.relative_to(PACKAGE).parts[0] != STORE)


def _name(path: Path) -> str:
    return path.relative_to(PACKAGE).as_posix()


@pytest.mark.parametrize("path", _modules(), ids=_name)
def test_no_sql_outside_the_store(path: Path) -> None:
    translator = path.relative_to(PACKAGE).parts[0] == TRANSLATOR
    found = sql_in(path.read_text(), literals=not translator)
    assert not found, f"{_name(path)} holds SQL (move it into idpilot.store): {found}"


def test_the_check_sees_queries_and_ignores_prose() -> None:
    caught = 'q = "SELECT id FROM users WHERE id = ?"\nstore.con.execute(q)\n'
    assert [f.split(":")[0] for f in sql_in(caught)] == ["1", "2"]
    assert sql_in('x = f"DELETE FROM {t}"\n')
    prose = '"""SELECT id FROM users WHERE id = ?"""\n# SELECT * FROM t\nx = "select a policy"\n'
    assert sql_in(prose) == []


def test_the_scan_covers_the_package_but_not_the_store() -> None:
    names = {_name(path) for path in _modules()}
    assert {"skills/builtin/signin_summary.py", "sources/ingest.py", "kql/adapter.py"} <= names
    assert not any(name.startswith(f"{STORE}/") for name in names)
