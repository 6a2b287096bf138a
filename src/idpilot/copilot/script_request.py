"""Whether a prompt carries a script, and which part of it is the script: read structurally.

A prompt carries a script when it holds a fenced code block, a PowerShell cmdlet
(`Get-MgUser`), variable assignment or pipeline block, a `powershell`/`pwsh` command line
(`-EncodedCommand`, `-enc`, `-nop`), `iex (...)`, shell syntax (`#!/bin/bash`, `curl ... | sh`,
`base64 -d`), or a long base64 run. The script is the code block's text, or the prompt from
the first such sign on (the words before it ask about it, "what does this do?"). Read for every
prompt, so it loads nothing else.
"""

from __future__ import annotations

import re

_FENCED = re.compile(r"```[\w+-]*[ \t]*\n?(?P<code>.*?)```", re.S)
_APPROVED_VERBS = (
    "Add|Clear|Connect|ConvertFrom|ConvertTo|Copy|Disable|Disconnect|Enable|Export|Find|"
    "ForEach|Get|Grant|Import|Install|Invoke|Join|New|Out|Register|Remove|Rename|Reset|"
    "Restart|Revoke|Select|Send|Set|Start|Stop|Test|Update|Where|Write"
)
_SIGNS = (
    # A cmdlet: an approved verb, a hyphen, a capitalised noun (`Get-MgUser`, `Invoke-WebRequest`).
    re.compile(rf"(?<![\w-])(?:{_APPROVED_VERBS})-[A-Z][A-Za-z]+\b"),
    # A PowerShell host started with switches, or an encoded command.
    re.compile(r"(?<![\w-])(?:powershell|pwsh)(?:\.exe)?\s+-\w+", re.I),
    re.compile(r"(?<![\w-])-(?:EncodedCommand|enc|ec)\s+[A-Za-z0-9+/=]{8,}", re.I),
    re.compile(r"(?<![\w-])iex\s*[(\"'$]", re.I),
    # A variable assigned, or a PowerShell .NET call or pipeline block.
    re.compile(r"(?<![\w$])\$\w+\s*=[^=]"),
    re.compile(r"\[(?:System\.)?(?:Convert|Text\.Encoding|Net\.WebClient|IO\.\w+)\]::"),
    re.compile(r"\|\s*(?:%|\?|ForEach-Object|Where-Object)\s*\{"),
    # Shell: a shebang, a download piped to a shell, a decode, a permission change.
    re.compile(r"#!\s*/(?:usr/)?bin/"),
    re.compile(r"\b(?:curl|wget)\b[^\n|]*\|\s*(?:sudo\s+)?(?:ba|z)?sh\b"),
    re.compile(r"\bbase64\s+(?:-d|--decode)\b"),
    re.compile(r"\bchmod\s+[+0-7]"),
)
_BASE64_RUN = re.compile(r"(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{40,}={0,2}(?![A-Za-z0-9+/])")
"""Forty or more base64 characters in one run: an encoded blob, not a word or an id."""
_MIXED = re.compile(r"[a-z].*[A-Z]|[A-Z].*[a-z]")


def carried_script(prompt: str) -> str | None:
    """The script the prompt carries (code block, script syntax or base64 blob), else None."""
    if fenced := _FENCED.search(prompt):
        code = fenced.group("code").strip()
        if code:
            return code
    starts = [match.start() for sign in _SIGNS if (match := sign.search(prompt))]
    starts += [match.start() for match in _BASE64_RUN.finditer(prompt) if _is_blob(match[0])]
    if not starts:
        return None
    return prompt[min(starts) :].strip() or None


def carries_script(prompt: str) -> bool:
    """The prompt carries a script or an encoded blob to analyse."""
    return carried_script(prompt) is not None


def _is_blob(run: str) -> bool:
    """A base64 run with both cases and a digit or symbol: not a long word or a hex hash."""
    return bool(_MIXED.search(run)) and any(not c.isalpha() for c in run)
