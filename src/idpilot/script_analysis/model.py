"""The typed result of a script analysis: layers peeled, indicators, techniques, verdict."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class Language(StrEnum):
    """The scripting languages idpilot reads."""

    powershell = "powershell"
    bash = "bash"
    cmd = "cmd"
    javascript = "javascript"
    vbscript = "vbscript"
    unknown = "unknown"


class LayerKind(StrEnum):
    """One kind of encoding or obfuscation layer that was peeled."""

    encoded_command = "encodedCommand"
    base64 = "base64"
    compressed = "compressed"
    char_codes = "charCodes"
    format_string = "formatString"
    concatenation = "concatenation"
    grouping = "grouping"
    join = "join"
    reversal = "reversal"
    replace = "replace"
    backtick_escapes = "backtickEscapes"
    caret_escapes = "caretEscapes"
    string_escapes = "stringEscapes"
    variable = "variable"
    invoke_expression = "invokeExpression"
    percent_encoding = "percentEncoding"

    @property
    def obfuscates(self) -> bool:
        """Whether this layer hides code (a grouping or a plain join of two literals does not)."""
        return self not in {LayerKind.grouping, LayerKind.concatenation, LayerKind.variable}


class Layer(BaseModel):
    """One peeling step: what kind, how many places it changed, and what it removed."""

    model_config = ConfigDict(frozen=True)

    kind: LayerKind
    language: Language
    count: int = 1
    """How many places this step rewrote."""
    detail: str = ""
    wrapper: str = ""
    """Text the step removed around a payload (e.g. `powershell -NoP -W Hidden -enc`)."""


class IndicatorKind(StrEnum):
    """What an indicator is."""

    url = "url"
    domain = "domain"
    ip = "ip"
    file_path = "filePath"
    registry_key = "registryKey"
    hash = "hash"
    user = "user"
    tenant_id = "tenantId"
    app_id = "appId"
    guid = "guid"


class Indicator(BaseModel):
    """A value the script names that can be looked up (in the tenant or elsewhere)."""

    model_config = ConfigDict(frozen=True)

    kind: IndicatorKind
    value: str
    line: int
    """1-based line of the decoded script where it first occurs."""
    note: str = ""
    """What is known about it (a well-known Microsoft app, a Microsoft endpoint...)."""


class Severity(StrEnum):
    """How much a recognised technique weighs in the verdict."""

    high = "high"  # an attack tool or a technique with no admin use
    medium = "medium"  # an identity change an admin may make, or a common attack step
    low = "low"  # worth a look on its own, not suspicious


class TechniqueMatch(BaseModel):
    """A recognised tool or technique, with its ATT&CK ids and the lines that show it."""

    model_config = ConfigDict(frozen=True)

    id: str
    name: str
    kind: str
    """`tool` or `technique`."""
    severity: Severity
    attack_step: bool = False
    """A step of an attack (fetching or sending data): with another identity change, the
    script is malicious."""
    attack: list[str]
    lines: list[int]
    matched: str
    """The first text that matched, as it stands in the decoded script."""
    what_to_do: str
    sources: list[str]


class Verdict(StrEnum):
    """The analysis's conclusion."""

    malicious = "malicious"
    suspicious = "suspicious"
    benign = "benign"


class KeyLine(BaseModel):
    """A line of the decoded script that matters, and why."""

    model_config = ConfigDict(frozen=True)

    number: int
    text: str
    why: list[str]


class Command(BaseModel):
    """A command the parsed script runs."""

    model_config = ConfigDict(frozen=True)

    name: str
    line: int


class ScriptAnalysis(BaseModel):
    """Everything the static analysis found; nothing in the script was run."""

    language: Language
    """The language of the decoded script."""
    outer_language: Language
    """The language of the input as given."""
    layers: list[Layer]
    decoded: str
    fully_decoded: bool
    leftovers: list[str] = Field(default_factory=list)
    """Why the script may not be fully decoded (a payload computed at run time...)."""
    parser: str
    """What parsed the decoded script (`tree-sitter-powershell`, `tokenizer`)."""
    syntax_errors: int = 0
    commands: list[Command] = Field(default_factory=list)
    indicators: list[Indicator]
    techniques: list[TechniqueMatch]
    verdict: Verdict
    reasons: list[str]
    key_lines: list[KeyLine]
    what_to_do: list[str]
