"""Running a set of cases against a store and summarising accuracy, citations and latency."""

from __future__ import annotations

import json
import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from idpilot.copilot.engine import Copilot
from idpilot.copilot.session import Session
from idpilot.errors import IdpilotError
from idpilot.evaluation.cases import EvalCase, resolve_case
from idpilot.evaluation.scoring import CaseScore, DirectoryNames, score_answer
from idpilot.store import Store

if TYPE_CHECKING:
    from idpilot.copilot.trace import Trace
    from idpilot.llm.client import ChatModel


@dataclass
class EvalReport:
    """The scores of every case and the figures `idpilot eval` prints."""

    scores: list[CaseScore] = field(default_factory=list)

    @property
    def scored(self) -> list[CaseScore]:
        """The cases that count (those asking for a capability idpilot lacks do not)."""
        return [s for s in self.scores if not s.not_yet]

    @property
    def not_yet(self) -> int:
        """Cases for capabilities idpilot does not have yet."""
        return sum(s.not_yet for s in self.scores)

    @property
    def passed(self) -> int:
        """Cases that passed."""
        return sum(s.passed for s in self.scores)

    @property
    def accuracy(self) -> float:
        """Share of the counted cases that passed."""
        scored = self.scored
        return sum(s.passed for s in scored) / len(scored) if scored else 0.0

    @property
    def expected_cited(self) -> float:
        """Share of the records the cases expect that the answers cited."""
        expected = sum(s.expected_records for s in self.scored)
        return sum(s.expected_cited for s in self.scored) / expected if expected else 1.0

    @property
    def citation_precision(self) -> float:
        """Share of citations that point at a real record of their kind."""
        total = sum(s.citations for s in self.scores)
        return sum(s.valid_citations for s in self.scores) / total if total else 1.0

    @property
    def hallucinated(self) -> int:
        """Entities named without evidence, over all answers."""
        return sum(len(s.hallucinated) for s in self.scores)

    @property
    def intent_accuracy(self) -> float:
        """Share of the counted cases that ran the expected skill (or refused as expected)."""
        scored = self.scored
        return sum(s.intent_correct for s in scored) / len(scored) if scored else 0.0

    def traces(self) -> list[Trace]:
        """How each counted answer was made (for the model figures)."""
        return [s.answer.trace for s in self.scored if s.answer is not None]

    def latency(self, quantile: float) -> float:
        """Latency quantile in milliseconds (0.5 = p50, 0.95 = p95)."""
        values = sorted(s.elapsed_ms for s in self.scored)
        if len(values) < 2:
            return values[0] if values else 0.0
        return statistics.quantiles(values, n=100, method="inclusive")[round(quantile * 100) - 1]

    def by_source(self) -> dict[str, tuple[int, int]]:
        """(passed, total) per case file."""
        found: dict[str, tuple[int, int]] = {}
        for score in self.scored:
            passed, total = found.get(score.case.source, (0, 0))
            found[score.case.source] = (passed + score.passed, total + 1)
        return found


def load_answer_key(path: Path) -> dict[str, Any]:
    """A generated tenant's scenarios.json."""
    if not path.exists():
        raise IdpilotError(
            f"No answer key at {path}: `idpilot eval` runs on the demo tenant "
            "(`idpilot demo` writes scenarios.json next to the snapshot)."
        )
    return json.loads(path.read_text())


def run_evaluation(
    store: Store,
    cases: list[EvalCase],
    answer_key: dict[str, Any],
    model: ChatModel | None = None,
) -> EvalReport:
    """Ask every case's prompt (with the model, when given) and score the answer."""
    copilot = Copilot(store, model=model)
    names = DirectoryNames(store)
    report = EvalReport()
    for case in cases:
        if case.pending:
            report.scores.append(CaseScore(case=case, answer=None, not_yet=True))
            continue
        try:
            resolved = resolve_case(case, answer_key, store)
        except Exception as error:  # a case that cannot be resolved fails, with the reason
            report.scores.append(
                CaseScore(case=case, answer=None, failures=[f"{type(error).__name__}: {error}"])
            )
            continue
        try:
            session = Session()
            for earlier in resolved.after:
                copilot.ask(earlier, session)
            answer = copilot.ask(resolved.prompt, session)
        except Exception as error:  # a crash is a failed case, reported as such
            report.scores.append(
                CaseScore(case=resolved, answer=None, failures=[f"{type(error).__name__}: {error}"])
            )
            continue
        report.scores.append(score_answer(store, resolved, answer, answer_key, names))
    return report
