"""A static sentence-embedding model on numpy alone: the 256-dimension model the `wordllama`
wheel ships, read offline from the installed package.

A sentence vector is the mean of its tokens' vectors, normalised, as `wordllama` computes it.
The package's own loader is not used: it looks for its tokenizer under a folder name the wheel
does not use and then tries to download it, and importing it configures logging. Only its data
files are read, with `tokenizers` and `safetensors` (the libraries it is built on).
"""

from __future__ import annotations

import importlib.util
import json
import struct
import threading
from functools import cache
from pathlib import Path

import numpy as np

from idpilot.errors import IdpilotError

MODEL_PACKAGE = "wordllama"
TOKENIZER_FILE = "tokenizers/l2_supercat_tokenizer_config.json"
WEIGHTS_FILE = "weights/l2_supercat_256.safetensors"
WEIGHTS_KEY = "embedding.weight"
_HEADER_SIZE = struct.Struct("<Q")
"""A safetensors file starts with its JSON header's length, a little-endian u64."""
_NUMPY_DTYPES = {"F16": np.float16, "F32": np.float32, "F64": np.float64}
_LOCK = threading.Lock()


class EmbeddingModelMissing(IdpilotError):
    """The embedding model's package is not installed."""


class StaticEmbedder:
    """Sentence vectors from a static token-embedding table (no network, no PyTorch)."""

    def __init__(self, folder: Path) -> None:
        from tokenizers import Tokenizer

        self._tokenizer = Tokenizer.from_file(str(folder / TOKENIZER_FILE))
        self._tokenizer.no_padding()
        self._tokenizer.no_truncation()
        self._table = token_table(folder / WEIGHTS_FILE)
        self.dimensions = int(self._table.shape[1])

    def embed(self, texts: list[str]) -> np.ndarray:
        """Unit-length sentence vectors, one row per text (a zero row for an empty text)."""
        encodings = self._tokenizer.encode_batch(texts, add_special_tokens=False)
        vectors = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        for row, encoding in enumerate(encodings):
            ids = np.clip(np.asarray(encoding.ids, dtype=np.int64), 0, len(self._table) - 1)
            if len(ids):
                vectors[row] = self._table[ids].astype(np.float32).mean(axis=0)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms == 0, 1.0, norms)


def token_table(path: Path) -> np.ndarray:
    """The token-embedding table, memory-mapped: a prompt reads only its tokens' rows.

    Rows keep the file's dtype; the caller widens the few it reads to float32, which gives
    the same values as widening the whole table first.
    """
    with path.open("rb") as file:
        (length,) = _HEADER_SIZE.unpack(file.read(_HEADER_SIZE.size))
        entry = json.loads(file.read(length))[WEIGHTS_KEY]
    dtype = _NUMPY_DTYPES.get(entry["dtype"])
    if dtype is None:  # a dtype numpy lacks (bfloat16): read and widen it all
        from safetensors.numpy import load_file

        return np.ascontiguousarray(load_file(str(path))[WEIGHTS_KEY], dtype=np.float32)
    start, _ = entry["data_offsets"]
    mapped = np.memmap(
        path, dtype=dtype, mode="r", offset=_HEADER_SIZE.size + length + start,
        shape=tuple(entry["shape"]),
    )  # fmt: skip
    return np.asarray(mapped)


def model_folder() -> Path:
    """Where the installed model package keeps its data files."""
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddingModelMissing(
            f"the intent model needs the '{MODEL_PACKAGE}' package: pip install {MODEL_PACKAGE}"
        )
    return Path(next(iter(spec.submodule_search_locations)))


@cache
def _shared() -> StaticEmbedder:
    return StaticEmbedder(model_folder())


def default_embedder() -> StaticEmbedder:
    """The process-wide embedder, loaded on first use (thread-safe)."""
    with _LOCK:
        return _shared()
