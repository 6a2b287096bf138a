"""Analyse a script statically: peel its layers, parse it, extract indicators, recognise
identity-attack techniques and give a verdict. Nothing in the script is ever run."""

from __future__ import annotations

from idpilot.knowledge.identity_attacks import attack_catalog
from idpilot.script_analysis.indicators import extract_indicators
from idpilot.script_analysis.language import language_of_name
from idpilot.script_analysis.model import (
    IndicatorKind,
    KeyLine,
    ScriptAnalysis,
    TechniqueMatch,
    Verdict,
)
from idpilot.script_analysis.peel import peel
from idpilot.script_analysis.recognise import recognise
from idpilot.script_analysis.source import script_text
from idpilot.script_analysis.syntax import parse
from idpilot.script_analysis.verdict import decide, leftovers

MAX_KEY_LINES = 30
_LINE_CHARS = 240


def analyse_bytes(data: bytes, *, name: str = "the input") -> ScriptAnalysis:
    """Analyse a script given as bytes (a file or stdin); `name` is its file name, if any."""
    return analyse_script(script_text(data, name=name), name=name)


def analyse_script(text: str, *, name: str = "") -> ScriptAnalysis:
    """Analyse a script's text; a file `name` with an extension says its outer language."""
    peeled = peel(text.replace("\r\n", "\n"), hint=language_of_name(name) if name else None)
    decoded = peeled.text.strip("\n")
    parsed = parse(decoded, peeled.language)
    indicators = extract_indicators(decoded)
    techniques = recognise(decoded, peeled.layers, attack_catalog())
    undecoded = leftovers(decoded, parsed.commands)
    verdict, reasons = decide(peeled.layers, techniques, indicators, undecoded)
    return ScriptAnalysis(
        language=peeled.language,
        outer_language=peeled.outer_language,
        layers=peeled.layers,
        decoded=decoded,
        fully_decoded=not undecoded,
        leftovers=undecoded,
        parser=parsed.parser,
        syntax_errors=parsed.syntax_errors,
        commands=parsed.commands,
        indicators=indicators,
        techniques=techniques,
        verdict=verdict,
        reasons=reasons,
        key_lines=_key_lines(decoded, techniques, indicators, undecoded),
        what_to_do=_what_to_do(verdict, techniques),
    )


def _key_lines(
    text: str, techniques: list[TechniqueMatch], indicators: list, undecoded: list[str]
) -> list[KeyLine]:
    why: dict[int, list[str]] = {}
    for technique in techniques:
        for number in technique.lines:
            if number:
                why.setdefault(number, []).append(technique.name)
    for indicator in indicators:
        if indicator.kind in (IndicatorKind.url, IndicatorKind.ip, IndicatorKind.tenant_id,
                              IndicatorKind.app_id, IndicatorKind.user):  # fmt: skip
            why.setdefault(indicator.line, []).append(f"{indicator.kind.value} {indicator.value}")
    for reason in undecoded:
        number = int(reason.split()[1])
        why.setdefault(number, []).append(reason.split(" ", 2)[2])
    lines = text.split("\n")
    return [
        KeyLine(number=n, text=lines[n - 1].strip()[:_LINE_CHARS], why=sorted(set(reasons)))
        for n, reasons in sorted(why.items())[:MAX_KEY_LINES]
        if 0 < n <= len(lines)
    ]


def _what_to_do(verdict: Verdict, techniques: list[TechniqueMatch]) -> list[str]:
    steps = []
    if verdict is Verdict.malicious:
        steps.append(
            "Do not run it. Keep the original as evidence and find where it came from (the "
            "mail, the machine, the account that ran it)."
        )
    elif verdict is Verdict.suspicious:
        steps.append("Do not run it until someone who owns it explains every line that matters.")
    for technique in techniques:
        if technique.what_to_do not in steps:
            steps.append(technique.what_to_do)
    return steps
