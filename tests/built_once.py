"""Expensive read-only test data (a generated tenant and its store) built once per test run,
also when pytest-xdist spreads the tests over worker processes: the first worker that asks
builds it under a file lock in the folder every worker of the run shares; the others reuse it.

Nothing is kept across runs: each run has a new temporary folder, so a changed generator is
always what the tests read.
"""

from __future__ import annotations

import fcntl
import os
import pickle
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest

from idpilot.store import Store

T = TypeVar("T")


def run_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The temporary folder of this test run, shared by every xdist worker of the run."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def built_once(
    tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], T]
) -> tuple[Path, T]:
    """The folder `build` filled (it must treat it as new) and what `build` returned, built by
    the first caller of the run; `build`'s result must pickle."""
    root = run_folder(tmp_path_factory)
    folder = root / f"built-{name}"
    result = root / f"built-{name}.pickle"
    with (root / f"built-{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not result.exists():
            shutil.rmtree(folder, ignore_errors=True)  # a build that failed half way
            folder.mkdir()
            result.write_bytes(pickle.dumps(build(folder)))
        return folder, pickle.loads(result.read_bytes())


def private_copy(store_file: Path, folder: Path) -> Store:
    """A built store's file copied into `folder` and opened: this worker's own, writable."""
    target = folder / store_file.name
    shutil.copyfile(store_file, target)
    return Store.open(target)
