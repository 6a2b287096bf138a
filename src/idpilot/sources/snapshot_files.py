"""Snapshot files on disk: which collection each holds, its format, and strict JSON checking.

DuckDB's JSON reader is lenient (it accepts trailing commas), so every file is first checked
with a strict parser; a syntax error is reported with its file, line and column.
"""

from __future__ import annotations

import gzip
import json
import re
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import msgspec

from idpilot.errors import SnapshotError
from idpilot.model.collections import Collection
from idpilot.sources.exports.categories import LogCategory

JSON_SUFFIXES = (".json", ".jsonl", ".ndjson")
CHUNK_BYTES = 32 * 1024 * 1024
MANIFEST_NAME = "manifest.json"
ANSWER_KEY_NAME = "scenarios.json"
_BYTE = re.compile(r"\s*\(byte (\d+)\)")
_SEVERAL_DOCUMENTS = re.compile(r"trailing characters", re.I)
_TRUNCATED = re.compile(r"truncated", re.I)
GZIP_MAGIC = b"\x1f\x8b"
# Deeper than this is refused with its position (Graph records nest fewer than ten levels; the
# parsers that read records back recurse once per level).
MAX_NESTING = 512
# Errors of a compressed stream that is not gzip, is corrupt, or ends early.
_GZIP_ERRORS = (gzip.BadGzipFile, EOFError, zlib.error)

ProgressCallback = Callable[[int], None]


class FileFormat(StrEnum):
    """How the JSON values of a file are laid out."""

    json_lines = "jsonl"  # one JSON value per line
    json_document = "json"  # one value (list response, array) or several concatenated


@dataclass(frozen=True)
class SnapshotFile:
    """One file of a snapshot folder and the collection it belongs to."""

    path: Path
    collection: Collection
    format: FileFormat
    compressed: bool
    envelope: LogCategory | None = None  # a diagnostic-settings export blob of this category
    origin: Path | None = None  # the export a converted file was made from

    @property
    def size(self) -> int:
        """Size on disk in bytes."""
        return self.path.stat().st_size


def classify(path: Path) -> SnapshotFile | None:
    """The snapshot file at `path`, or None when its name is not a known collection."""
    name = path.name
    compressed = name.endswith(".gz")
    if compressed:
        name = name.removesuffix(".gz")
    suffix = next((s for s in JSON_SUFFIXES if name.endswith(s)), None)
    if suffix is None:
        return None
    collection = Collection.from_file_stem(name.removesuffix(suffix))
    if collection is None:
        return None
    fmt = FileFormat.json_document if suffix == ".json" else FileFormat.json_lines
    return SnapshotFile(path, collection, fmt, compressed)


def list_snapshot(folder: Path) -> tuple[list[SnapshotFile], list[Path]]:
    """The collection files of a folder (sorted by name) and the JSON files it does not know."""
    if not folder.is_dir():
        raise SnapshotError(
            "not a folder (expected a snapshot folder of Graph JSON files)", path=folder
        )
    known: list[SnapshotFile] = []
    unknown: list[Path] = []
    for path in sorted(folder.iterdir()):
        if not path.is_file() or path.name in (MANIFEST_NAME, ANSWER_KEY_NAME):
            continue
        entry = classify(path)
        if entry is not None:
            known.append(entry)
        elif any(path.name.removesuffix(".gz").endswith(s) for s in JSON_SUFFIXES):
            unknown.append(path)
    return known, unknown


def gzip_error(file: SnapshotFile, detail: str) -> SnapshotError:
    """The error for a `.gz` file that gzip cannot read."""
    return SnapshotError(
        f"cannot be decompressed as gzip ({detail}); a .gz file must be gzip-compressed "
        "(rename it without .gz if it is plain JSON)",
        path=file.path,
    )


def check_compression(file: SnapshotFile) -> None:
    """Refuse a `.gz` file that does not start with gzip's signature (before DuckDB reads it)."""
    if not file.compressed or file.size == 0:
        return
    with file.path.open("rb") as handle:
        head = handle.read(len(GZIP_MAGIC))
    if head != GZIP_MAGIC:
        raise gzip_error(file, "it does not start with the gzip signature 1f 8b")


def is_blank(file: SnapshotFile) -> bool:
    """True when the file is 0 bytes or holds only whitespace (once decompressed)."""
    if file.size == 0:
        return True
    opener = gzip.open if file.compressed else open
    try:
        with opener(file.path, "rb") as handle:
            while chunk := handle.read(1 << 20):
                if chunk.strip():
                    return False
    except _GZIP_ERRORS as error:
        raise gzip_error(file, str(error) or type(error).__name__) from None
    return True


def read_bytes(file: SnapshotFile) -> bytes:
    """The file's content, decompressed."""
    if file.compressed:
        try:
            with gzip.open(file.path, "rb") as handle:
                return handle.read()
        except _GZIP_ERRORS as error:
            raise gzip_error(file, str(error) or type(error).__name__) from None
    return file.path.read_bytes()


def nesting_error(file: SnapshotFile, text: bytes, base_line: int = 1) -> SnapshotError:
    """The error for JSON nested too deeply, at the place where it passes MAX_NESTING levels."""
    offset = _deepest_offset(text, MAX_NESTING)
    line = text.count(b"\n", 0, offset) + base_line
    column = len(text[text.rfind(b"\n", 0, offset) + 1 : offset].decode("utf-8", "replace")) + 1
    return SnapshotError(
        f"JSON nested more than {MAX_NESTING} levels deep (Graph records nest a few levels)",
        path=file.path,
        line=line,
        column=column,
    )


def _deepest_offset(text: bytes, limit: int) -> int:
    """Offset of the bracket that opens level `limit + 1` (strings skipped), else the end."""
    depth = 0
    in_string = escaped = False
    for offset, byte in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):  # [ {
            depth += 1
            if depth > limit:
                return offset
        elif byte in (0x5D, 0x7D):  # ] }
            depth -= 1
    return len(text)


def _position_error(file: SnapshotFile, text: bytes, offset: int, reason: str) -> SnapshotError:
    """A syntax error at byte `offset` of `text` (a file, or a chunk starting at line 1)."""
    line = text.count(b"\n", 0, offset) + 1
    column = len(text[text.rfind(b"\n", 0, offset) + 1 : offset].decode("utf-8", "replace")) + 1
    return SnapshotError(f"invalid JSON: {reason}", path=file.path, line=line, column=column)


def _validation_error(file: SnapshotFile, text: bytes, error: msgspec.DecodeError) -> SnapshotError:
    message = str(error).removeprefix("JSON is malformed: ")
    match = _BYTE.search(message)
    offset = int(match.group(1)) if match else 0
    if not match and _TRUNCATED.search(message):
        # The data stops in the middle of a value: point just after its last character.
        offset = len(text.rstrip())
        message = "the data ends in the middle of a JSON value (is the file truncated?)"
    if "trailing comma" in message:
        # msgspec points at the closing bracket; the admin wants the comma to delete.
        offset = len(text[:offset].rstrip()) - 1
    return _position_error(file, text, offset, _BYTE.sub("", message).strip())


def check_syntax(file: SnapshotFile, progress: ProgressCallback | None = None) -> None:
    """Raise SnapshotError at the first place where the file is not strict JSON.

    msgspec validates without building Python objects (decoding to `Raw`), and is strict where
    DuckDB is lenient: trailing commas, NaN and Infinity are refused.
    """
    if file.format is FileFormat.json_lines:
        _check_lines(file, progress)
        return
    data = read_bytes(file)
    try:
        msgspec.json.decode(data, type=msgspec.Raw)
    except RecursionError:
        raise nesting_error(file, data) from None
    except msgspec.DecodeError as error:
        if not _SEVERAL_DOCUMENTS.search(str(error)):
            raise _validation_error(file, data, error) from None
        # Several documents one after another (pages concatenated): walk them one by one.
        try:
            _check_concatenated(file, data.decode("utf-8", errors="replace"))
        except RecursionError:
            raise nesting_error(file, data) from None
    if progress:
        progress(file.size)


def _check_concatenated(file: SnapshotFile, text: str) -> None:
    """Several JSON documents one after another (Graph pages concatenated)."""
    decoder = json.JSONDecoder(parse_constant=_refuse_constant)
    position = 0
    while True:
        while position < len(text) and text[position].isspace():
            position += 1
        if position >= len(text):
            return
        try:
            _, position = decoder.raw_decode(text, position)
        except json.JSONDecodeError as error:
            raise SnapshotError(
                f"invalid JSON: {error.msg}", path=file.path, line=error.lineno, column=error.colno
            ) from None


def _refuse_constant(name: str) -> None:
    raise json.JSONDecodeError(f"{name} is not valid JSON", name, 0)


def _iter_line_chunks(file: SnapshotFile) -> Iterator[tuple[int, list[bytes], int]]:
    """Chunks of lines: (number of the first line, the lines, bytes read on disk so far)."""
    opener = gzip.open if file.compressed else open
    try:
        with opener(file.path, "rb") as handle:
            first = 1
            lines: list[bytes] = []
            size = 0
            for raw in handle:
                lines.append(raw)
                size += len(raw)
                if size >= CHUNK_BYTES:
                    yield first, lines, size
                    first += len(lines)
                    lines, size = [], 0
            if lines:
                yield first, lines, size
    except _GZIP_ERRORS as error:
        raise gzip_error(file, str(error) or type(error).__name__) from None


def _check_lines(file: SnapshotFile, progress: ProgressCallback | None) -> None:
    for first, lines, size in _iter_line_chunks(file):
        values = [line for line in lines if line.strip()]
        try:
            msgspec.json.decode(b"[" + b",".join(values) + b"]", type=list[msgspec.Raw])
        except (msgspec.DecodeError, RecursionError):
            _locate_line_error(file, first, lines)
        if progress:
            progress(size)


def _locate_line_error(file: SnapshotFile, first: int, lines: list[bytes]) -> None:
    for number, line in enumerate(lines, start=first):
        if not line.strip():
            continue
        try:
            msgspec.json.decode(line, type=msgspec.Raw)
        except RecursionError:
            raise nesting_error(file, line, base_line=number) from None
        except msgspec.DecodeError as error:
            located = _validation_error(file, line, error)
            raise SnapshotError(
                located.reason, path=file.path, line=number, column=located.column
            ) from None
    raise SnapshotError("invalid JSON Lines content", path=file.path, line=first)


def locate_record(file: SnapshotFile, ordinal: int, field: str | None) -> tuple[int, int]:
    """Line and column of the `ordinal`-th record (1-based) of a file, at `field` if given.

    Only used to report an error, so it favours exactness over speed.
    """
    text = read_bytes(file).decode("utf-8", errors="replace")
    try:
        starts = list(_record_starts(text))
    except (ValueError, RecursionError, IndexError):
        return 1, 1  # the position is a courtesy; the error itself is reported all the same
    if not 1 <= ordinal <= len(starts):
        return 1, 1
    start, end = starts[ordinal - 1]
    offset = start
    if field:
        found = text.find(f'"{field}"', start, end)
        if found >= 0:
            offset = found
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def _record_starts(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) offsets of each record in the order ingest numbers them."""
    decoder = json.JSONDecoder()
    position = 0
    while position < len(text):
        while position < len(text) and text[position].isspace():
            position += 1
        if position >= len(text):
            return
        value, end = decoder.raw_decode(text, position)
        if isinstance(value, list):
            yield from _element_spans(text, position, decoder)
        elif is_list_response(value):
            key = re.compile(r'"value"\s*:\s*\[').search(text, position, end)
            if key:
                yield from _element_spans(text, key.end() - 1, decoder)
        else:
            yield position, end
        position = end


def _element_spans(text: str, bracket: int, decoder: json.JSONDecoder) -> Iterator[tuple[int, int]]:
    position = bracket + 1
    while True:
        while text[position].isspace() or text[position] == ",":
            position += 1
        if text[position] == "]":
            return
        _, end = decoder.raw_decode(text, position)
        yield position, end
        position = end


def is_list_response(value: object) -> bool:
    """True for a Graph list response page: {"value": [...]} plus "@..." annotations."""
    return (
        isinstance(value, dict)
        and isinstance(value.get("value"), list)
        and all(key == "value" or key.startswith("@") for key in value)
    )


LISTING_KEY = "listing"
LISTINGS = ("complete", "partial")
"""A snapshot's collection files list their objects in full (`complete`, the default: what the
store holds beyond them was deleted) or only add and update some (`partial`)."""


def read_manifest(folder: Path) -> dict[str, str]:
    """The optional manifest.json (tenantId, capturedDateTime, listing), validated."""
    path = folder / MANIFEST_NAME
    if not path.exists():
        return {}
    if not path.is_file():
        raise SnapshotError("manifest.json must be a file", path=path)
    text = path.read_bytes()
    manifest_file = SnapshotFile(path, Collection.organization, FileFormat.json_document, False)
    try:
        data = msgspec.json.decode(text)
    except RecursionError:
        raise nesting_error(manifest_file, text) from None
    except msgspec.DecodeError as error:
        raise _validation_error(manifest_file, text, error) from None
    if not isinstance(data, dict):
        raise SnapshotError("manifest must be a JSON object", path=path, line=1, column=1)
    manifest: dict[str, str] = {}
    for key in ("tenantId", "capturedDateTime"):
        value = data.get(key)
        if value is None:
            continue
        if not isinstance(value, str):
            raise SnapshotError(
                f"expected a string, got {type(value).__name__}", path=path, field=key
            )
        manifest[key] = value
    listing = data.get(LISTING_KEY)
    if listing is not None:
        if listing not in LISTINGS:
            raise SnapshotError(
                f"expected one of {', '.join(LISTINGS)}, got {listing!r}", path=path,
                field=LISTING_KEY,
            )  # fmt: skip
        manifest[LISTING_KEY] = listing
    return manifest
