"""The safetensors file layout, read and written with numpy alone.

A file is a little-endian u64 header length, a JSON header (each tensor's dtype, shape and
byte range, plus string metadata under `__metadata__`), then the raw little-endian data.
idpilot's shipped indexes use it; reading them this way spares a cold process the
`safetensors` library (numpy is loaded anyway).
"""

from __future__ import annotations

import json
import struct
from pathlib import Path
from typing import Any

import numpy as np

HEADER_SIZE = struct.Struct("<Q")
METADATA_KEY = "__metadata__"
NUMPY_DTYPES = {
    "F64": "<f8",
    "F32": "<f4",
    "F16": "<f2",
    "I64": "<i8",
    "I32": "<i4",
    "I16": "<i2",
    "U8": "|u1",
}
"""safetensors dtype names and the numpy dtypes they are (BF16 and others have none)."""
_NAMES = {np.dtype(numpy).str: name for name, numpy in NUMPY_DTYPES.items()}


class TensorFileError(ValueError):
    """A file that does not hold the safetensors layout (truncated, damaged, unknown dtype)."""


def read_header(path: Path) -> tuple[dict[str, Any], int]:
    """The JSON header of the file at `path`, and where its data starts."""
    with path.open("rb") as file:
        raw = file.read(HEADER_SIZE.size)
        if len(raw) != HEADER_SIZE.size:
            raise TensorFileError(f"{path}: too short for a safetensors header")
        (length,) = HEADER_SIZE.unpack(raw)
        text = file.read(length)
    if len(text) != length:
        raise TensorFileError(f"{path}: header cut short")
    try:
        header = json.loads(text)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise TensorFileError(f"{path}: header is not JSON ({error})") from None
    if not isinstance(header, dict):
        raise TensorFileError(f"{path}: header is not a JSON object")
    return header, HEADER_SIZE.size + length


def read_tensors(path: Path) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    """Every tensor of the file (read-only arrays over one read of it) and its metadata."""
    header, start = read_header(path)
    data = path.read_bytes()
    metadata = header.pop(METADATA_KEY, None) or {}
    tensors: dict[str, np.ndarray] = {}
    for name, entry in header.items():
        try:
            dtype = np.dtype(NUMPY_DTYPES[entry["dtype"]])
            begin, end = (start + int(offset) for offset in entry["data_offsets"])
            shape = tuple(int(size) for size in entry["shape"])
        except (KeyError, TypeError, ValueError) as error:
            raise TensorFileError(f"{path}: tensor {name!r} is not described ({error})") from None
        count = int(np.prod(shape, dtype=np.int64))
        if end > len(data) or end - begin != count * dtype.itemsize:
            raise TensorFileError(f"{path}: tensor {name!r} does not fit the file")
        tensors[name] = np.frombuffer(data, dtype=dtype, count=count, offset=begin).reshape(shape)
    if not isinstance(metadata, dict) or not all(isinstance(v, str) for v in metadata.values()):
        raise TensorFileError(f"{path}: metadata must map names to strings")
    return tensors, metadata


def tensor_bytes(tensors: dict[str, np.ndarray], metadata: dict[str, str]) -> bytes:
    """The file's bytes for `tensors` (in the given order) and `metadata`, reproducibly.

    safetensors' own writer orders the metadata differently on every run; a rebuilt file that
    did not change should not show up as a change. Put eight-byte types first so that every
    tensor starts aligned to its type.
    """
    header: dict[str, object] = {METADATA_KEY: dict(sorted(metadata.items()))}
    offset = 0
    for name, array in tensors.items():
        size = array.nbytes
        header[name] = {
            "dtype": _NAMES[array.dtype.str],
            "shape": list(array.shape),
            "data_offsets": [offset, offset + size],
        }
        offset += size
    text = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    return HEADER_SIZE.pack(len(text)) + text + b"".join(a.tobytes() for a in tensors.values())
