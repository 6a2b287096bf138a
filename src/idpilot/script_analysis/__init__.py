"""Static analysis of suspicious scripts: layers peeled, indicators, techniques, a verdict.

Nothing a script contains is executed, and no network is used: decoding is done by
rewriting text (`peel`), parsing by tree-sitter's PowerShell grammar (`syntax`).
"""

from __future__ import annotations

from idpilot.script_analysis.analysis import analyse_bytes, analyse_script
from idpilot.script_analysis.errors import ScriptBombError, ScriptInputError
from idpilot.script_analysis.model import (
    Indicator,
    IndicatorKind,
    Language,
    ScriptAnalysis,
    TechniqueMatch,
    Verdict,
)

__all__ = [
    "Indicator",
    "IndicatorKind",
    "Language",
    "ScriptAnalysis",
    "ScriptBombError",
    "ScriptInputError",
    "TechniqueMatch",
    "Verdict",
    "analyse_bytes",
    "analyse_script",
]
