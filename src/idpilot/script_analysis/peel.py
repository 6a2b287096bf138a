"""Peel a script's layers until it stands in plain text, within a budget (never runs it).

Each pass reads the text's language, then applies the first of that language's transforms
that changes something (every place it applies at once): an encoded command becomes the
command, a computed string a literal, a literal that is run the code it holds. A pass that
changes nothing ends the peeling.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from idpilot.script_analysis import _other_languages, _powershell
from idpilot.script_analysis._rules import Rewrite, Transform
from idpilot.script_analysis._scanner import scan
from idpilot.script_analysis.errors import ScriptBombError
from idpilot.script_analysis.language import detect_language
from idpilot.script_analysis.model import Language, Layer

MAX_PASSES = 200
"""More rewriting passes than this: refused (a layering bomb)."""
MAX_DECODED_CHARS = 4 * 1024 * 1024
"""A decoded script longer than this: refused (an expansion bomb)."""


@dataclass
class Peeled:
    """The plain text, the layers that were peeled and the languages met."""

    text: str
    outer_language: Language
    language: Language
    layers: list[Layer] = field(default_factory=list)


def transforms_for(language: Language) -> list[Transform]:
    """The transforms of `language` in order of preference (any language may hold an
    encoded PowerShell command or a base64 literal)."""
    own = {
        Language.powershell: _powershell.TRANSFORMS,
        Language.unknown: [_powershell.encoded_command],
    }.get(language) or [_powershell.encoded_command, *_other_languages.BY_LANGUAGE[language]]
    literal_language = language if language is not Language.unknown else Language.powershell
    return [*own, _other_languages.base64_literal(literal_language)]


def _code_only(text: str, language: Language) -> str:
    """`text` with its string literals emptied (read as `language`): a payload still inside a
    literal says nothing of the language of the code around it."""
    if language is Language.unknown:
        return text
    regions = scan(text, language)
    out, last = [], 0
    for start, end in regions.literal_ends.items():
        out.append(text[last : start + 1])
        last = max(end - 1, start + 1)
    out.append(text[last:])
    return "".join(out)


def _first_rewrite(text: str, languages: list[Language]) -> tuple[Rewrite | None, Language]:
    """The first rewrite of the text read as each language in turn (the language detected
    now, then the one of the last layer, then the input's: an encoded layer read as text is
    not always recognisable)."""
    tried: set[Language] = set()
    for language in languages:
        if language in tried:
            continue
        tried.add(language)
        for transform in transforms_for(language):
            rewrite = transform(text)
            if rewrite is not None:
                return rewrite, language
    return None, languages[0]


def peel(text: str, hint: Language | None = None) -> Peeled:
    """Peel every layer of `text`; `hint` is the language of the input when known (a file
    extension). Raises ScriptBombError past MAX_PASSES or MAX_DECODED_CHARS."""
    outer = hint or detect_language(text)
    peeled = Peeled(text=text, outer_language=outer, language=outer)
    language, previous = outer, outer
    for passes in range(MAX_PASSES + 1):
        rewrite, used = _first_rewrite(peeled.text, [language, previous, outer])
        if rewrite is None:
            peeled.language = language
            return peeled
        if passes == MAX_PASSES:
            break
        if len(rewrite.text) > MAX_DECODED_CHARS:
            raise ScriptBombError(
                f"layer {len(peeled.layers) + 1} ({rewrite.kind.value}) expands the script to "
                f"{len(rewrite.text):,} characters, past the limit of {MAX_DECODED_CHARS:,}: "
                "refused as a decoding bomb"
            )
        peeled.layers.append(
            Layer(
                kind=rewrite.kind,
                language=used,
                count=rewrite.count,
                detail=rewrite.detail,
                wrapper=rewrite.wrapper,
            )
        )
        peeled.text = rewrite.text
        previous = used
        language = detect_language(_code_only(peeled.text, used), current=used)
    raise ScriptBombError(
        f"still encoded after {MAX_PASSES} decoding passes ({len(peeled.layers)} layers): "
        "refused as a layering bomb; idpilot stops there rather than peel forever"
    )
