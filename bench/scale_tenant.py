"""The scale run's tenant: the demo generator's directory and one day of its sign-ins, the
sign-ins then multiplied by DuckDB into `.jsonl.gz` files of any size.

The demo generator writes every collection in Graph's shape (`idpilot demo`), one Python dict
per record: fine for a day of 100,000 users (~400,000 sign-ins, ~2 minutes), far too slow for
50 million. That day's sign-ins are the templates: DuckDB reads them once and writes copy `k`
of each one `k` steps earlier, spread over `SPREAD_DAYS`, with a new id and correlation id, in
`COPY ... TO 'signIns.N.jsonl.gz'` statements run side by side. Each copy keeps its template's
user, app, device, location, status, risk and Conditional Access results, so replaying the
policies still agrees with what was recorded.
"""

from __future__ import annotations

import json
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import duckdb

from idpilot.sources.demo import generate_demo_tenant

SEED = 7
TEMPLATE_DAYS = 1  # the demo generator's days: its sign-ins are the templates
SPREAD_DAYS = 30  # the copies cover the last 30 days (Graph keeps 30 days of sign-ins)
ROWS_PER_FILE = 1_000_000  # a file is staged whole: files of a million bound what is staged
GRAPH_TIME = "%Y-%m-%dT%H:%M:%SZ"
SECONDS_PER_DAY = 86_400


@dataclass(frozen=True)
class ScaleTenant:
    """A generated scale tenant: its snapshot folder and what making it cost."""

    folder: Path
    users: int
    sign_ins: int
    templates: int
    directory_seconds: float
    sign_in_seconds: float

    @property
    def gzip_bytes(self) -> int:
        """Bytes of the compressed sign-in files."""
        return sum(p.stat().st_size for p in self.folder.glob("signIns.*.jsonl.gz"))


def generate_scale_tenant(
    out: Path, users: int, sign_ins: int, *, workers: int = 2, seed: int = SEED
) -> ScaleTenant:
    """The snapshot folder `out/tenant` of `users` users and `sign_ins` sign-ins (reused when
    a previous run made the same sizes; the directory alone is reused for other sign-in counts)."""
    folder, templates = out / "tenant", out / "templates" / "signIns.jsonl"
    marker = out / ".scale.json"  # beside the folder: ingest reads every file in it
    wanted = {"users": users, "sign_ins": sign_ins, "seed": seed}
    if marker.exists() and json.loads(marker.read_text()).get("sizes") == wanted:
        return ScaleTenant(folder=folder, **json.loads(marker.read_text())["tenant"])
    directory_seconds = _directory(out, folder, templates, users, seed)
    for old in folder.glob("signIns.*.jsonl.gz"):
        old.unlink()
    started = time.perf_counter()
    count = write_sign_ins(templates, folder, sign_ins, workers=workers)
    tenant = {
        "users": users,
        "sign_ins": sign_ins,
        "templates": count,
        "directory_seconds": directory_seconds,
        "sign_in_seconds": time.perf_counter() - started,
    }
    _set_manifest_count(folder / "manifest.json", sign_ins)
    marker.write_text(json.dumps({"sizes": wanted, "tenant": tenant}))
    return ScaleTenant(folder=folder, **tenant)


def _directory(out: Path, folder: Path, templates: Path, users: int, seed: int) -> float:
    """Generate the demo tenant of `users` users and one day (unless already there); move its
    sign-ins out of the folder as templates. Returns the seconds it took (0 when reused)."""
    marker = out / "templates" / ".directory.json"
    wanted = {"users": users, "seed": seed, "days": TEMPLATE_DAYS}
    if marker.exists() and json.loads(marker.read_text()).get("sizes") == wanted:
        return json.loads(marker.read_text())["seconds"]
    shutil.rmtree(folder, ignore_errors=True)
    shutil.rmtree(templates.parent, ignore_errors=True)
    started = time.perf_counter()
    generate_demo_tenant(folder, seed=seed, users=users, days=TEMPLATE_DAYS)
    templates.parent.mkdir(parents=True)
    (folder / "signIns.jsonl").rename(templates)
    seconds = time.perf_counter() - started
    marker.write_text(json.dumps({"sizes": wanted, "seconds": seconds}))
    return seconds


def write_sign_ins(templates: Path, folder: Path, total: int, *, workers: int = 2) -> int:
    """Write `total` sign-ins as `signIns.N.jsonl.gz` files made from the templates' records;
    return how many templates there were.

    DuckDB compresses as it writes. Its plain JSON piped through `gzip -1` instead took 24%
    less CPU for 71% more bytes (one file of a million, same run: bench/README.md), so the
    files stay DuckDB's gzip: 210 MB per million."""
    con = duckdb.connect()
    con.execute(f"SET threads = {int(workers)}")
    con.execute(
        "CREATE TABLE templates AS SELECT row_number() OVER () - 1 AS t, * FROM "
        "read_json(?, format = 'newline_delimited', sample_size = -1, timestampformat = ?)",
        [str(templates), GRAPH_TIME],
    )
    count = con.execute("SELECT count(*) FROM templates").fetchone()[0]
    copies = -(-total // count)
    step = SPREAD_DAYS * SECONDS_PER_DAY // copies
    ranges = [(s, min(s + ROWS_PER_FILE, total)) for s in range(0, total, ROWS_PER_FILE)]

    def write(number: int) -> None:
        first, end = ranges[number]
        target = folder / f"signIns.{number:03d}.jsonl.gz"
        con.cursor().execute(_copy_sql(count, step, first, end, target))

    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(write, range(len(ranges))))
    con.close()
    return count


def _copy_sql(templates: int, step: int, first: int, end: int, target: Path) -> str:
    """The COPY writing sign-ins `first` to `end` (copy n // templates of template n %
    templates), shifted back copy * step seconds. Every pasted value is an int or our own
    path and constant."""
    shift = f"to_seconds(copy * {int(step)})"
    return f"""
        COPY (
            SELECT * EXCLUDE (n, copy, t) REPLACE (
                CASE WHEN copy = 0 THEN id ELSE md5(id::VARCHAR || copy)::UUID END AS id,
                createdDateTime - {shift} AS createdDateTime,
                CASE WHEN copy = 0 THEN correlationId
                     ELSE md5(correlationId::VARCHAR || copy)::UUID END AS correlationId,
                list_transform(authenticationDetails, lambda d: struct_update(d,
                    authenticationStepDateTime := d.authenticationStepDateTime - {shift}))
                    AS authenticationDetails
            )
            FROM (SELECT range AS n, range // {int(templates)} AS copy
                  FROM range({int(first)}, {int(end)})) AS numbers
            JOIN templates ON templates.t = numbers.n % {int(templates)}
        ) TO '{target}' (FORMAT json, COMPRESSION gzip, TIMESTAMPFORMAT '{GRAPH_TIME}')
    """


def _set_manifest_count(manifest: Path, sign_ins: int) -> None:
    """The manifest's sign-in count says what the folder now holds."""
    data = json.loads(manifest.read_text())
    data.setdefault("counts", {})["signIns"] = sign_ins
    manifest.write_text(json.dumps(data, indent=2))
