"""Where a script's string literals and comments are, per language (no evaluation).

Transforms match string literals with regular expressions; the scanner says where literals
really start, so a quote inside another string or a comment is never taken for one.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

from idpilot.script_analysis.model import Language

_PS_ESCAPES = {"0": "\0", "a": "\a", "b": "\b", "e": "\x1b", "f": "\f", "n": "\n", "r": "\r",
               "t": "\t", "v": "\v"}  # fmt: skip
_C_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "b": "\b", "f": "\f", "v": "\v"}


@dataclass(frozen=True)
class Regions:
    """Literal starts and ends, and the spans of literals and comments, of one text."""

    literal_ends: dict[int, int]
    """Start offset of each string literal -> its end (exclusive)."""
    opaque: list[tuple[int, int]]
    """Literal and comment spans, sorted: code inside them is not code."""

    _starts: list[int] = field(default_factory=list)
    _opaque_starts: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._starts.extend(self.literal_ends)
        self._opaque_starts.extend(start for start, _ in self.opaque)

    def literals_within(self, start: int, end: int) -> list[tuple[int, int]]:
        """The literals that start in [start, end), in order, as (start, end)."""
        low, high = bisect_left(self._starts, start), bisect_left(self._starts, end)
        return [(s, self.literal_ends[s]) for s in self._starts[low:high]]

    def in_opaque(self, offset: int) -> bool:
        """Whether `offset` is strictly inside a literal or a comment."""
        index = bisect_right(self._opaque_starts, offset - 1) - 1
        if index < 0:
            return False
        start, end = self.opaque[index]
        return start < offset < end


@lru_cache(maxsize=32)
def scan(text: str, language: Language) -> Regions:
    """The literal and comment regions of `text` read as `language` (the last few texts are
    remembered: every transform of a pass scans the same text)."""
    ends: dict[int, int] = {}
    opaque: list[tuple[int, int]] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        end = _comment_end(text, i, language)
        if end is not None:
            opaque.append((i, end))
            i = end
            continue
        if c in _quotes(language):
            end = _literal_end(text, i, language)
            while language is Language.bash and c == "'" and text.startswith("\\''", end):
                end = _literal_end(text, end + 2, language)  # 'it'\''s' is one word
            ends[i] = end
            opaque.append((i, end))
            i = end
            continue
        i += 2 if _escapes_next(c, language) else 1
    return Regions(ends, opaque)


def _quotes(language: Language) -> str:
    if language is Language.javascript:
        return "'\"`"
    if language in (Language.vbscript, Language.cmd):
        return '"'
    return "'\""


def _escapes_next(c: str, language: Language) -> bool:
    return (c == "`" and language is Language.powershell) or (
        c == "\\" and language in (Language.bash, Language.javascript)
    )


def _comment_end(text: str, i: int, language: Language) -> int | None:
    c = text[i]
    at_token = i == 0 or text[i - 1] in " \t\n;{(|"
    if language is Language.powershell:
        if text.startswith("<#", i):
            end = text.find("#>", i + 2)
            return len(text) if end < 0 else end + 2
        if c == "#" and at_token:
            return _line_end(text, i)
    elif language is Language.bash:
        if c == "#" and at_token:
            return _line_end(text, i)
    elif language is Language.javascript:
        if text.startswith("//", i):
            return _line_end(text, i)
        if text.startswith("/*", i):
            end = text.find("*/", i + 2)
            return len(text) if end < 0 else end + 2
    elif language is Language.vbscript:
        if c == "'" or (text[i : i + 4].lower() == "rem " and at_token):
            return _line_end(text, i)
    elif language is Language.cmd:
        line_start = i == 0 or text[i - 1] == "\n"
        if line_start and (text.startswith("::", i) or text[i : i + 4].lower() == "rem "):
            return _line_end(text, i)
    return None


def _line_end(text: str, i: int) -> int:
    end = text.find("\n", i)
    return len(text) if end < 0 else end


def _literal_end(text: str, i: int, language: Language) -> int:
    quote, n = text[i], len(text)
    j = i + 1
    doubled = language in (Language.powershell, Language.vbscript)
    escape = {Language.powershell: "`", Language.bash: "\\", Language.javascript: "\\"}.get(
        language
    )
    if language is Language.powershell and quote == "'":
        escape = None
    if language is Language.bash and quote == "'":
        escape, doubled = None, False
    while j < n:
        ch = text[j]
        if escape and ch == escape:
            j += 2
            continue
        if ch == quote:
            if doubled and j + 1 < n and text[j + 1] == quote:
                j += 2
                continue
            return j + 1
        if ch == "\n" and language is Language.cmd:
            return j
        j += 1
    return n


def literal_value(literal: str, language: Language) -> str:
    """The value of a string literal as the language reads it (escapes applied)."""
    quote, body = literal[0], literal[1:-1] if len(literal) > 1 else ""
    if language is Language.powershell:
        if quote == "'":
            return body.replace("''", "'")
        return _unescape(body.replace('""', '"'), "`", _PS_ESCAPES)
    if language is Language.vbscript or language is Language.cmd:
        return body.replace('""', '"')
    if language is Language.bash and quote == "'":
        return body.replace("'\\''", "'")
    return _unescape(body, "\\", _C_ESCAPES, hex_escapes=language is Language.javascript)


def _unescape(body: str, mark: str, table: dict[str, str], *, hex_escapes: bool = False) -> str:
    out: list[str] = []
    i, n = 0, len(body)
    while i < n:
        c = body[i]
        if c == mark and i + 1 < n:
            nxt = body[i + 1]
            if hex_escapes and nxt == "x" and re.fullmatch(r"[0-9a-fA-F]{2}", body[i + 2 : i + 4]):
                out.append(chr(int(body[i + 2 : i + 4], 16)))
                i += 4
                continue
            if hex_escapes and nxt == "u" and re.fullmatch(r"[0-9a-fA-F]{4}", body[i + 2 : i + 6]):
                out.append(chr(int(body[i + 2 : i + 6], 16)))
                i += 6
                continue
            out.append(table.get(nxt, nxt))
            i += 2
            continue
        out.append(c)
        i += 1
    return "".join(out)


def quote(value: str, language: Language) -> str:
    """A literal of `language` whose value is `value` (the canonical form transforms emit)."""
    if language is Language.powershell:
        return "'" + value.replace("'", "''") + "'"
    if language in (Language.vbscript, Language.cmd):
        return '"' + value.replace('"', '""') + '"'
    if language is Language.bash:
        return "'" + value.replace("'", "'\\''") + "'"
    escaped = value.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n")
    return "'" + escaped.replace("\r", "\\r") + "'"
