"""How the entry point sets up its process: one BLAS thread, the collector paused while loading."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from idpilot.cli import _startup


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Calls of gc.freeze (recorded, not made: the test process must keep collecting), with the
    module's state and the collector's restored afterwards."""
    calls: list[str] = []
    monkeypatch.setattr(_startup, "_command_line", False)
    monkeypatch.setattr(_startup, "_paused_while_loading", False)
    monkeypatch.setattr(_startup.gc, "freeze", lambda: calls.append("freeze"))
    was_enabled = gc.isenabled()
    yield calls
    if was_enabled:
        gc.enable()


def test_blas_gets_one_thread_unless_the_environment_chose(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in _startup.BLAS_THREAD_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "4")
    _startup.single_blas_thread()
    assert _startup.os.environ["OPENBLAS_NUM_THREADS"] == "4"
    assert _startup.os.environ["OMP_NUM_THREADS"] == "1"


def test_the_collector_is_off_while_loading_and_frozen_then_on(frozen: list[str]) -> None:
    gc.enable()
    _startup.pause_collector_while_loading()
    assert not gc.isenabled()
    _startup.loading_done()
    assert gc.isenabled()
    assert frozen == ["freeze"]
    _startup.loading_done()  # a second command in the same process changes nothing
    assert gc.isenabled() and frozen == ["freeze"]


def test_loading_done_leaves_a_collector_it_did_not_pause_alone(frozen: list[str]) -> None:
    gc.disable()
    _startup.loading_done()
    assert not gc.isenabled()
    assert frozen == []


def test_a_paused_block_restores_the_collector_without_freezing_outside_the_cli(
    frozen: list[str],
) -> None:
    gc.enable()
    with _startup.collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    assert frozen == []  # a test or a library caller never has its objects frozen
    gc.disable()
    with _startup.collector_paused():
        pass
    assert not gc.isenabled()
