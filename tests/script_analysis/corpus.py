"""The script corpus: plain scripts, their hand-written ground truth, obfuscated variants,
and the figures the acceptance asks for (decoded share, indicator recall and precision,
verdict accuracy)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from idpilot.script_analysis import ScriptAnalysis, analyse_script
from tests.script_analysis.obfuscate import Sample, obfuscate

CORPUS = Path(__file__).parent / "corpus"
FRESH = CORPUS / "fresh"
"""Scripts whose ground truth was written before they were first analysed (never tuned on)."""
VARIANTS_PER_SCRIPT = 6
_ESCALATED = {"benign": "suspicious", "suspicious": "malicious", "malicious": "malicious"}


@dataclass(frozen=True)
class Truth:
    """What a plain script is: its verdict and indicators ("kind value")."""

    name: str
    text: str
    verdict: str
    indicators: frozenset[tuple[str, str]]


def truths(folder: Path = CORPUS) -> list[Truth]:
    """Every script of `folder` with its ground truth from its `manifest.yaml`."""
    manifest = yaml.safe_load((folder / "manifest.yaml").read_text(encoding="utf-8"))
    found = []
    for name, entry in sorted(manifest.items()):
        pairs = (line.split(" ", 1) for line in entry["indicators"])
        found.append(
            Truth(
                name=name,
                text=(folder / name).read_text(encoding="utf-8"),
                verdict=entry["verdict"],
                indicators=frozenset((kind, value.lower()) for kind, value in pairs),
            )
        )
    return found


def normalised(text: str) -> str:
    """A script's lines, stripped, without blank lines (layers may move indentation)."""
    return "\n".join(line.strip() for line in text.split("\n") if line.strip())


@dataclass
class Figures:
    """What the corpus measures."""

    samples: int = 0
    decoded: int = 0
    flagged_decoded: int = 0
    expected_indicators: int = 0
    found_expected: int = 0
    found: int = 0
    verdicts_right: int = 0
    failures: list[str] = field(default_factory=list)

    def share(self, part: int, whole: int) -> float:
        """part / whole (1.0 when whole is 0)."""
        return part / whole if whole else 1.0

    @property
    def decoded_share(self) -> float:
        """Share of samples whose decoded text is the plain script's."""
        return self.share(self.decoded, self.samples)

    @property
    def recall(self) -> float:
        """Share of expected indicators found."""
        return self.share(self.found_expected, self.expected_indicators)

    @property
    def precision(self) -> float:
        """Share of indicators found that were expected."""
        return self.share(self.found_expected, self.found)

    @property
    def verdict_accuracy(self) -> float:
        """Share of samples given the expected verdict."""
        return self.share(self.verdicts_right, self.samples)


def expected_verdict(truth: Truth, sample: Sample | None) -> str:
    """The plain script's verdict; an obfuscated one is escalated (hidden code)."""
    return truth.verdict if sample is None else _ESCALATED[truth.verdict]


def measure(variants: int = VARIANTS_PER_SCRIPT, folder: Path = CORPUS) -> Figures:
    """Analyse every plain script of `folder` and `variants` obfuscated variants of each."""
    figures = Figures()
    for truth in truths(folder):
        plain = analyse_script(truth.text, name=truth.name)
        _score(figures, truth, None, plain, plain)
        for seed in range(variants):
            sample = obfuscate(truth.name, truth.text, seed)
            _score(figures, truth, sample, analyse_script(sample.text, name=truth.name), plain)
    return figures


def _score(
    figures: Figures,
    truth: Truth,
    sample: Sample | None,
    analysis: ScriptAnalysis,
    plain: ScriptAnalysis,
) -> None:
    label = f"{truth.name}" + (f" variant {sample.layers}" if sample else " (plain)")
    figures.samples += 1
    if normalised(analysis.decoded) == normalised(plain.decoded):
        figures.decoded += 1
    else:
        figures.failures.append(f"{label}: not decoded")
    figures.flagged_decoded += analysis.fully_decoded
    found = {(i.kind.value, i.value.lower()) for i in analysis.indicators}
    figures.expected_indicators += len(truth.indicators)
    figures.found_expected += len(found & truth.indicators)
    figures.found += len(found)
    for kind, value in sorted(truth.indicators - found):
        figures.failures.append(f"{label}: missed {kind} {value}")
    for kind, value in sorted(found - truth.indicators):
        figures.failures.append(f"{label}: unexpected {kind} {value}")
    expected = expected_verdict(truth, sample)
    if analysis.verdict.value == expected:
        figures.verdicts_right += 1
    else:
        figures.failures.append(f"{label}: verdict {analysis.verdict.value}, not {expected}")
