"""One store, many users, as real processes: readers answer while an ingest runs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

import idpilot
from tests.fixture_tenant import write_fixture_tenant

SRC = Path(idpilot.__file__).parents[1]  # this checkout's code, not an installed copy
NEWCOMER_UPN = "zed.newcomer@fabrikam.test"
NEWCOMER = {
    "id": "2ed00000-0000-4000-8000-000000000099",
    "displayName": "Zed Newcomer",
    "userPrincipalName": NEWCOMER_UPN,
    "accountEnabled": True,
}
# An ingest through the same path as `idpilot ingest`, which stops at its first collection until
# told to go on: readers are then certain to run while it is in the middle of its work.
PAUSED_INGEST = """
import sys
from pathlib import Path
from idpilot.cli.app import open_store
from idpilot.sources.ingest import ingest_folder

paused = []

def on_stage(name):
    if not paused:
        paused.append(name)
        print("paused", flush=True)
        sys.stdin.readline()

with open_store(Path(sys.argv[1]), read_only=False) as store:
    ingest_folder(store, Path(sys.argv[2]), on_stage=on_stage)
print("done", flush=True)
"""
CLI = "from idpilot.cli import main; main()"


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("IDPILOT_")}
    return env | {"PYTHONPATH": str(SRC), "PYTHONUNBUFFERED": "1", "COLUMNS": "200"} | extra


def idpilot_run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run the idpilot command in its own process."""
    return subprocess.run(
        [sys.executable, "-c", CLI, *args],
        capture_output=True,
        text=True,
        env=_env(**env),
        timeout=300,
    )


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    """The fixture tenant, ingested by the command in its own process."""
    path = tmp_path / "store.duckdb"
    done = idpilot_run(
        "ingest", "-q", str(write_fixture_tenant(tmp_path / "snap")), "--store", str(path)
    )
    assert done.returncode == 0, done.stderr
    return path


@pytest.fixture
def newcomer(tmp_path: Path) -> Path:
    """A snapshot that adds one user and some sign-ins."""
    folder = tmp_path / "newcomer"
    folder.mkdir()
    (folder / "users.json").write_text(json.dumps([NEWCOMER]))
    with (folder / "signIns.jsonl").open("wb") as handle:
        for n in range(2_000):
            record = {"id": f"s{n}", "createdDateTime": "2026-03-01T00:00:00Z",
                      "userId": NEWCOMER["id"], "status": {"errorCode": 0}}  # fmt: skip
            handle.write(orjson.dumps(record) + b"\n")
    return folder


@pytest.fixture
def paused_ingest(store_path: Path, newcomer: Path) -> Iterator[subprocess.Popen[str]]:
    """An ingest of the newcomer snapshot, stopped in the middle until its stdin gets a line."""
    process = subprocess.Popen(
        [sys.executable, "-c", PAUSED_INGEST, str(store_path), str(newcomer)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "paused", process.stderr
    yield process
    if process.poll() is None:
        process.communicate("\n", timeout=120)


def test_ask_and_kql_answer_from_the_last_version_while_an_ingest_runs(
    store_path: Path, paused_ingest: subprocess.Popen[str]
) -> None:
    asked = idpilot_run("ask", "Who is Bob Stone?", "--offline", "--store", str(store_path))
    assert asked.returncode == 0, asked.stderr
    assert "bob.stone@fabrikam.test" in asked.stdout
    queried = idpilot_run("kql", "SigninLogs | count", "--json", "--store", str(store_path))
    assert queried.returncode == 0, queried.stderr
    assert json.loads(queried.stdout) == [{"Count": 0}]
    before = idpilot_run("ask", "Who is Zed Newcomer?", "--offline", "--store", str(store_path))
    assert before.returncode == 0 and NEWCOMER_UPN not in before.stdout
    assert paused_ingest.poll() is None  # the ingest was still in the middle of its work

    _, err = paused_ingest.communicate("\n", timeout=120)
    assert paused_ingest.returncode == 0, err
    after = idpilot_run("ask", "Who is Zed Newcomer?", "--offline", "--store", str(store_path))
    assert after.returncode == 0 and NEWCOMER_UPN in after.stdout


def test_a_second_ingest_waits_then_says_which_process_writes(
    store_path: Path, newcomer: Path, paused_ingest: subprocess.Popen[str]
) -> None:
    done = idpilot_run(
        "ingest", "-q", str(newcomer), "--store", str(store_path), IDPILOT_STORE_WAIT_SECONDS="0.5"
    )
    assert done.returncode == 2
    assert f"PID {paused_ingest.pid}" in done.stderr
    assert "being written by another idpilot process" in done.stderr
    assert "Traceback" not in done.stderr and "DuckDB" not in done.stderr


def _read_answer(chat: subprocess.Popen[str]) -> str:
    """The chat's output up to the end of one answer (its timing line)."""
    assert chat.stdout is not None
    lines = []
    for line in chat.stdout:
        lines.append(line)
        if line.rstrip().endswith(" ms") or "error:" in line:
            break
    return "".join(lines)


def test_an_open_chat_lets_ingest_run_and_then_sees_the_new_version(
    store_path: Path, newcomer: Path
) -> None:
    chat = subprocess.Popen(
        [sys.executable, "-c", CLI, "chat", "--offline", "--store", str(store_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    try:
        assert chat.stdin is not None
        chat.stdin.write("Who is Zed Newcomer?\n")
        chat.stdin.flush()
        assert NEWCOMER_UPN not in _read_answer(chat)

        ingested = idpilot_run("ingest", "-q", str(newcomer), "--store", str(store_path))
        assert ingested.returncode == 0, ingested.stderr

        chat.stdin.write("Who is Zed Newcomer?\n")
        chat.stdin.flush()
        assert NEWCOMER_UPN in _read_answer(chat)
        chat.stdin.write("exit\n")
        chat.stdin.flush()
        chat.wait(timeout=60)
        assert chat.returncode == 0
    finally:
        if chat.poll() is None:
            chat.kill()
            chat.wait()
