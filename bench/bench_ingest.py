"""Ingest throughput against DuckDB's own read_json of the same files, in the same run."""

from __future__ import annotations

import time
from pathlib import Path

import duckdb

from idpilot.sources.ingest import ingest_folder
from idpilot.sources.snapshot_files import list_snapshot
from idpilot.store import Store

TARGET_RATIO = 0.5  # issue #2: at least 50% of the read_json rate


def read_json_baseline(folder: Path, db_path: Path) -> float:
    """Seconds for DuckDB to load every collection file with read_json into tables."""
    db_path.unlink(missing_ok=True)
    files, _ = list_snapshot(folder)
    con = duckdb.connect(str(db_path))
    started = time.perf_counter()
    for number, file in enumerate(files):
        fmt = "newline_delimited" if file.format.value == "jsonl" else "auto"
        con.execute(
            f"CREATE TABLE t{number} AS SELECT * FROM read_json(?, format = '{fmt}', "
            "maximum_object_size = 2147483648)",
            [str(file.path)],
        )
    elapsed = time.perf_counter() - started
    con.close()
    db_path.unlink(missing_ok=True)
    return elapsed


def idpilot_ingest(folder: Path, db_path: Path) -> float:
    """Seconds for `idpilot ingest` of the folder into a new store."""
    db_path.unlink(missing_ok=True)
    with Store.open(db_path) as store:
        started = time.perf_counter()
        ingest_folder(store, folder)
        elapsed = time.perf_counter() - started
    db_path.unlink(missing_ok=True)
    return elapsed


def main(folder: Path, scratch: Path) -> dict[str, float]:
    """Measure both, print the rates and the ratio, return the figures."""
    size = sum(f.size for f in list_snapshot(folder)[0])
    baseline = read_json_baseline(folder, scratch / "read_json.duckdb")
    ours = idpilot_ingest(folder, scratch / "ingest.duckdb")
    ratio = baseline / ours
    print(
        f"ingest: {size / 1e6:,.0f} MB; DuckDB read_json {baseline:.1f} s "
        f"({size / 1e6 / baseline:.0f} MB/s); idpilot ingest {ours:.1f} s "
        f"({size / 1e6 / ours:.0f} MB/s); ratio {ratio:.2f} (target >= {TARGET_RATIO})"
    )
    return {"read_json_s": baseline, "ingest_s": ours, "ratio": ratio, "mb": size / 1e6}
