"""Recognise identity-attack tools and techniques in a decoded script (curated patterns)."""

from __future__ import annotations

from idpilot.knowledge.identity_attacks import AttackCatalog
from idpilot.script_analysis.model import Layer, Severity, TechniqueMatch

_MAX_LINE = 2000  # patterns read the head of a very long line (a blob) only


def recognise(text: str, layers: list[Layer], catalog: AttackCatalog) -> list[TechniqueMatch]:
    """Every catalogued tool or technique the script shows, with the lines that show it.

    The command lines that wrapped a layer (`powershell -w hidden -enc`) count as line 0.
    """
    lines = [(number, line[:_MAX_LINE]) for number, line in enumerate(text.split("\n"), 1)]
    lines += [(0, layer.wrapper[:_MAX_LINE]) for layer in layers if layer.wrapper]
    found = []
    for entry in catalog.techniques:
        hits: list[int] = []
        matched = ""
        for number, line in lines:
            match = next((m for p in entry.compiled if (m := p.search(line))), None)
            if match is not None:
                hits.append(number)
                matched = matched or match.group(0)
        if hits:
            found.append(
                TechniqueMatch(
                    id=entry.id,
                    name=entry.name,
                    kind=entry.kind,
                    severity=Severity(entry.severity),
                    attack_step=entry.attack_step,
                    attack=entry.attack,
                    lines=sorted(set(hits)),
                    matched=matched[:200],
                    what_to_do=entry.what_to_do,
                    sources=entry.sources,
                )
            )
    return found
