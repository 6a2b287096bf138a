"""Tenant text made inert: no control, bidirectional or invisible character survives.

A displayName is untrusted input. Printed as is, `\\x1b]0;...\\x07` retitles the admin's
terminal, U+202E reverses what follows, a zero-width space makes two names look the same and a
newline starts a new markdown block. `inert_text` folds whitespace runs (newlines included) to one
space and shows every other control, format or invisible character as its code point,
`{U+202E}`, so the admin sees that it is there and nothing acts on it. `inert_json` escapes the
same characters inside JSON text (the data stays exact for a parser); `show_invisible` marks them
without folding whitespace, for data exports whose spacing is data.
"""

from __future__ import annotations

import re
import unicodedata

# Categories that print nothing visible or act on the terminal or the text direction:
# controls, format characters (bidi marks, zero-width, tags), surrogates, line/paragraph breaks.
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
# Letters and marks that render as blank space although their category says otherwise
# (combining grapheme joiner, Hangul fillers, Khmer inherent vowels).
_BLANK_LOOKING = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u3164\uffa0")
# Only characters outside printable ASCII can be unsafe; the rest is left to the fast path.
_NOT_PRINTABLE_ASCII = re.compile(r"[^\x20-\x7e]")
# In JSON text, ASCII tab, newline and carriage return are the encoder's own indentation.
_JSON_SUSPECT = re.compile(r"[^\t\n\r\x20-\x7e]")


def is_invisible(char: str) -> bool:
    """True for a character that must never reach a reader unmarked (controls, bidi, zero-width)."""
    return char in _BLANK_LOOKING or unicodedata.category(char) in _INVISIBLE_CATEGORIES


def _code_point(match: re.Match[str]) -> str:
    char = match.group()
    return f"{{U+{ord(char):04X}}}" if is_invisible(char) else char


def inert_text(value: str) -> str:
    """`value` on one line with each control, bidi or invisible character shown as `{U+XXXX}`."""
    folded = " ".join(value.split())
    if folded.isascii() and folded.isprintable():
        return folded
    return _NOT_PRINTABLE_ASCII.sub(_code_point, folded)


def _layout_or_code_point(match: re.Match[str]) -> str:
    return match.group() if match.group() in "\n\t" else _code_point(match)


def inert_markdown(text: str) -> str:
    """Composed multi-line text with invisible characters shown; line breaks and indents kept.

    A second guard for text idpilot wrote itself (templates, LLM rewording) before it reaches a
    terminal; tenant values inside it were already made inert one by one.
    """
    if text.isascii() and all(char.isprintable() or char in "\n\t" for char in text):
        return text
    return _NOT_PRINTABLE_ASCII.sub(_layout_or_code_point, text)


def _json_escape(match: re.Match[str]) -> str:
    char = match.group()
    if not is_invisible(char):
        return char
    code = ord(char)
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000  # JSON spells characters beyond the BMP as a UTF-16 surrogate pair
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def inert_json(text: str) -> str:
    """JSON text with every invisible character \\u-escaped: the same data, safe to print.

    Valid only for JSON whose structural whitespace is ASCII (what every encoder writes), since
    outside strings a JSON document holds nothing but ASCII.
    """
    return _JSON_SUSPECT.sub(_json_escape, text)


def show_invisible(value: str) -> str:
    """`value` with every control, bidi or invisible character as `{U+XXXX}`, nothing folded.

    For cells of a data export (CSV) whose spacing is data: spaces stay as they are, while
    newlines, tabs and carriage returns are shown like any other control character.
    """
    if value.isascii() and value.isprintable():
        return value
    return _NOT_PRINTABLE_ASCII.sub(_code_point, value)
