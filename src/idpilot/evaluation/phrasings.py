"""The phrasing corpus (`../shared/phrasings/dev.yaml`): prompts with placeholders and the
intent each asks, instantiated on a tenant and scored by intent accuracy.

A prompt is right when the first skill of the Answer is its intent; an out-of-scope prompt is
right when the status is `outOfScope` and no skill ran. Intents naming capabilities idpilot does
not have yet are reported as "not yet" and not counted.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from idpilot.copilot.engine import Copilot
from idpilot.copilot.session import Session
from idpilot.copilot.trace import Trace
from idpilot.errors import IdpilotError
from idpilot.evaluation.phrasing_values import placeholder_values
from idpilot.evaluation.scoring import DirectoryNames, hallucinated_entities
from idpilot.store import Store

if TYPE_CHECKING:
    from idpilot.llm.client import ChatModel

OUT_OF_SCOPE = "out_of_scope"
NOT_YET_INTENTS = frozenset({"kql", "report"})
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def default_corpus_path() -> Path:
    """`../shared/phrasings/dev.yaml` relative to the repository root (CI keeps ../shared there)."""
    return Path(__file__).resolve().parents[3].parent / "shared" / "phrasings" / "dev.yaml"


class PhrasingCorpusError(IdpilotError):
    """The phrasing corpus is absent or malformed."""


class Phrasing(BaseModel):
    """One prompt of the corpus and the intent a correct answer needs."""

    model_config = ConfigDict(extra="allow")

    prompt: str
    intent: str
    facet: str = ""
    also: list[str] = Field(default_factory=list)


def load_corpus(path: Path) -> list[Phrasing]:
    """The prompts of a corpus file, checked for shape."""
    if not path.exists():
        raise PhrasingCorpusError(
            f"No phrasing corpus at {path}: put the shared corpus there (the repository's "
            "sibling folder shared/phrasings/dev.yaml) or pass --phrasings PATH."
        )
    try:
        data = yaml.safe_load(path.read_text())
    except yaml.YAMLError as error:
        raise PhrasingCorpusError(f"{path}: invalid YAML: {error}") from None
    items = data.get("prompts") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise PhrasingCorpusError(f"{path}: expected a mapping with a `prompts` list")
    try:
        return [Phrasing.model_validate(item) for item in items]
    except ValidationError as error:
        raise PhrasingCorpusError(f"{path}: {error}") from None


@dataclass
class PhrasingResult:
    """One instantiated prompt and what idpilot chose."""

    prompt: str
    intent: str
    chosen: list[str]
    status: str
    elapsed_ms: float
    not_yet: bool = False
    unfilled: list[str] = field(default_factory=list)
    hallucinated: list[str] = field(default_factory=list)
    trace: Trace | None = None
    """How the answer was made (None when it crashed or was not asked)."""

    @property
    def correct(self) -> bool:
        """The first skill is the intent (out of scope: refused and no skill ran)."""
        if self.not_yet or self.unfilled:
            return False
        if self.intent == OUT_OF_SCOPE:
            return self.status == "outOfScope" and not self.chosen
        return bool(self.chosen) and self.chosen[0] == self.intent


@dataclass
class PhrasingReport:
    """Intent accuracy of a corpus on one tenant."""

    tenant: str
    results: list[PhrasingResult] = field(default_factory=list)

    @property
    def counted(self) -> list[PhrasingResult]:
        """Prompts whose intent idpilot has and whose placeholders the tenant could fill."""
        return [r for r in self.results if not r.not_yet and not r.unfilled]

    @property
    def not_yet(self) -> int:
        """Prompts for capabilities idpilot does not have yet."""
        return sum(r.not_yet for r in self.results)

    @property
    def accuracy(self) -> float:
        """Share of counted prompts whose first skill is the intent."""
        counted = self.counted
        return sum(r.correct for r in counted) / len(counted) if counted else 0.0

    @property
    def hallucinated(self) -> int:
        """Entities named without evidence, over all answers."""
        return sum(len(r.hallucinated) for r in self.results)

    @property
    def out_of_scope_ran_skill(self) -> int:
        """Out-of-scope prompts that nevertheless ran a skill."""
        return sum(1 for r in self.counted if r.intent == OUT_OF_SCOPE and r.chosen)

    def latency(self, quantile: float) -> float:
        """Latency quantile of the counted prompts in milliseconds."""
        values = sorted(r.elapsed_ms for r in self.counted)
        if len(values) < 2:
            return values[0] if values else 0.0
        return statistics.quantiles(values, n=100, method="inclusive")[round(quantile * 100) - 1]

    def traces(self) -> list[Trace]:
        """How each counted answer was made (for the model figures)."""
        return [r.trace for r in self.counted if r.trace is not None]

    def by_intent(self) -> dict[str, tuple[int, int]]:
        """(correct, counted) per intent."""
        found: dict[str, tuple[int, int]] = {}
        for result in self.counted:
            correct, total = found.get(result.intent, (0, 0))
            found[result.intent] = (correct + result.correct, total + 1)
        return found


def instantiate(prompt: str, values: dict[str, str]) -> tuple[str, list[str]]:
    """The prompt with its placeholders filled, and the placeholders the tenant lacked."""
    missing = [name for name in _PLACEHOLDER.findall(prompt) if name not in values]
    filled = _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), prompt)
    return filled, missing


def run_phrasings(
    store: Store, corpus: list[Phrasing], tenant: str, model: ChatModel | None = None
) -> PhrasingReport:
    """Ask every prompt of the corpus on this store (with the model, when given), each in a
    fresh session."""
    values = placeholder_values(store)
    copilot = Copilot(store, model=model)
    names = DirectoryNames(store)
    report = PhrasingReport(tenant)
    for item in corpus:
        prompt, missing = instantiate(item.prompt, values)
        if item.intent in NOT_YET_INTENTS:
            report.results.append(PhrasingResult(prompt, item.intent, [], "", 0.0, not_yet=True))
            continue
        if missing:
            report.results.append(
                PhrasingResult(prompt, item.intent, [], "", 0.0, unfilled=missing)
            )
            continue
        try:
            answer = copilot.ask(prompt, Session())
        except Exception as error:  # a crash is a wrong answer, reported with its reason
            report.results.append(
                PhrasingResult(prompt, item.intent, [f"crash: {type(error).__name__}"], "", 0.0)
            )
            continue
        report.results.append(
            PhrasingResult(
                prompt,
                item.intent,
                [s.name for s in answer.skills],
                answer.status.value,
                answer.elapsed_ms,
                hallucinated=hallucinated_entities(answer, names),
                trace=answer.trace,
            )
        )
    return report
