"""Why nested Graph objects are JSON columns: a query over JSON against the same data as STRUCT.

Issue #2 left STRUCT or JSON to us, measured. JSON keeps every published property (Graph adds
new ones often, and STRUCTs need a fixed schema); this bench shows what that costs per query.
"""

from __future__ import annotations

import time
from pathlib import Path

import duckdb

REPEATS = 5
_SHAPE = '{"city": "VARCHAR", "state": "VARCHAR", "countryOrRegion": "VARCHAR"}'
QUERIES = {
    "json": "SELECT count(*) FROM signIns WHERE json_extract_string(location, '$.countryOrRegion') "
    "= 'FR' AND errorCode <> 0",
    "struct": "SELECT count(*) FROM _signins_struct WHERE location.countryOrRegion = 'FR' "
    "AND errorCode <> 0",
}


def _best(con: duckdb.DuckDBPyConnection, sql: str) -> float:
    timings = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        con.execute(sql).fetchall()
        timings.append(time.perf_counter() - started)
    return min(timings)


def main(store_path: Path) -> dict[str, float]:
    """Time the same filter over the JSON column and over a STRUCT copy of it."""
    con = duckdb.connect(str(store_path), read_only=True)
    # A plain CAST to STRUCT refuses objects with properties it does not list (Graph adds
    # new ones over time); json_transform drops them, which is what a STRUCT schema would do.
    con.execute(
        "CREATE TEMP TABLE _signins_struct AS SELECT errorCode, "
        "json_transform(location, ?) AS location FROM signIns",
        [_SHAPE],
    )
    figures = {name: _best(con, sql) for name, sql in QUERIES.items()}
    con.close()
    print(
        f"nested: filter on location.countryOrRegion over all sign-ins: JSON "
        f"{figures['json'] * 1000:.0f} ms, STRUCT {figures['struct'] * 1000:.0f} ms "
        f"(x{figures['json'] / figures['struct']:.1f})"
    )
    return figures
