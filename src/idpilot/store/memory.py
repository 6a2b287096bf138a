"""How much memory DuckDB may use for a while (an ingest): beyond it, it spills to disk."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import duckdb

from idpilot.errors import SettingError

# A size DuckDB reads (`8GB`, `512 MiB`) or a share of the machine's memory (`50%`).
_LIMIT = re.compile(r"^\d+(\.\d+)?\s*(%|[KMGT]i?B|bytes)$", re.IGNORECASE)


def check_memory_limit(limit: str, where: str) -> str:
    """`limit` stripped, or a SettingError naming `where` it came from."""
    text = limit.strip()
    if not _LIMIT.match(text):
        raise SettingError(f"{where}: expected a size such as 8GB or a share of memory such as 50%")
    return text


@contextmanager
def memory_limit(con: duckdb.DuckDBPyConnection, limit: str) -> Iterator[None]:
    """DuckDB's memory limit is `limit` (checked by `check_memory_limit`) inside the block and
    what it was after it; what does not fit spills to the temp directory beside the store."""
    before = con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
    # Neither value can be bound in SET: `limit` matched _LIMIT, `before` is DuckDB's own.
    con.execute(f"SET memory_limit = '{limit}'")
    try:
        yield
    finally:
        # DuckDB shows the limit rounded: the default is restored exactly, another as shown.
        con.execute("RESET memory_limit")
        if con.execute("SELECT current_setting('memory_limit')").fetchone()[0] != before:
            con.execute(f"SET memory_limit = '{before}'")
