"""`idpilot serve` as a real process: prints the URL and, on first start only, an admin token
that works; binds to loopback by default."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.api.served import free_port

SRC = Path(__file__).parent.parent.parent / "src"
START_SECONDS = 60


def _start(store: Path, port: int, env: dict[str, str]) -> tuple[subprocess.Popen[str], list[str]]:
    """Start `idpilot serve`; return it and its output lines up to 'Uvicorn running'."""
    process = subprocess.Popen(
        [sys.executable, "-c", "from idpilot.cli import main; main()", "serve",
         "--store", str(store), "--port", str(port), "--offline"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
    )  # fmt: skip
    lines: list[str] = []
    deadline = time.monotonic() + START_SECONDS
    assert process.stdout is not None
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line.rstrip("\n"))
        if "Uvicorn running" in line or "Application startup complete" in line:
            return process, lines
    process.kill()
    raise AssertionError(f"the server did not start: {lines}")


def _stop(process: subprocess.Popen[str]) -> None:
    process.terminate()
    process.wait(10)


def test_first_start_prints_the_url_and_one_admin_token(demo_store: Path, tmp_path: Path) -> None:
    env = {
        **os.environ,
        "PYTHONPATH": str(SRC),
        "IDPILOT_STATE": str(tmp_path / "state.duckdb"),
        "IDPILOT_CONFIG": str(tmp_path / "config.toml"),
        "COLUMNS": "200",
    }
    (tmp_path / "config.toml").write_text("")
    port = free_port()
    process, lines = _start(demo_store, port, env)
    try:
        url = f"http://127.0.0.1:{port}"
        assert any(url in line for line in lines), lines
        secrets = [line.strip() for line in lines if line.strip().startswith("idp_")]
        assert len(secrets) == 1, lines
        with httpx.Client(base_url=url) as client:
            me = client.get("/api/me", headers={"Authorization": f"Bearer {secrets[0]}"})
            assert me.json()["role"] == "admin"
            # `idpilot token create` in another process while the server runs
            created = subprocess.run(
                [sys.executable, "-c", "from idpilot.cli import main; main()", "token",
                 "create", "--user", "later", "--role", "reader", "--json",
                 "--store", str(demo_store)],
                capture_output=True, text=True, env=env, timeout=START_SECONDS, check=True,
            )  # fmt: skip
            later = json.loads(created.stdout)["secret"]
            me = client.get("/api/me", headers={"Authorization": f"Bearer {later}"})
            assert me.json()["user"] == "later"
    finally:
        _stop(process)
    process, lines = _start(demo_store, port, env)
    _stop(process)
    assert not any(line.strip().startswith("idp_") for line in lines), lines
