"""No socket is created, by any thread, while every hostile KQL query runs: proved below Python.

DuckDB installs extensions and resolves host names in C++, where patching Python's `socket`
sees nothing. So each check runs in a child process that first installs a seccomp filter
killing the process on the `socket` system call (Linux, x86-64 or arm64), then runs queries. A
child that tried the network dies with SIGSYS; two controls prove the trap springs, one from
Python and one from DuckDB itself (a URL read with extension autoinstall on, as `idpilot kql`
did before the sandbox).
"""

from __future__ import annotations

import json
import platform
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from store.log_analytics_fixture import build_store

from .test_kql_sandbox import URL, hostile_queries

# A classic-BPF seccomp filter: on this architecture, `socket` kills the process.
_ARCHES = {"x86_64": (0xC000003E, 41), "aarch64": (0xC00000B7, 198)}
_CHILD = r"""
import ctypes, json, sys

arch, nr = json.loads(sys.argv[1])
class Filter(ctypes.Structure):
    _fields_ = [("code", ctypes.c_ushort), ("jt", ctypes.c_ubyte), ("jf", ctypes.c_ubyte),
                ("k", ctypes.c_uint32)]
class Program(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(Filter))]
rules = (Filter * 6)(
    Filter(0x20, 0, 0, 4),            # load the architecture
    Filter(0x15, 0, 3, arch),         # another one: allow
    Filter(0x20, 0, 0, 0),            # load the system call number
    Filter(0x15, 0, 1, nr),           # socket: kill
    Filter(0x06, 0, 0, 0x80000000),   # SECCOMP_RET_KILL_PROCESS
    Filter(0x06, 0, 0, 0x7FFF0000),   # SECCOMP_RET_ALLOW
)
program = Program(6, rules)
libc = ctypes.CDLL(None, use_errno=True)
if libc.prctl(38, 1, 0, 0, 0) != 0 or libc.prctl(22, 2, ctypes.byref(program), 0, 0) != 0:
    print("no-seccomp", flush=True)
    sys.exit(3)
print("trap-set", flush=True)

mode = sys.argv[2]
if mode == "python-control":
    import socket
    socket.socket()
elif mode == "duckdb-control":
    import duckdb
    try:
        duckdb.connect().execute("SELECT * FROM '" + sys.argv[3] + "'").fetchall()
    except duckdb.Error:
        pass
else:
    from idpilot.kql.adapter import run_kql
    from idpilot.kql.errors import KqlQueryError
    from idpilot.store import Store

    store = Store.open(sys.argv[3], read_only=True)
    refused = 0
    for query in json.loads(sys.argv[4]):
        try:
            run_kql(store, query)
        except KqlQueryError:
            refused += 1
    print("refused", refused, flush=True)
    print("answered", run_kql(store, "SigninLogs | count").rows[0][0], flush=True)
print("done", flush=True)
"""


def run_child(mode: str, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    machine = platform.machine()
    if sys.platform != "linux" or machine not in _ARCHES:
        pytest.skip(f"the seccomp trap is written for Linux on x86-64 and arm64, not {machine}")
    result = subprocess.run(
        [sys.executable, "-c", _CHILD, json.dumps(_ARCHES[machine]), mode, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if "no-seccomp" in result.stdout:
        pytest.skip("seccomp filters are not allowed here")
    assert "trap-set" in result.stdout, result.stderr
    return result


def test_the_trap_kills_a_python_socket(tmp_path: Path) -> None:
    result = run_child("python-control", tmp_path)
    assert result.returncode == -signal.SIGSYS
    assert "done" not in result.stdout


def test_the_trap_kills_duckdb_reaching_for_a_url(tmp_path: Path) -> None:
    """What `idpilot kql "['https://...']"` did before: autoinstall httpfs, resolve the host."""
    result = run_child("duckdb-control", tmp_path, URL)
    assert result.returncode == -signal.SIGSYS
    assert "done" not in result.stdout


def test_no_hostile_query_creates_a_socket(tmp_path: Path) -> None:
    store = tmp_path / "store.duckdb"
    build_store(tmp_path / "snapshot", store).close()
    (tmp_path / "export.csv").write_text("a,b\n1,2\n")
    queries = hostile_queries(tmp_path)
    result = run_child("kql", tmp_path, str(store), json.dumps(queries))
    assert result.returncode == 0, result.stderr[-2000:]
    assert f"refused {len(queries)}" in result.stdout
    assert "answered 7" in result.stdout
    assert "done" in result.stdout
