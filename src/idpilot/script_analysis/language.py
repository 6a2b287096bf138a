"""Which scripting language a text is written in, from the words and marks it uses."""

from __future__ import annotations

import re

from idpilot.script_analysis.model import Language

_SIGNS: dict[Language, list[tuple[str, float]]] = {
    Language.powershell: [
        (r"\$\w+\s*=", 1.0),
        (
            r"\b(?:get|set|new|add|remove|import|invoke|write|out|select|where|foreach|connect|"
            r"update|start|test|export|convertto|convertfrom)-[a-z]\w+",
            2.0,
        ),
        (r"\[(?:system\.)?(?:convert|text\.encoding|char|string|io\.\w+|net\.\w+)\]", 2.0),
        (r"-(?:join|f|replace|split|eq|ne|match|like)\b", 1.0),
        (r"(?<![\w-])(?:iex|icm|iwr|irm)\b", 1.5),
        (r"\$env:\w+", 1.5),
        (r"(?:powershell|pwsh)(?:\.exe)?\s", 1.0),
        (r"\$_\b|\$psscriptroot|\$null\b", 1.5),
    ],
    Language.bash: [
        (r"^#!\s*/(?:usr/)?bin/(?:env\s+)?(?:ba|z|da)?sh", 6.0),
        (r"\b(?:fi|then|done|esac|elif)\b", 1.5),
        (r"(?:^|\|)\s*(?:curl|wget|chmod|grep|awk|sed|base64|nohup)\b", 1.5),
        (r"\bexport\s+\w+=", 1.5),
        (r"\|\s*(?:ba|z)?sh\b", 2.0),
        (r"\$\(\s*\w", 1.0),
    ],
    Language.cmd: [
        (r"^\s*@?echo\s+off\b", 5.0),
        (r"^\s*(?:set|setlocal|goto|call|rem|if\s+(?:not\s+)?exist)\b", 1.5),
        (r"%\w+%|%~\w+", 1.5),
        (r"\bcmd(?:\.exe)?\s+/[ck]\b", 2.0),
        (r"\w\^\w", 1.0),
    ],
    Language.javascript: [
        (r"\b(?:var|let|const)\s+\w+\s*=", 2.0),
        (r"\bfunction\s*\w*\s*\(", 1.5),
        (r"=>", 1.0),
        (r"\bnew\s+ActiveXObject\b", 2.5),
        (r"String\.fromCharCode|\batob\(|\beval\(", 2.0),
        (r";\s*$", 0.3),
    ],
    Language.vbscript: [
        (r"^\s*dim\s+\w+", 2.5),
        (r"\bset\s+\w+\s*=\s*createobject\(", 3.0),
        (r"\bend\s+(?:sub|function|if)\b", 2.0),
        (r"\bchrw?\(\s*\d+\s*\)\s*&", 2.5),
        (r"\b(?:executeglobal|execute)\b|\bvbcrlf\b|\bmsgbox\b", 2.0),
        (r"\bwscript\.(?:echo|shell|createobject)", 1.0),
    ],
}
_COMPILED = {
    language: [(re.compile(p, re.IGNORECASE | re.MULTILINE), w) for p, w in signs]
    for language, signs in _SIGNS.items()
}
_EXTENSIONS = {
    ".ps1": Language.powershell,
    ".psm1": Language.powershell,
    ".psd1": Language.powershell,
    ".sh": Language.bash,
    ".bash": Language.bash,
    ".bat": Language.cmd,
    ".cmd": Language.cmd,
    ".js": Language.javascript,
    ".jse": Language.javascript,
    ".vbs": Language.vbscript,
    ".vbe": Language.vbscript,
}
_SAMPLE = 20_000  # the signs of a language show in its first lines


def language_of_name(name: str) -> Language | None:
    """The language a file name's extension says, if any."""
    for extension, language in _EXTENSIONS.items():
        if name.lower().endswith(extension):
            return language
    return None


_SWITCH_MARGIN = 2.0


def language_scores(text: str) -> dict[Language, float]:
    """How strongly `text` shows the signs of each language."""
    sample = text[:_SAMPLE]
    return {
        language: sum(weight * min(len(p.findall(sample)), 5) for p, weight in signs)
        for language, signs in _COMPILED.items()
    }


def detect_language(text: str, current: Language | None = None) -> Language:
    """The language whose signs weigh most in `text` (unknown when none shows); with
    `current`, a decoded layer keeps that language unless another clearly weighs more."""
    scores = language_scores(text)
    best = max(scores, key=lambda language: scores[language])
    if scores[best] < 1.0:
        return current or Language.unknown
    if current in scores and scores[best] < scores[current] + _SWITCH_MARGIN:
        return current
    return best
