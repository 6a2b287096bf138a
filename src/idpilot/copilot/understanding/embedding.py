"""A static sentence-embedding model on numpy alone: the 256-dimension model the `wordllama`
wheel ships, read offline from the installed package.

A sentence vector is the mean of its tokens' vectors, normalised, as `wordllama` computes it.
The package's own loader is not used: it looks for its tokenizer under a folder name the wheel
does not use and then tries to download it, and importing it configures logging. Only its data
files are read: the token table memory-mapped, the tokenizer as the arrays idpilot ships
(`tokenizer_tables`), encoded in pure Python with the ids `tokenizers` would give.
"""

from __future__ import annotations

import importlib.util
import threading
from functools import cache
from pathlib import Path

import numpy as np

from idpilot.copilot.understanding._bpe import BpeEncoder
from idpilot.copilot.understanding._tensor_file import NUMPY_DTYPES, read_header
from idpilot.copilot.understanding.tokenizer_tables import tables_for
from idpilot.errors import IdpilotError

MODEL_PACKAGE = "wordllama"
TOKENIZER_FILE = "tokenizers/l2_supercat_tokenizer_config.json"
WEIGHTS_FILE = "weights/l2_supercat_256.safetensors"
WEIGHTS_KEY = "embedding.weight"
_FLOAT_DTYPES = ("F16", "F32", "F64")
_LOCK = threading.Lock()


class EmbeddingModelMissing(IdpilotError):
    """The embedding model's package is not installed."""


class StaticEmbedder:
    """Sentence vectors from a static token-embedding table (no network, no PyTorch)."""

    def __init__(self, folder: Path) -> None:
        self._encoder = BpeEncoder(tables_for(folder / TOKENIZER_FILE))
        self._table = token_table(folder / WEIGHTS_FILE)
        self.dimensions = int(self._table.shape[1])

    def tokens(self, text: str) -> list[int]:
        """The token ids of `text` (a word the model knows whole is one token)."""
        return list(self._encoder.encode(text))

    def embed(self, texts: list[str]) -> np.ndarray:
        """Unit-length sentence vectors, one row per text (a zero row for an empty text)."""
        vectors = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        last = len(self._table) - 1
        for row, text in enumerate(texts):
            ids = np.clip(np.asarray(self._encoder.encode(text), dtype=np.int64), 0, last)
            if len(ids):
                vectors[row] = self._table[ids].astype(np.float32).mean(axis=0)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms == 0, 1.0, norms)


def token_table(path: Path) -> np.ndarray:
    """The token-embedding table, memory-mapped: a prompt reads only its tokens' rows.

    Rows keep the file's dtype; the caller widens the few it reads to float32, which gives
    the same values as widening the whole table first.
    """
    header, data_start = read_header(path)
    entry = header[WEIGHTS_KEY]
    if entry["dtype"] not in _FLOAT_DTYPES:  # a dtype numpy lacks (bfloat16): read and widen it all
        from safetensors.numpy import load_file

        return np.ascontiguousarray(load_file(str(path))[WEIGHTS_KEY], dtype=np.float32)
    start, _ = entry["data_offsets"]
    mapped = np.memmap(
        path, dtype=NUMPY_DTYPES[entry["dtype"]], mode="r", offset=data_start + start,
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
