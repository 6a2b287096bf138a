"""Bytes inside a script: base64, UTF-16LE, gzip and raw deflate, each with a size limit."""

from __future__ import annotations

import base64
import binascii
import re
import zlib

from idpilot.script_analysis.errors import ScriptBombError

MAX_DECODED_BYTES = 4 * 1024 * 1024
"""A decoded or decompressed layer larger than this is refused (a decoding bomb)."""
_PRINTABLE_SHARE = 0.95
_BASE64 = re.compile(r"[A-Za-z0-9+/_-]+={0,2}")


def base64_bytes(text: str) -> bytes | None:
    """The bytes of a base64 (or base64url) string, or None when it is not base64."""
    compact = re.sub(r"\s+", "", text)
    if len(compact) < 8 or not _BASE64.fullmatch(compact):
        return None
    padded = compact + "=" * (-len(compact) % 4)
    try:
        if "-" in compact or "_" in compact:
            return base64.urlsafe_b64decode(padded)
        return base64.b64decode(padded, validate=True)
    except (binascii.Error, ValueError):
        return None


def inflate(data: bytes, kind: str, layer: int) -> bytes | None:
    """Decompress gzip or raw deflate (.NET's DeflateStream) with a bounded output.

    None when `data` is not of that kind; ScriptBombError when it expands past
    MAX_DECODED_BYTES.
    """
    wbits = 31 if kind == "gzip" else -15
    decompressor = zlib.decompressobj(wbits)
    try:
        out = decompressor.decompress(data, MAX_DECODED_BYTES + 1)
    except zlib.error:
        return None
    if len(out) > MAX_DECODED_BYTES or decompressor.unconsumed_tail:
        raise ScriptBombError(
            f"layer {layer}: a {kind} stream expands past {MAX_DECODED_BYTES:,} bytes "
            f"({len(data):,} bytes compressed): refused as a decompression bomb"
        )
    return out


def is_gzip(data: bytes) -> bool:
    """Whether `data` starts with gzip's signature."""
    return data[:2] == b"\x1f\x8b"


def bytes_text(data: bytes, *, utf16: bool | None = None) -> str | None:
    """`data` as text (UTF-16LE when asked or when every other byte is zero, else UTF-8),
    or None when it is not readable text (a binary payload)."""
    if not data:
        return None
    if utf16 is None:
        zeros = data[1::2].count(0)
        utf16 = len(data) >= 4 and zeros >= 0.6 * (len(data) // 2)
    try:
        text = data.decode("utf-16-le" if utf16 else "utf-8")
    except UnicodeDecodeError:
        return None
    return text if printable(text) else None


def printable(text: str) -> bool:
    """Whether nearly all of `text` is printable (letters, digits, punctuation, whitespace)."""
    if not text:
        return False
    good = sum(1 for c in text if c.isprintable() or c in "\t\n\r")
    return good >= _PRINTABLE_SHARE * len(text)
