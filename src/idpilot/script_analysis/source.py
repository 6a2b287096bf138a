"""The input of an analysis as text: size and content checked, encodings read, never run."""

from __future__ import annotations

import codecs

from idpilot.script_analysis.errors import ScriptInputError

MAX_INPUT_BYTES = 1024 * 1024
"""Larger inputs are refused: a script an admin pastes or saves is far smaller."""
_BINARY_SHARE = 0.10  # more control bytes than this share: not a script
_TEXT_CONTROLS = frozenset("\t\n\r\f\v")


def script_text(data: bytes, *, name: str = "the input") -> str:
    """The script as text (UTF-8, UTF-16 with a byte-order mark, else Latin-1).

    Refuses, with a message naming `name` and the limit: empty input, input over
    MAX_INPUT_BYTES, and binary input (an executable, an archive, an image).
    """
    if len(data) > MAX_INPUT_BYTES:
        raise ScriptInputError(
            f"{name} is {len(data):,} bytes; idpilot analyses scripts of at most "
            f"{MAX_INPUT_BYTES:,} bytes (1 MiB): give the script itself, not a log or a dump"
        )
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16", errors="replace")
    elif data[:2] in (b"MZ", b"PK", b"\x7fE", b"\x1f\x8b") or data[:4] == b"%PDF":
        raise ScriptInputError(f"{name} is {_binary_kind(data)}, not a script: nothing to read")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
    if not text.strip():
        raise ScriptInputError(f"{name} is empty: give a script, a command line or a blob")
    controls = sum(1 for c in text if (ord(c) < 32 and c not in _TEXT_CONTROLS) or c == "\ufffd")
    if controls > len(text) * _BINARY_SHARE:
        raise ScriptInputError(
            f"{name} is binary data ({controls:,} of {len(text):,} characters are control "
            "bytes), not a script: give the script text or its base64"
        )
    return text.replace("\r\n", "\n").replace("\x00", "")


def _binary_kind(data: bytes) -> str:
    if data[:2] == b"MZ":
        return "a Windows executable (MZ header)"
    if data[:2] == b"PK":
        return "a ZIP archive"
    if data[:2] == b"\x7fE":
        return "an ELF executable"
    if data[:4] == b"%PDF":
        return "a PDF document"
    return "a gzip file (decompress it first)"
