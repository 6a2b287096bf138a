"""PowerShell layers: each a rewrite that turns an encoded or computed string into a literal,
or a literal that is run (`iex '...'`) into the code it holds. Nothing is evaluated."""

from __future__ import annotations

import re

from idpilot.script_analysis._bytes import base64_bytes, bytes_text, inflate, is_gzip
from idpilot.script_analysis._rules import (
    Found,
    Rewrite,
    Transform,
    constant,
    literal_pattern,
    literal_rule,
    literal_values,
)
from idpilot.script_analysis._scanner import Regions, literal_value, quote, scan
from idpilot.script_analysis._statements import statement_span
from idpilot.script_analysis.model import Language, LayerKind

PS = Language.powershell
_IEX = r"(?<![\w$-])(?:iex|invoke-expression)\b"
_NUMBER = r"(?:0x[0-9a-f]+|\d+)"
_NUMBERS = rf"{_NUMBER}(?:\s*,\s*{_NUMBER})*"
_ENCODED_FLAG = (
    r"[-/]e(?:c|n(?:c(?:o(?:d(?:e(?:d(?:c(?:o(?:m(?:m(?:a(?:n(?:d)?)?)?)?)?)?)?)?)?)?)?)?)?"
)
_PS_WORD = r"\^?".join("powershell") + "|" + r"\^?".join("pwsh")
_ENCODED_COMMAND = re.compile(
    r"(?:(?:\bcmd(?:\.exe)?\s+/[ck]\s+['\"]?)?"
    rf"(?:\b[\w.:\\-]{{0,120}}?(?:{_PS_WORD})(?:\.exe)?['\"]?)[^\n|&]{{0,400}}?)?(?<![\w-]){_ENCODED_FLAG}"
    r"\s+['\"]?(?P<blob>[A-Za-z0-9+/]{12,}={0,2})['\"]?",
    re.IGNORECASE,
)
_FROM_BASE64 = re.compile(r"\[(?:system\.)?convert\]\s*::\s*frombase64string\s*\(\s*", re.I)
_RUNS_CODE = re.compile(
    rf"{_IEX}|\[scriptblock\]\s*::\s*create|invokescript|newscriptblock|^\s*[&.]\s*[({{]",
    re.IGNORECASE,
)
_ASSIGNMENT = re.compile(r"^\s*(\$[\w:]+)\s*=(?!=)", re.IGNORECASE)
_IEX_IDIOMS = [
    r"\$env:comspec\s*\[\s*4\s*,\s*(?:15|24|26)\s*,\s*25\s*\]\s*-join\s*''",
    r"\$pshome\s*\[\s*(?:4|21)\s*\]\s*\+\s*\$pshome\s*\[\s*(?:30|34)\s*\]\s*\+\s*'x'",
    r"\$shellid\s*\[\s*1\s*\]\s*\+\s*\$shellid\s*\[\s*13\s*\]\s*\+\s*'x'",
    r"\$env:public\s*\[\s*13\s*\]\s*\+\s*\$env:public\s*\[\s*5\s*\]\s*\+\s*'x'",
    r"\(?\s*\$verbosepreference\.tostring\(\s*\)\s*\)?\s*\[\s*1\s*,\s*3\s*\]\s*\+\s*'x'\s*-join\s*''",
    r"\(\s*gv\s+'\*mdr\*'\s*\)\.name\s*\[\s*3\s*,\s*11\s*,\s*2\s*\]\s*-join\s*''",
    r"'(?:iex|invoke-expression)'",
    r"\(\s*(?:gcm|get-command)\s+(?:'i\*x'|i\*x|'\*ke-ex\*'|\*ke-ex\*)\s*\)",
]
_IEX_CALL = r"(?<![\w$])[&.]\s*(?:\(\s*)?(?:" + "|".join(_IEX_IDIOMS) + r")(?:\s*\))?"
_LIT = literal_pattern(PS)


def _char(number: str) -> str | None:
    code = int(number, 16) if number.lower().startswith("0x") else int(number)
    return chr(code) if 0 <= code < 0x110000 else None


def _chars(numbers: str) -> list[str] | None:
    chars = [_char(part.strip()) for part in numbers.split(",")]
    return None if any(c is None for c in chars) else [c for c in chars if c is not None]


def _array(values: list[str]) -> str:
    return "(" + ",".join(quote(value, PS) for value in values) + ")"


def encoded_command(text: str) -> Rewrite | None:
    """`powershell -EncodedCommand <base64 of UTF-16LE>` (and every abbreviation of the flag)
    becomes the command it encodes."""
    regions = None
    for match in _ENCODED_COMMAND.finditer(text):
        data = base64_bytes(match.group("blob"))
        decoded = bytes_text(data, utf16=True) if data else None
        if decoded is None:
            continue
        regions = regions or scan(text, PS)
        if regions.in_opaque(match.start()) and ("'" in decoded or '"' in decoded):
            continue  # inside a literal, the command's quotes would end it
        wrapper = match.group(0)[: match.start("blob") - match.start()].strip(" '\"")
        new = text[: match.start()] + decoded + text[match.end() :]
        return Rewrite(LayerKind.encoded_command, new, 1, f"{len(data or b''):,} bytes", wrapper)
    return None


iex_idioms = literal_rule(_IEX_CALL, PS, LayerKind.invoke_expression, lambda m, v: "iex")
"""Invoke-Expression spelt as an idiom (`&($env:ComSpec[4,15,25]-join'')`, `.('iex')`)."""


def backticks(text: str) -> Rewrite | None:
    """Backticks inside names (``I`nv`oke``) and before ordinary letters in strings."""
    regions = scan(text, PS)
    out, count, i = [], 0, 0
    while i < len(text):
        c = text[i]
        if c == "`" and i + 1 < len(text) and text[i + 1] not in "\n\r":
            nxt = text[i + 1]
            inside = regions.in_opaque(i)
            if (not inside and not nxt.isspace()) or (
                inside and nxt.isalpha() and nxt not in "0abefnrtvu" and _in_double(text, i)
            ):
                out.append(nxt)
                count += 1
                i += 2
                continue
        out.append(c)
        i += 1
    return Rewrite(LayerKind.backtick_escapes, "".join(out), count) if count else None


def _in_double(text: str, offset: int) -> bool:
    line_start = text.rfind("\n", 0, offset) + 1
    prefix = text[line_start:offset]
    return prefix.count('"') % 2 == 1 and "'" not in prefix.rsplit('"', 1)[-1]


def _from_base64(text: str) -> Rewrite | None:
    regions = scan(text, PS)
    for match in _FROM_BASE64.finditer(text):
        if regions.in_opaque(match.start()):
            continue
        literal = re.compile(_LIT).match(text, match.end())
        if literal is None or not constant(literal.group(0), PS):
            continue
        data = base64_bytes(literal_value(literal.group(0), PS))
        if data is None:
            continue
        start, end = statement_span(text, match.start(), regions)
        statement = text[start:end]
        lowered = statement.lower()
        kind = LayerKind.base64
        if "gzipstream" in lowered or is_gzip(data):
            inflated = inflate(data, "gzip", 0)
            kind = LayerKind.compressed
        elif "deflatestream" in lowered:
            inflated = inflate(data, "deflate", 0)
            kind = LayerKind.compressed
        else:
            inflated = data
        if inflated is None:
            continue
        utf16 = True if "unicode" in lowered else None
        decoded = bytes_text(inflated, utf16=utf16)
        if decoded is None:
            continue
        assignment = _ASSIGNMENT.match(statement)
        if _RUNS_CODE.search(statement):
            replacement = decoded
        elif assignment:
            replacement = f"{assignment.group(1)} = {quote(decoded, PS)}"
        else:
            replacement = quote(decoded, PS)
        detail = f"{len(data):,} bytes" + (f", {len(inflated):,} inflated" if kind else "")
        wrapper = statement.replace(literal.group(0), "<payload>")[:300]
        return Rewrite(kind, text[:start] + replacement + text[end:], 1, detail, wrapper)
    return None


def _format(match: Found, values: list[str]) -> str | None:
    template, args = values[0], values[1:]
    try:
        formatted = re.sub(
            r"\{(\d+)(?:,-?\d+)?(?::[^}]*)?\}|\{\{|\}\}",
            lambda m: args[int(m.group(1))] if m.group(1) else m.group(0)[0],
            template,
        )
    except IndexError:
        return None
    return quote(formatted, PS)


def _reverse_index(match: Found, values: list[str]) -> str | None:
    return quote(values[0][::-1], PS)


def _replace_method(match: Found, values: list[str]) -> str | None:
    subject, old, new = values
    return quote(subject.replace(old, new), PS) if old else None


def _replace_operator(match: Found, values: list[str]) -> str | None:
    subject, pattern, new = values
    flags = 0 if match.group(0).lower().count("-creplace") else re.IGNORECASE
    replacement = re.sub(r"\$(\d+)", r"\\g<\1>", new.replace("\\", "\\\\"))
    try:
        return quote(re.sub(pattern, replacement, subject, flags=flags), PS)
    except (re.error, IndexError):
        return None


def _unwrap(match: Found, values: list[str]) -> str | None:
    return values[-1] if values else None


_S = "S"
_REVERSED_INDEX = r"\[\s*-1\s*\.\.\s*-\s*(?:\d+|\(\s*<S>\.length\s*\)|<S>\.length)\s*\]"
_REVERSED = (
    rf"(?:\(\s*\[char\[\]\]\s*<S>\s*\)|(?:\[char\[\]\]\s*)?<S>|\(\s*<S>\s*\))\s*{_REVERSED_INDEX}"
)
FOLDS: list[Transform] = [
    literal_rule(
        rf"\[char\]\s*\(?\s*({_NUMBER})\s*\)?",
        PS,
        LayerKind.char_codes,
        lambda m, v: quote(c, PS) if (c := _char(m.group(1))) is not None else None,
    ),
    literal_rule(
        rf"\[char\[\]\]\s*\(\s*({_NUMBERS})\s*\)",
        PS,
        LayerKind.char_codes,
        lambda m, v: _array(cs) if (cs := _chars(m.group(1))) else None,
    ),
    literal_rule(
        rf"(?:\(\s*({_NUMBERS})\s*\)|({_NUMBERS}))\s*\|\s*(?:%|foreach(?:-object)?)\s*\{{\s*\[char\]\s*"
        r"(?:\(\s*)?\$_(?:\s*\))?\s*\}",
        PS,
        LayerKind.char_codes,
        lambda m, v: _array(cs) if (cs := _chars(m.group(1) or m.group(2))) else None,
    ),
    literal_rule(r"<S>\s*-f\s*<S>(?:\s*,\s*<S>)*", PS, LayerKind.format_string, _format),
    literal_rule(
        rf"-join\s*(?:\(\s*{_REVERSED}\s*\)|{_REVERSED})",
        PS,
        LayerKind.reversal,
        _reverse_index,
    ),
    literal_rule(
        rf"(?:\(\s*{_REVERSED}\s*\)|{_REVERSED})\s*-join\s*(?:''|\"\")",
        PS,
        LayerKind.reversal,
        _reverse_index,
    ),
    literal_rule(
        r"\(?\s*\[regex\]\s*::\s*matches\(\s*<S>\s*,\s*'\.'\s*,\s*'righttoleft'\s*\)\s*\|\s*"
        r"(?:%|foreach(?:-object)?)\s*\{\s*\$_(?:\.value)?\s*\}\s*\)?\s*-join\s*(?:''|\"\")",
        PS,
        LayerKind.reversal,
        lambda m, v: quote(v[0][::-1], PS),
    ),
    literal_rule(r"<S>\s*\.replace\(\s*<S>\s*,\s*<S>\s*\)", PS, LayerKind.replace, _replace_method),
    literal_rule(r"<S>\s*-c?i?replace\s*<S>\s*,\s*<S>", PS, LayerKind.replace, _replace_operator),
    literal_rule(
        r"\(\s*<S>(?:\s*,\s*<S>)*\s*\)\s*-join\s*<S>",
        PS,
        LayerKind.join,
        lambda m, v: quote(v[-1].join(v[:-1]), PS),
    ),
    literal_rule(
        r"(?<![\w)\]])<S>(?:\s*,\s*<S>)+\s*-join\s*<S>",
        PS,
        LayerKind.join,
        lambda m, v: quote(v[-1].join(v[:-1]), PS),
    ),
    literal_rule(
        r"-join\s*\(\s*<S>(?:\s*,\s*<S>)*\s*\)",
        PS,
        LayerKind.join,
        lambda m, v: quote("".join(v), PS),
    ),
    literal_rule(
        r"\[string\]\s*::\s*join\(\s*<S>\s*,\s*\(?\s*<S>(?:\s*,\s*<S>)*\s*\)?\s*\)",
        PS,
        LayerKind.join,
        lambda m, v: quote(v[0].join(v[1:]), PS),
    ),
    literal_rule(
        r"(?:(?:(?<=[(=,;|])|^)\s*-join\s*<S>(?!\s*[,\[.])|(?<![\w)\]'\"])<S>\s*-join\s*(?:''|\"\"))",
        PS,
        LayerKind.join,
        lambda m, v: quote(v[0], PS),
    ),
    literal_rule(
        r"<S>(?:\s*\+\s*<S>)+(?!\s*(?:-f\b|\[|\.))",
        PS,
        LayerKind.concatenation,
        lambda m, v: quote("".join(v), PS),
    ),
    literal_rule(
        r"(?<![\w\]\)])\(\s*(\(\s*<S>(?:\s*,\s*<S>)*\s*\))\s*\)",
        PS,
        LayerKind.grouping,
        lambda m, v: _array(v),
    ),
    literal_rule(
        r"(?<![\w\]\)])\(\s*<S>\s*\)(?!\s*\.)",
        PS,
        LayerKind.grouping,
        lambda m, v: quote(v[0], PS),
    ),
    literal_rule(
        r"(?<![\w\]\)])\[string\]\s*<S>",
        PS,
        LayerKind.grouping,
        lambda m, v: quote(v[0], PS),
    ),
]
UNWRAPS: list[Transform] = [
    literal_rule(
        rf"{_IEX}\s*\(?\s*<S>\s*\)?(?=\s*(?:$|[;\n}}|]))",
        PS,
        LayerKind.invoke_expression,
        _unwrap,
        flags=re.MULTILINE,
    ),
    literal_rule(rf"<S>\s*\|\s*{_IEX}", PS, LayerKind.invoke_expression, _unwrap),
    literal_rule(
        r"[&.]\s*\(?\s*\[scriptblock\]\s*::\s*create\(\s*<S>\s*\)\s*\)?(?:\.invoke\(\s*\))?",
        PS,
        LayerKind.invoke_expression,
        _unwrap,
    ),
    literal_rule(
        r"(?:invoke-command\s+(?:-scriptblock\s+)?)\(?\s*\[scriptblock\]\s*::\s*create\(\s*<S>\s*\)\s*\)?",
        PS,
        LayerKind.invoke_expression,
        _unwrap,
    ),
    literal_rule(
        r"\$executioncontext\.invokecommand\.invokescript\(\s*<S>\s*\)",
        PS,
        LayerKind.invoke_expression,
        _unwrap,
    ),
    literal_rule(
        r"(?<![\w-])(?:powershell|pwsh)(?:\.exe)?(?:\s+-(?!c)\w+)*\s+-c(?:ommand)?\s+<S>",
        PS,
        LayerKind.invoke_expression,
        _unwrap,
    ),
]


def variables(text: str) -> Rewrite | None:
    """A variable assigned one constant literal once, used where its value is computed or
    run (`iex $x`, `$a + $b`, `-join $x`): its uses become the literal."""
    regions = scan(text, PS)
    assignment = re.compile(rf"^[ \t]*\$(\w+)[ \t]*=[ \t]*({_LIT})[ \t]*(?:;|$)", re.I | re.M)
    for match in assignment.finditer(text):
        name = match.group(1)
        if regions.in_opaque(match.start()) or name.lower() in {"null", "true", "false", "_"}:
            continue
        literal = match.group(2)
        values = literal_values(text, match.start(2), match.end(2), regions, PS)
        if not values or not constant(literal, PS):
            continue
        sets = [
            m
            for m in re.finditer(rf"\${re.escape(name)}\s*(?:[-+*/]?=(?!=)|\+\+)", text, re.I)
            if not regions.in_opaque(m.start())
        ]
        if len(sets) != 1:
            continue
        rewritten = _substitute(text, match, name, quote(values[0], PS), regions)
        if rewritten is not None:
            return Rewrite(LayerKind.variable, rewritten, 1, f"${name}")
    return _reversed_array(text)


def _substitute(
    text: str, assignment: re.Match[str], name: str, literal: str, regions: Regions
) -> str | None:
    """The text with every use of $name replaced by `literal` and the assignment dropped,
    or None when a use is not computed or run (a plain argument keeps its variable)."""
    use = re.compile(rf"\${re.escape(name)}(?![\w:])", re.I)
    uses = [m for m in use.finditer(text, assignment.end()) if not regions.in_opaque(m.start())]
    if not uses or not all(_computed_use(text, m) for m in uses):
        return None
    end = assignment.end()
    if end < len(text) and text[end] == "\n":
        end += 1
    out, last = [text[: assignment.start()]], end
    for m in uses:
        out.append(text[last : m.start()])
        out.append(literal)
        last = m.end()
    out.append(text[last:])
    return "".join(out)


_COMPUTED_BEFORE = re.compile(
    rf"(?:[+(,]|-join|-f|{_IEX}|::create\(|invokescript\(|[&.])\s*$", re.IGNORECASE
)
_COMPUTED_AFTER = re.compile(
    rf"^\s*(?:[+\[)]|-f\b|-join|-c?i?replace|\.replace\(|\.tochararray|\|\s*{_IEX})", re.I
)


def _computed_use(text: str, use: re.Match[str]) -> bool:
    before = text[max(0, use.start() - 24) : use.start()]
    after = text[use.end() : use.end() + 24]
    return bool(_COMPUTED_BEFORE.search(before) or _COMPUTED_AFTER.search(after))


_REVERSE_ARRAY = re.compile(
    rf"\$(\w+)\s*=\s*(?:\[char\[\]\]\s*)?({_LIT})(?:\.tochararray\(\s*\))?\s*[;\n]\s*"
    r"\[array\]\s*::\s*reverse\(\s*\$\1\s*\)\s*;?",
    re.IGNORECASE,
)


def _reversed_array(text: str) -> Rewrite | None:
    regions = scan(text, PS)
    for match in _REVERSE_ARRAY.finditer(text):
        values = literal_values(text, match.start(2), match.end(2), regions, PS)
        if not values or regions.in_opaque(match.start()):
            continue
        replacement = f"${match.group(1)} = {quote(values[0][::-1], PS)};"
        new = text[: match.start()] + replacement + text[match.end() :]
        return Rewrite(LayerKind.reversal, new, 1, "[array]::Reverse")
    return None


TRANSFORMS: list[Transform] = [
    encoded_command,
    backticks,
    iex_idioms,
    *FOLDS,
    _from_base64,
    variables,
    *UNWRAPS,
]
"""In order of preference: each pass applies the first that changes something."""
