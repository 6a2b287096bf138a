"""Layers of bash, cmd, JavaScript and VBScript, and the base64 literal any language may hold."""

from __future__ import annotations

import re
from urllib.parse import unquote

from idpilot.script_analysis._bytes import base64_bytes, bytes_text, inflate, printable
from idpilot.script_analysis._rules import Found, Rewrite, Transform, literal_rule
from idpilot.script_analysis._scanner import literal_value, quote, scan
from idpilot.script_analysis.model import Language, LayerKind

JS, VBS, BASH, CMD = Language.javascript, Language.vbscript, Language.bash, Language.cmd
_NUMBERS = r"\d+(?:\s*,\s*\d+)*"


def _code(match: Found, values: list[str]) -> str | None:
    return values[-1] if values else None


def _chars(numbers: str) -> str | None:
    codes = [int(part) for part in numbers.split(",")]
    return "".join(chr(c) for c in codes) if all(0 <= c < 0x110000 for c in codes) else None


def _text_of_base64(value: str) -> str | None:
    data = base64_bytes(value)
    return bytes_text(data) if data else None


JAVASCRIPT: list[Transform] = [
    literal_rule(
        rf"String\.fromCharCode\(\s*({_NUMBERS})\s*\)",
        JS,
        LayerKind.char_codes,
        lambda m, v: quote(s, JS) if (s := _chars(m.group(1))) is not None else None,
    ),
    literal_rule(
        r"<S>\.split\(\s*(?:''|\"\")\s*\)\.reverse\(\s*\)\.join\(\s*(?:''|\"\")\s*\)",
        JS,
        LayerKind.reversal,
        lambda m, v: quote(v[0][::-1], JS),
    ),
    literal_rule(
        r"<S>\.replace\(\s*<S>\s*,\s*<S>\s*\)",
        JS,
        LayerKind.replace,
        lambda m, v: quote(v[0].replace(v[1], v[2], 1), JS) if v[1] else None,
    ),
    literal_rule(
        r"\[\s*<S>(?:\s*,\s*<S>)*\s*\]\.join\(\s*<S>\s*\)",
        JS,
        LayerKind.join,
        lambda m, v: quote(v[-1].join(v[:-1]), JS),
    ),
    literal_rule(
        r"(?:window\.)?atob\(\s*<S>\s*\)",
        JS,
        LayerKind.base64,
        lambda m, v: quote(s, JS) if (s := _text_of_base64(v[0])) else None,
    ),
    literal_rule(
        r"(?:unescape|decodeURIComponent|decodeURI)\(\s*<S>\s*\)",
        JS,
        LayerKind.percent_encoding,
        lambda m, v: quote(unquote(v[0]), JS),
    ),
    literal_rule(
        r"<S>(?:\s*\+\s*<S>)+", JS, LayerKind.concatenation, lambda m, v: quote("".join(v), JS)
    ),
    literal_rule(
        r"(?<![\w\]\)])\(\s*<S>\s*\)(?!\s*[.(\[])",
        JS,
        LayerKind.grouping,
        lambda m, v: quote(v[0], JS),
    ),
    literal_rule(
        r"<S>",
        JS,
        LayerKind.string_escapes,
        lambda m, v: quote(v[0], JS) if re.search(r"\\[xu]", m.group(0)) else None,
    ),
    literal_rule(
        r"(?<![\w.])(?:window\.|this\.)?eval\(\s*<S>\s*\)\s*;?",
        JS,
        LayerKind.invoke_expression,
        _code,
    ),
    literal_rule(
        r"(?:new\s+)?Function\(\s*<S>\s*\)\(\s*\)\s*;?", JS, LayerKind.invoke_expression, _code
    ),
    literal_rule(
        r"setTimeout\(\s*<S>\s*(?:,\s*\d+\s*)?\)\s*;?", JS, LayerKind.invoke_expression, _code
    ),
]

VBSCRIPT: list[Transform] = [
    literal_rule(
        r"<S>\s*&\s*vb(?:CrLf|Lf|NewLine)\b",
        VBS,
        LayerKind.concatenation,
        lambda m, v: quote(v[0] + "\n", VBS),
    ),
    literal_rule(
        r"ChrW?\(\s*(\d+)\s*\)",
        VBS,
        LayerKind.char_codes,
        lambda m, v: quote(s, VBS) if (s := _chars(m.group(1))) is not None else None,
    ),
    literal_rule(
        r"StrReverse\(\s*<S>\s*\)", VBS, LayerKind.reversal, lambda m, v: quote(v[0][::-1], VBS)
    ),
    literal_rule(
        r"Replace\(\s*<S>\s*,\s*<S>\s*,\s*<S>\s*\)",
        VBS,
        LayerKind.replace,
        lambda m, v: quote(v[0].replace(v[1], v[2]), VBS) if v[1] else None,
    ),
    literal_rule(
        r"<S>(?:\s*[&+]\s*<S>)+", VBS, LayerKind.concatenation, lambda m, v: quote("".join(v), VBS)
    ),
    literal_rule(
        r"(?<![\w\]\)])\(\s*<S>\s*\)", VBS, LayerKind.grouping, lambda m, v: quote(v[0], VBS)
    ),
    literal_rule(
        r"(?<![\w.])(?:ExecuteGlobal|Execute|Eval)\s*\(?\s*<S>\s*\)?(?=\s*$)",
        VBS,
        LayerKind.invoke_expression,
        _code,
        flags=re.MULTILINE,
    ),
]

_BLOB = r"(?P<blob>'[A-Za-z0-9+/=\s]+'|\"[A-Za-z0-9+/=\s]+\"|[A-Za-z0-9+/=]+)"
_BASH_BASE64 = re.compile(
    r"(?P<pre>(?:eval|(?:ba|z)?sh\s+-c)\s+)?(?P<sub>\"?\$\(\s*)?"
    rf"(?:echo(?:\s+-n)?|printf(?:\s+%s)?)\s+{_BLOB}\s*\|\s*base64\s+(?:-d|--decode|-D)"
    r"(?P<zip>\s*\|\s*(?:gunzip(?:\s+-c)?|gzip\s+-d(?:c)?|zcat))?"
    r"(?(sub)\s*\)\"?)(?P<run>\s*\|\s*(?:sudo\s+)?(?:ba|z)?sh\b(?:\s+-)?)?",
    re.IGNORECASE,
)


def bash_base64(text: str) -> Rewrite | None:
    """`echo <base64> | base64 -d [| gunzip] [| bash]` (or inside `eval "$(...)"`)."""
    for match in _BASH_BASE64.finditer(text):
        data = base64_bytes(match.group("blob").strip("'\""))
        if data is None:
            continue
        if match.group("zip"):
            data = inflate(data, "gzip", 0)
            if data is None:
                continue
        decoded = bytes_text(data)
        if decoded is None:
            continue
        runs = bool(match.group("run") or match.group("pre"))
        replacement = decoded if runs else quote(decoded, BASH)
        kind = LayerKind.compressed if match.group("zip") else LayerKind.base64
        wrapper = match.group(0).replace(match.group("blob"), "<payload>")[:300]
        new = text[: match.start()] + replacement + text[match.end() :]
        return Rewrite(kind, new, 1, f"{len(data):,} bytes", wrapper)
    return None


BASH_RULES: list[Transform] = [
    bash_base64,
    literal_rule(
        r"(?:echo|printf\s+%s)\s+<S>\s*\|\s*rev\b",
        BASH,
        LayerKind.reversal,
        lambda m, v: quote(v[0][::-1], BASH),
    ),
    literal_rule(
        r"<S>(?:<S>)+", BASH, LayerKind.concatenation, lambda m, v: quote("".join(v), BASH)
    ),
    literal_rule(
        r"(?<![\w-])(?:eval|(?:ba|z)?sh\s+-c)\s+<S>",
        BASH,
        LayerKind.invoke_expression,
        _code,
    ),
    literal_rule(
        r"<S>\s*\|\s*(?:ba|z)?sh\b(?:\s+-)?",
        BASH,
        LayerKind.invoke_expression,
        _code,
    ),
]


def bash_ansi_c(text: str) -> Rewrite | None:
    """ANSI-C quoted strings (`$'\\x63\\x75\\x72\\x6c'`) become plain literals."""
    pattern = re.compile(r"\$'((?:[^'\\]|\\.)*)'")
    regions = scan(text, BASH)
    count = 0

    def plain(match: re.Match[str]) -> str:
        nonlocal count
        value = literal_value("'" + match.group(1) + "'", JS)
        if regions.in_opaque(match.start()) or not printable(value):
            return match.group(0)
        count += 1
        return quote(value, BASH)

    new = pattern.sub(plain, text)
    return Rewrite(LayerKind.string_escapes, new, count) if count else None


def cmd_carets(text: str) -> Rewrite | None:
    """Caret escapes outside quotes (`p^o^w^e^r^s^h^e^l^l`)."""
    regions = scan(text, CMD)
    out, count, i = [], 0, 0
    while i < len(text):
        if (
            text[i] == "^"
            and i + 1 < len(text)
            and text[i + 1] != "\n"
            and not regions.in_opaque(i)
        ):
            out.append(text[i + 1])
            count += 1
            i += 2
            continue
        out.append(text[i])
        i += 1
    return Rewrite(LayerKind.caret_escapes, "".join(out), count) if count else None


_SET = re.compile(r"^[ \t]*set[ \t]+\"?(\w+)=([^\"\n]*)\"?[ \t]*\n?", re.IGNORECASE | re.MULTILINE)


def cmd_variables(text: str) -> Rewrite | None:
    """`set x=...` used as `%x%` or `%x:~start,length%`: the uses become the value."""
    for match in _SET.finditer(text):
        name, value = match.group(1), match.group(2)
        if len(re.findall(rf"^[ \t]*set[ \t]+\"?{re.escape(name)}=", text, re.I | re.M)) != 1:
            continue
        use = re.compile(rf"%{re.escape(name)}(?::~(-?\d+)(?:,(-?\d+))?)?%", re.IGNORECASE)
        rest = text[match.end() :]
        if not use.search(rest):
            continue

        def expand(m: re.Match[str], value: str = value) -> str:
            if m.group(1) is None:
                return value
            start = int(m.group(1))
            part = value[start:] if start >= 0 else value[len(value) + start :]
            if m.group(2) is not None:
                length = int(m.group(2))
                part = part[:length]
            return part

        new = text[: match.start()] + use.sub(expand, rest)
        return Rewrite(LayerKind.variable, new, 1, f"%{name}%")
    return None


CMD_RULES: list[Transform] = [
    cmd_carets,
    cmd_variables,
    literal_rule(r"(?<![\w-])cmd(?:\.exe)?\s+/[ck]\s+<S>", CMD, LayerKind.invoke_expression, _code),
]

BY_LANGUAGE: dict[Language, list[Transform]] = {
    JS: JAVASCRIPT,
    VBS: VBSCRIPT,
    BASH: [bash_ansi_c, *BASH_RULES],
    CMD: CMD_RULES,
}


def base64_literal(language: Language) -> Transform:
    """A string literal holding only base64 of readable text becomes that text (any
    language; long enough not to be a word)."""

    def decode(match: Found, values: list[str]) -> str | None:
        value = values[0].strip()
        if len(value) < 24 or not re.fullmatch(r"[A-Za-z0-9+/]+={0,2}", value):
            return None
        before = match.string[max(0, match.start() - 30) : match.start()].lower()
        if "frombase64string" in before:
            return None
        decoded = _text_of_base64(value)
        return quote(decoded, language) if decoded else None

    return literal_rule("<S>", language, LayerKind.base64, decode)
