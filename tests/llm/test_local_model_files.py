"""The local model of `make test-llm`: assembled in order, verified, served on loopback only."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from idpilot.errors import IdpilotError
from idpilot.llm import local_model, local_server


def _parts(tmp_path: Path, chunks: list[bytes]) -> list[Path]:
    paths = []
    for n, chunk in enumerate(chunks, start=1):
        path = tmp_path / "parts" / f"part{n:02d}.bin"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(chunk)
        paths.append(path)
    return paths


@pytest.fixture
def fake_parts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> bytes:
    """Three small parts standing in for the 22 packages; the pin set to their whole."""
    chunks = [b"GGUF-one-", b"two-", b"three"]
    whole = b"".join(chunks)
    paths = _parts(tmp_path, chunks)
    monkeypatch.setattr(local_model, "part_paths", lambda: paths)
    monkeypatch.setattr(local_model, "MODEL_SHA256", hashlib.sha256(whole).hexdigest())
    monkeypatch.setattr(local_model, "MODEL_BYTES", len(whole))
    return whole


def test_the_parts_are_joined_in_order_and_verified(tmp_path: Path, fake_parts: bytes) -> None:
    model = local_model.assemble_model(tmp_path / "cache")
    assert model.read_bytes() == fake_parts
    assert model.name == local_model.MODEL_FILE
    stamp = model.stat().st_mtime_ns
    assert local_model.assemble_model(tmp_path / "cache") == model
    assert model.stat().st_mtime_ns == stamp  # a verified copy is reused, not rebuilt


def test_a_changed_part_is_refused(
    tmp_path: Path, fake_parts: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    changed = _parts(tmp_path, [b"GGUF-one-", b"TWO-", b"three"])
    monkeypatch.setattr(local_model, "part_paths", lambda: changed)
    with pytest.raises(IdpilotError, match="not the pinned"):
        local_model.assemble_model(tmp_path / "cache")
    assert not list((tmp_path / "cache").iterdir())


def test_a_missing_part_package_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(local_model, "PART_PACKAGE", "idpilot_no_such_part_{n}")
    with pytest.raises(IdpilotError, match=r"idpilot\[llm-local\]"):
        local_model.part_paths()


def test_the_server_listens_on_loopback_with_the_models_own_template() -> None:
    command = local_server.server_command(Path("/m.gguf"), 8123)
    options = dict(zip(command[3::2], command[4::2], strict=False))
    assert command[:3] == [sys.executable, "-m", "llama_cpp.server"]
    assert options["--host"] == "127.0.0.1" and options["--port"] == "8123"
    assert "--chat_format" not in options
    settings = local_server.settings_for("http://127.0.0.1:8123/v1")
    assert settings["IDPILOT_LLM_BASE_URL"] == "http://127.0.0.1:8123/v1"
    assert settings["IDPILOT_LLM_MODEL"] == local_server.MODEL_ALIAS


def test_the_command_runs_against_the_server_and_its_exit_code_is_returned(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    @contextmanager
    def serving(model: Path, log: Path | None = None) -> Iterator[str]:
        yield "http://127.0.0.1:9/v1"

    monkeypatch.setattr(local_server, "assemble_model", lambda: tmp_path / "m.gguf")
    monkeypatch.setattr(local_server, "serving", serving)
    seen: list[dict[str, str]] = []

    def call(command: list[str], env: dict[str, str]) -> int:
        seen.append(env)
        return 5  # pytest's "no tests collected" must reach make as a failure

    monkeypatch.setattr(subprocess, "call", call)
    assert local_server.main(["--", "pytest", "-m", "llm"]) == 5
    assert seen[0]["IDPILOT_LLM_BASE_URL"] == "http://127.0.0.1:9/v1"


def test_one_thread_on_a_machine_busier_than_its_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("IDPILOT_LOCAL_MODEL_THREADS", raising=False)
    monkeypatch.setattr(local_server.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(local_server.os, "getloadavg", lambda: (0.3, 0.2, 0.1))
    assert local_server.thread_count() == 2
    monkeypatch.setattr(local_server.os, "getloadavg", lambda: (9.0, 8.0, 7.0))
    assert local_server.thread_count() == 1
    monkeypatch.setenv("IDPILOT_LOCAL_MODEL_THREADS", "2")
    assert local_server.thread_count() == 2


def test_the_served_model_settings_name_a_known_provider() -> None:
    from idpilot.llm.local_server import settings_for
    from idpilot.llm.providers import default_providers

    provider = settings_for("http://127.0.0.1:1/v1")["IDPILOT_LLM_PROVIDER"]
    assert default_providers().get(provider) is not None
