"""Rewrite rules over string literals: a pattern with `<S>` for a literal, and what it becomes.

A rule's matches are checked against the scanner's regions: every `<S>` must be exactly one
literal of the text, and a match may not start inside a literal or a comment.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from idpilot.script_analysis._scanner import Regions, literal_value, scan
from idpilot.script_analysis.model import Language, LayerKind

_LITERALS = {  # possessive: a literal is read as the language's lexer reads it, never re-split
    Language.powershell: r"'(?:[^']|'')*+'|\"(?:[^\"`]|`.|\"\")*+\"",
    Language.javascript: r"'(?:[^'\\\n]|\\.)*+'|\"(?:[^\"\\\n]|\\.)*+\"|`(?:[^`\\$]|\\.)*+`",
    Language.vbscript: r"\"(?:[^\"]|\"\")*+\"",
    Language.bash: r"'[^']*+'(?:\\''[^']*+')*+|\"(?:[^\"\\$`]|\\.)*+\"",
    Language.cmd: r"\"[^\"\n]*+\"",
}


@dataclass(frozen=True)
class Rewrite:
    """What one pass of a transform did to the text."""

    kind: LayerKind
    text: str
    count: int
    detail: str = ""
    wrapper: str = ""


class Found:
    """A match read back from the original text (patterns run on the masked text)."""

    def __init__(self, match: re.Match[str], text: str) -> None:
        self._match = match
        self.string = text

    def group(self, index: int | str = 0) -> str | None:
        """The original text of a group (None when the group did not take part)."""
        start, end = self._match.span(index)
        return None if start < 0 else self.string[start:end]

    def start(self, index: int | str = 0) -> int:
        """Where a group starts."""
        return self._match.start(index)

    def end(self, index: int | str = 0) -> int:
        """Where a group ends."""
        return self._match.end(index)


Transform = Callable[[str], Rewrite | None]
Replacer = Callable[[Found, list[str]], str | None]
_MASK_OVER = 24  # literals longer than this are matched by their quotes only


@lru_cache(maxsize=32)
def masked(text: str, language: Language) -> str:
    """`text` with comments blanked and the inside of long literals replaced by `_`: patterns
    match the code around literals in one pass, whatever a literal holds (a run of quotes
    inside a payload would otherwise cost a pass per quote)."""
    regions = scan(text, language)
    out, last = [], 0
    for start, end in regions.opaque:
        if start in regions.literal_ends:
            if end - start <= _MASK_OVER:
                continue
            out += [text[last : start + 1], "_" * (end - start - 2)]
            last = end - 1
        else:
            out += [text[last:start], re.sub(r"[^\n]", " ", text[start:end])]
            last = end
    out.append(text[last:])
    return "".join(out)


def literal_pattern(language: Language) -> str:
    """The regular expression of one string literal of `language`."""
    return _LITERALS[language]


def constant(literal: str, language: Language) -> bool:
    """Whether a literal's value is fixed (a PowerShell or bash double-quoted string that
    expands a variable is not)."""
    if language in (Language.powershell, Language.bash) and literal.startswith('"'):
        marker = "`" if language is Language.powershell else "\\"
        return re.search(rf"(?<!{re.escape(marker)})\$[\w{{(:]", literal) is None
    if language is Language.javascript and literal.startswith("`"):
        return "${" not in literal
    return True


def compile_rule(pattern: str, language: Language, flags: int = re.IGNORECASE) -> re.Pattern[str]:
    """`pattern` with each `<S>` matching one literal of `language`."""
    return re.compile(pattern.replace("<S>", f"(?:{_LITERALS[language]})"), flags)


def literal_rule(
    pattern: str, language: Language, kind: LayerKind, replace: Replacer, *, flags: int = 0
) -> Transform:
    """A transform rewriting each match of `pattern` whose literals are all constant.

    The replacer gets the match and the values of the literals inside it, in order.
    """
    compiled = compile_rule(pattern, language, re.IGNORECASE | flags)
    at_literals = pattern.startswith("<S>")

    def transform(text: str) -> Rewrite | None:
        regions = scan(text, language)
        out, last, count = [], 0, 0
        for match in _matches(compiled, masked(text, language), regions, at_literals):
            if match.start() < last:
                continue
            values = literal_values(text, match.start(), match.end(), regions, language)
            if values is None:
                continue
            replacement = replace(Found(match, text), values)
            if replacement is None or replacement == text[match.start() : match.end()]:
                continue
            out.append(text[last : match.start()])
            out.append(replacement)
            last = match.end()
            count += 1
        if not count:
            return None
        out.append(text[last:])
        return Rewrite(kind, "".join(out), count)

    return transform


def _matches(
    compiled: re.Pattern[str], text: str, regions: Regions, at_literals: bool
) -> Iterator[re.Match[str]]:
    """The pattern's matches; one that starts with a literal is tried only where the scanner
    found a literal (never inside one: a long run of quotes costs one pass, not n)."""
    if not at_literals:
        yield from compiled.finditer(text)
        return
    for start in list(regions.literal_ends):
        match = compiled.match(text, start)
        if match is not None:
            yield match


def literal_values(
    text: str, start: int, end: int, regions: Regions, language: Language
) -> list[str] | None:
    """The values of the literals in [start, end), or None when the span cuts a literal or a
    comment, or a literal is not constant."""
    if regions.in_opaque(start) or regions.in_opaque(end):
        return None
    values = []
    for literal_start, literal_end in regions.literals_within(start, end):
        if literal_end > end:
            return None
        literal = text[literal_start:literal_end]
        if not constant(literal, language):
            return None
        values.append(literal_value(literal, language))
    return values
