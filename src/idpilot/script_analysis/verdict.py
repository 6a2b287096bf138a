"""The verdict on a decoded script, with its reasons, and what is left encoded."""

from __future__ import annotations

import re

from idpilot.script_analysis.model import (
    Command,
    Indicator,
    IndicatorKind,
    Layer,
    Severity,
    TechniqueMatch,
    Verdict,
)

_DOWNLOAD = re.compile(
    r"download(?:string|data)|invoke-webrequest|invoke-restmethod|\b(?:iwr|irm)\b", re.I
)
_RUNTIME_IEX = re.compile(
    r"(?<![\w$-])(?:iex|invoke-expression)\s*\(?\s*[$(\[]|\|\s*(?:iex|invoke-expression)\b"
    r"|\[scriptblock\]\s*::\s*create\(\s*\$",
    re.IGNORECASE,
)
_UNDECODED = {
    "frombase64string": re.compile(r"frombase64string\s*\(", re.I),
    "xor": re.compile(r"-bxor\b", re.I),
    "secure string": re.compile(
        r"convertto-securestring\s+(?:-string\s+)?['\"][0-9a-f]{64,}", re.I
    ),
}
_BLOB = re.compile(r"['\"]([A-Za-z0-9+/]{80,}={0,2})['\"]")


def leftovers(text: str, commands: list[Command]) -> list[str]:
    """What may still be encoded: payloads computed at run time, binary blobs, XOR."""
    found = []
    for number, line in enumerate(text.split("\n"), start=1):
        if _RUNTIME_IEX.search(line) and not _DOWNLOAD.search(line):  # a cradle is a technique
            found.append(f"line {number} runs code computed at run time (Invoke-Expression)")
        for what, pattern in _UNDECODED.items():
            if pattern.search(line):
                found.append(f"line {number} decodes data at run time ({what})")
        for blob in _BLOB.finditer(line):
            size = len(blob.group(1)) * 3 // 4
            found.append(f"line {number} holds a base64 blob of {size:,} bytes that is not text")
    return found[:20]


def decide(
    layers: list[Layer],
    techniques: list[TechniqueMatch],
    indicators: list[Indicator],
    undecoded: list[str],
) -> tuple[Verdict, list[str]]:
    """The verdict and the reasons for it, strongest first."""
    reasons: list[str] = []
    hiding = [layer for layer in layers if layer.kind.obfuscates]
    high = [t for t in techniques if t.severity is Severity.high]
    medium = [t for t in techniques if t.severity is Severity.medium]
    for technique in high:
        reasons.append(f"{technique.name} ({', '.join(technique.attack)})")
    if hiding:
        kinds = sorted({layer.kind.value for layer in hiding})
        reasons.append(
            f"hidden under {len(hiding)} layer(s) of encoding ({', '.join(kinds)}): "
            "admins' scripts are not"
        )
    for technique in medium:
        reasons.append(f"{technique.name} ({', '.join(technique.attack)})")
    bare_ip_urls = [
        i for i in indicators if i.kind is IndicatorKind.url and re.match(r"\w+://\d", i.value)
    ]
    if bare_ip_urls:
        reasons.append(f"fetches from a bare IP address ({bare_ip_urls[0].value})")
    if undecoded:
        reasons.append(f"not fully decoded: {undecoded[0]}")
    steps = [t for t in medium if t.attack_step]
    hidden = any(t.id == "hidden_window" for t in techniques)
    if high or (medium and hiding) or (steps and (len(medium) >= 2 or hidden)):
        return Verdict.malicious, reasons
    if medium or hiding or bare_ip_urls or undecoded:
        return Verdict.suspicious, reasons
    low = [t for t in techniques if t.severity is Severity.low]
    reasons += [f"{t.name} ({', '.join(t.attack)}), not suspicious on its own" for t in low]
    return Verdict.benign, reasons or ["no attack tool, technique or encoding recognised"]
