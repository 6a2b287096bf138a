"""Layered obfuscation of the corpus's plain scripts, as attackers' tools do it.

Each layer turns a script into another script that computes and runs it: PowerShell through
encoded commands, base64, gzip and deflate streams, char codes, format strings, concatenation,
reversal, replacement, variables, backticks and Invoke-Expression idioms; bash, JavaScript,
VBScript and cmd through their own. Layers are drawn by a seeded generator, in several orders.
Nothing here runs a script.
"""

from __future__ import annotations

import base64
import gzip
import random
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass

Layer = Callable[[str, random.Random], str]


def ps_quote(value: str) -> str:
    """A PowerShell single-quoted literal."""
    return "'" + value.replace("'", "''") + "'"


def _chunks(value: str, rng: random.Random, count: int) -> list[str]:
    if len(value) < 2:
        return [value]
    cuts = sorted(rng.sample(range(1, len(value)), min(count, len(value) - 1)))
    return [value[a:b] for a, b in zip([0, *cuts], [*cuts, len(value)], strict=True)]


# PowerShell expressions whose value is the payload ----------------------------------------
def expr_base64(code: str, rng: random.Random) -> str:
    if rng.random() < 0.5:
        blob = base64.b64encode(code.encode("utf-16-le")).decode()
        return f"[Text.Encoding]::Unicode.GetString([Convert]::FromBase64String('{blob}'))"
    blob = base64.b64encode(code.encode()).decode()
    return f"[System.Text.Encoding]::UTF8.GetString([System.Convert]::FromBase64String('{blob}'))"


def expr_gzip(code: str, rng: random.Random) -> str:
    blob = base64.b64encode(gzip.compress(code.encode(), mtime=0)).decode()
    return (
        "(New-Object IO.StreamReader((New-Object IO.Compression.GzipStream("
        f"[IO.MemoryStream][Convert]::FromBase64String('{blob}'),"
        "[IO.Compression.CompressionMode]::Decompress)))).ReadToEnd()"
    )


def expr_deflate(code: str, rng: random.Random) -> str:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    raw = compressor.compress(code.encode()) + compressor.flush()
    blob = base64.b64encode(raw).decode()
    return (
        "(New-Object IO.StreamReader((New-Object IO.Compression.DeflateStream("
        f"(New-Object IO.MemoryStream(,[Convert]::FromBase64String('{blob}'))),"
        "[IO.Compression.CompressionMode]::Decompress)),[Text.Encoding]::ASCII)).ReadToEnd()"
    )


def expr_chars(code: str, rng: random.Random) -> str:
    numbers = ",".join(str(ord(c)) for c in code)
    style = rng.randrange(3)
    if style == 0:
        return f"[string]::Join('', [char[]]({numbers}))"
    if style == 1:
        return f"(-join [char[]]({numbers}))"
    return f"(({numbers}) | ForEach-Object {{ [char]$_ }}) -join ''"


def expr_format(code: str, rng: random.Random) -> str:
    parts = _chunks(code, rng, rng.randint(3, 8))
    order = list(range(len(parts)))
    rng.shuffle(order)
    template = "".join("{" + str(order.index(i)) + "}" for i in range(len(parts)))
    args = ",".join(ps_quote(parts[i]) for i in order)
    return f"('{template}' -f {args})"


def expr_concat(code: str, rng: random.Random) -> str:
    return "(" + " + ".join(ps_quote(p) for p in _chunks(code, rng, rng.randint(2, 9))) + ")"


def expr_reverse(code: str, rng: random.Random) -> str:
    reversed_code = ps_quote(code[::-1])
    if rng.random() < 0.5:
        return f"(-join ({reversed_code})[-1..-{len(code)}])"
    return (
        f"(([regex]::Matches({reversed_code},'.','RightToLeft') | ForEach {{$_.value}}) -join '')"
    )


def expr_replace(code: str, rng: random.Random) -> str:
    letter = rng.choice([c for c in "etaoinsr" if c in code] or ["e"])
    marker = next(m for m in ("~#", "@!", "^%", "+=+") if m not in code)
    hidden = ps_quote(code.replace(letter, marker))
    if rng.random() < 0.5:
        return f"({hidden}.Replace('{marker}','{letter}'))"
    return f"({hidden} -creplace '{re.escape(marker)}','{letter}')"


EXPRESSIONS = [
    expr_base64,
    expr_gzip,
    expr_deflate,
    expr_chars,
    expr_format,
    expr_concat,
    expr_reverse,
    expr_replace,
]
IEX_SPELLINGS = [
    "iex",
    "Invoke-Expression",
    "IEX",
    "&($env:ComSpec[4,15,25]-join'')",
    ".($PSHome[4]+$PSHome[30]+'x')",
    "&('ie'+'x')",
    ".('{1}{0}' -f 'x','ie')",
]


def run_expression(expression: str, rng: random.Random) -> str:
    """A statement that runs the code an expression computes."""
    style = rng.randrange(5)
    if style == 0:
        return f"{rng.choice(IEX_SPELLINGS)} ({expression})"
    if style == 1:
        return f"{expression} | {rng.choice(['iex', 'Invoke-Expression'])}"
    if style == 2:
        return f"& ([scriptblock]::Create({expression}))"
    if style == 3:
        name = rng.choice(["x", "p", "payload", "s1"])
        return f"${name} = {expression}\n{rng.choice(['iex', 'Invoke-Expression'])} ${name}"
    return f"Invoke-Expression ({expression})"


def ps_layer(code: str, rng: random.Random) -> str:
    """The code computed by one random expression and run."""
    return run_expression(rng.choice(EXPRESSIONS)(code, rng), rng)


def ps_encoded_command(code: str, rng: random.Random) -> str:
    """`powershell -enc <base64 UTF-16LE>` with a random spelling of the flag."""
    blob = base64.b64encode(code.encode("utf-16-le")).decode()
    flag = rng.choice(["-e", "-en", "-enc", "-EncodedCommand", "-ec", "-encodedc", "/enc"])
    prefix = rng.choice(
        [
            "powershell.exe -NoP -NonI -W Hidden",
            "powershell -nop -w 1",
            "pwsh -NoProfile",
            "PowerShell.exe -ExecutionPolicy Bypass",
            "cmd /c p^o^w^e^r^s^h^e^l^l -nop",
        ]
    )
    return f"{prefix} {flag} {blob}"


_TICKABLE = re.compile(r"\b(?:Invoke-Expression|New-Object|ForEach-Object|iex)\b", re.IGNORECASE)


def ps_backticks(code: str, rng: random.Random) -> str:
    """Backticks inside the wrapper's command names (never inside its string literals)."""
    out, last = [], 0
    for match in _TICKABLE.finditer(code):
        before = code[: match.start()]
        if before.count("'") % 2 or before.count('"') % 2:
            continue  # inside a literal
        word = "".join(
            c + "`"
            if (
                i < len(match.group(0)) - 1
                and rng.random() < 0.4
                and match.group(0)[i + 1].lower() not in "0abefnrtuv"
            )
            else c
            for i, c in enumerate(match.group(0))
        )
        out += [code[last : match.start()], word]
        last = match.end()
    return "".join(out) + code[last:]


# Other languages ---------------------------------------------------------------------------
def bash_layer(code: str, rng: random.Random) -> str:
    style = rng.randrange(5)
    if style == 0:
        return f"echo {base64.b64encode(code.encode()).decode()} | base64 -d | bash"
    if style == 1:
        blob = base64.b64encode(gzip.compress(code.encode(), mtime=0)).decode()
        return f"echo '{blob}' | base64 --decode | gunzip | sh"
    if style == 2:
        return f'eval "$(echo {base64.b64encode(code.encode()).decode()} | base64 -d)"'
    if style == 3:
        return "eval $'" + "".join(f"\\x{ord(c):02x}" for c in code) + "'"
    return "echo '" + code[::-1].replace("'", "'\\''") + "' | rev | bash"


def js_quote(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n")
    return "'" + escaped + "'"


def js_layer(code: str, rng: random.Random) -> str:
    style = rng.randrange(6)
    if style == 0:
        return f"eval(atob('{base64.b64encode(code.encode()).decode()}'));"
    if style == 1:
        return f"eval(String.fromCharCode({','.join(str(ord(c)) for c in code)}));"
    if style == 2:
        return f"eval({js_quote(code[::-1])}.split('').reverse().join(''));"
    if style == 3:
        return "eval(unescape('" + "".join(f"%{ord(c):02X}" for c in code) + "'));"
    if style == 4:
        return f"new Function({' + '.join(js_quote(p) for p in _chunks(code, rng, 6))})();"
    return f"eval([{','.join(js_quote(p) for p in _chunks(code, rng, 5))}].join(''));"


def vbs_quote(value: str) -> str:
    lines = value.split("\n")
    return " & vbCrLf & ".join('"' + line.replace('"', '""') + '"' for line in lines)


def vbs_layer(code: str, rng: random.Random) -> str:
    style = rng.randrange(3)
    if style == 0:
        return (
            f"ExecuteGlobal StrReverse({vbs_quote(code[::-1])})"
            if "\n" not in code
            else (f"ExecuteGlobal ({vbs_quote(code)})")
        )
    if style == 1:
        return "Execute " + " & ".join(f"Chr({ord(c)})" for c in code)
    marker = next(m for m in ("~#", "@!", "^%", "+=+") if m not in code)
    return f'Execute Replace({vbs_quote(code.replace("e", marker))}, "{marker}", "e")'


def cmd_layer(code: str, rng: random.Random) -> str:
    """Carets between letters outside quotes and %variables%, and words split into `set`s."""
    words = sorted(set(re.findall(r"(?<![%\w\\/:.])[a-z]{4,}(?![%\w])", code)))
    lines = []
    if words and rng.random() < 0.7:
        word = rng.choice(words)
        cut = rng.randrange(1, len(word))
        lines += [f"set a{cut}={word[:cut]}", f"set b{cut}={word[cut:]}"]
        code = re.sub(rf"(?<![%\w\\/:.]){word}(?![%\w])", f"%a{cut}%%b{cut}%", code, count=1)
    body = "\n".join(_carets(line, rng) for line in code.split("\n"))
    if lines and body.startswith("@echo off\n"):
        return "@echo off\n" + "\n".join(lines) + "\n" + body[len("@echo off\n") :]
    return "\n".join(lines) + ("\n" if lines else "") + body


def _carets(line: str, rng: random.Random) -> str:
    if line.lstrip().lower().startswith(("rem ", "::")):
        return line  # a comment keeps its carets
    out, quoted, in_var = [], False, False
    for i, c in enumerate(line):
        if c == '"':
            quoted = not quoted
        if c == "%":
            in_var = not in_var
        out.append(c)
        nxt = line[i + 1] if i + 1 < len(line) else ""
        if not quoted and not in_var and c.isalpha() and nxt.isalpha() and rng.random() < 0.3:
            out.append("^")
    return "".join(out)


@dataclass(frozen=True)
class Sample:
    """One obfuscated variant of a corpus script."""

    name: str
    layers: tuple[str, ...]
    text: str


def obfuscate(name: str, code: str, seed: int) -> Sample:
    """A variant of `code` under 1 to 4 random layers of its language (seeded)."""
    rng = random.Random(f"{name}:{seed}")
    suffix = name.rsplit(".", 1)[-1]
    layers: list[str] = []
    text = code
    if suffix == "ps1":
        for _ in range(rng.randint(1, 3)):
            text = ps_layer(text, rng)
            layers.append("expression")
            if rng.random() < 0.4:
                text = ps_backticks(text, rng)
                layers.append("backticks")
        if rng.random() < 0.6:
            text = ps_encoded_command(text, rng)
            layers.append("encodedCommand")
    else:
        make = {"sh": bash_layer, "js": js_layer, "vbs": vbs_layer, "cmd": cmd_layer}[suffix]
        for _ in range(1 if suffix == "cmd" else rng.randint(1, 2)):
            text = make(text, rng)
            layers.append(make.__name__)
    return Sample(name=name, layers=tuple(layers), text=text)
