"""What keeps an `idpilot` process quick to start: one BLAS thread, no garbage collection while
loading.

`idpilot ask` is a whole process per question, so what it spends before answering counts
(issue #9). Neither setting changes a result: the intent model's products are a few thousand
rows wide and come out the same on one thread, and the collector only frees cycles, which a
short process leaves to its exit.

Loading Typer, Rich, pydantic, DuckDB and the engine creates tens of thousands of objects that
live as long as the process (modules, classes, compiled patterns, models). A collection while
they are created walks them again and again and frees nothing, and the first one after a pause
walks everything created during it. So the entry point pauses the collector, and when it comes
back on in the command-line process, what exists by then is first moved out of its sight
(`gc.freeze`): later collections walk only what is new.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager

BLAS_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
"""How numpy's BLAS builds read their thread count, when the library loads."""

_command_line = False
"""True in the process `idpilot.cli.main` started (not when a test invokes the app)."""
_paused_while_loading = False


def single_blas_thread() -> None:
    """Ask numpy's BLAS for one thread, unless the environment already chose a number.

    Called before numpy is imported: its BLAS starts a thread per core that spins while idle,
    CPU time a short process never gets back.
    """
    for name in BLAS_THREAD_VARIABLES:
        os.environ.setdefault(name, "1")


def pause_collector_while_loading() -> None:
    """Turn the collector off until `loading_done` (the entry point, before a command loads)."""
    global _command_line, _paused_while_loading
    _command_line = True
    if gc.isenabled():
        gc.disable()
        _paused_while_loading = True


def loading_done() -> None:
    """Turn the collector back on if `pause_collector_while_loading` turned it off: a command
    runs with it (a long ingest or evaluation must collect)."""
    global _paused_while_loading
    if _paused_while_loading:
        _paused_while_loading = False
        _resume()


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run the block with the collector off, and on again afterwards if it was on.

    For a one-shot command (`ask`): loading the engine and answering allocates much and leaves
    little garbage.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            _resume()


def _resume() -> None:
    if _command_line:  # what the process loaded stays until it exits: not worth walking
        gc.freeze()
    gc.enable()
