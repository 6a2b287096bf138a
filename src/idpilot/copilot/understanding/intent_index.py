"""The exemplar bank's precomputed index, shipped as package data: a cold process neither parses
the bank nor embeds it.

The file (`intent_index.safetensors`) holds the bank's exemplars, their sentence vectors, their
TF-IDF postings and the linear reading trained on them (`linear`), all computed by the
classifier's own code (`python -m idpilot.copilot.understanding.build_index` writes it), with a
fingerprint of what they were computed from: the bank file, the words that stand in for names
and the other text rules, and the embedding model's files. A process uses the index only when
the bank file and the rules hash to the recorded values and the model's files have the recorded
sizes (hashing the model on every start would cost more than it saves; the test suite compares
the full hashes). Otherwise it computes everything from scratch, as before, with the same
results.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from idpilot.copilot.understanding._tensor_file import TensorFileError, read_tensors, tensor_bytes
from idpilot.copilot.understanding.embedding import TOKENIZER_FILE, WEIGHTS_FILE

INDEX_FILE = "intent_index.safetensors"
BANK_FILE = "exemplars.yaml"
FORMAT = "2"
"""Bumped when the index's layout or the code that computes it changes."""
_PACKAGE = __package__ or "idpilot.copilot.understanding"
_MODEL_FILES = {"tokenizer": TOKENIZER_FILE, "weights": WEIGHTS_FILE}


@dataclass(frozen=True)
class PrecomputedIndex:
    """What the classifier computes from the bank, read back from the shipped file."""

    bank: list[tuple[str, str, str | None]]
    """(text, intent, facet) of every exemplar, in the bank's order."""
    vectors: np.ndarray
    """One unit sentence vector (float32) per exemplar."""
    terms: list[str]
    idf: np.ndarray
    """Inverse document frequency (float64) of each term."""
    starts: np.ndarray
    """Postings of term k are rows[starts[k]:starts[k + 1]] with their weights."""
    rows: np.ndarray
    weights: np.ndarray
    fingerprint: dict[str, str]
    linear_weights: np.ndarray
    """The linear reading's weights over [sentence vector, TF-IDF terms], float32."""
    linear_bias: np.ndarray
    linear_intents: list[str]


def index_path() -> Path:
    """Where the shipped index lives (inside the installed package)."""
    return Path(str(resources.files(_PACKAGE).joinpath(INDEX_FILE)))


def bank_bytes() -> bytes:
    """The shipped exemplar bank file, as bytes (what its hash is taken of)."""
    return resources.files(_PACKAGE).joinpath(BANK_FILE).read_bytes()


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def fingerprint(bank: bytes, rules: str, model: Path, *, hash_model: bool) -> dict[str, str]:
    """What a precomputed index depends on: bank, text rules, model files (sizes or hashes)."""
    found = {
        "format": FORMAT,
        "bank_sha256": _sha256(bank),
        "rules_sha256": _sha256(rules.encode()),
    }
    for name, relative in _MODEL_FILES.items():
        path = model / relative
        found[f"{name}_size"] = str(path.stat().st_size)
        if hash_model:
            found[f"{name}_sha256"] = _sha256(path.read_bytes())
    return found


def matches(recorded: dict[str, str], current: dict[str, str]) -> bool:
    """Whether every part of `current` has the value `recorded` holds."""
    return all(recorded.get(key) == value for key, value in current.items())


def read_index(path: Path) -> PrecomputedIndex | None:
    """The index stored at `path`, or None when there is none or it cannot be read."""
    if not path.is_file():
        return None
    try:
        arrays, metadata = read_tensors(path)
        bank = [
            (str(t), str(i), None if f is None else str(f))
            for t, i, f in json.loads(metadata.pop("bank"))
        ]
        terms = [str(term) for term in json.loads(metadata.pop("terms"))]
        linear_intents = [str(intent) for intent in json.loads(metadata.pop("linear_intents"))]
        return PrecomputedIndex(
            bank=bank,
            vectors=arrays["vectors"],
            terms=terms,
            idf=arrays["idf"],
            starts=arrays["starts"],
            rows=arrays["rows"],
            weights=arrays["weights"],
            fingerprint=metadata,
            linear_weights=arrays["linear_weights"],
            linear_bias=arrays["linear_bias"],
            linear_intents=linear_intents,
        )
    except (OSError, KeyError, ValueError, TypeError, TensorFileError):  # damaged: compute instead
        return None


def write_index(path: Path, index: PrecomputedIndex) -> None:
    """Store `index` at `path` (the build script's output), byte for byte reproducibly."""
    metadata = dict(index.fingerprint)
    metadata["bank"] = json.dumps(index.bank, ensure_ascii=False)
    metadata["terms"] = json.dumps(index.terms, ensure_ascii=False)
    metadata["linear_intents"] = json.dumps(index.linear_intents)
    tensors = {  # eight-byte types first, so every tensor starts aligned to its type
        "idf": np.ascontiguousarray(index.idf, dtype="<f8"),
        "starts": np.ascontiguousarray(index.starts, dtype="<i8"),
        "weights": np.ascontiguousarray(index.weights, dtype="<f8"),
        "vectors": np.ascontiguousarray(index.vectors, dtype="<f4"),
        "linear_weights": np.ascontiguousarray(index.linear_weights, dtype="<f4"),
        "linear_bias": np.ascontiguousarray(index.linear_bias, dtype="<f4"),
        "rows": np.ascontiguousarray(index.rows, dtype="<i4"),
    }
    path.write_bytes(tensor_bytes(tensors, metadata))
