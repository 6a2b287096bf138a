"""Sync tests write many small checkpoints: flushing them to the disk is skipped (a kill here is
simulated in the process, so the page cache is what a resumed run reads either way)."""

from __future__ import annotations

import os

import pytest


@pytest.fixture(autouse=True)
def _no_fsync(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "fsync", lambda descriptor: None)
