"""What answering with a model cost and did, over a set: steps, tokens, latency, fallbacks.

Read from each answer's trace (`copilot.trace.Trace`), so offline and model runs report one
shape; `idpilot eval --llm` prints these beside the accuracy figures of both runs.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from idpilot.copilot.trace import StepOrigin, Trace


def quantile(values: Sequence[float], q: float) -> float:
    """The q-quantile of the values (0 when there are none)."""
    ordered = sorted(values)
    if len(ordered) < 2:
        return ordered[0] if ordered else 0.0
    return statistics.quantiles(ordered, n=100, method="inclusive")[round(q * 100) - 1]


@dataclass(frozen=True)
class ModelFigures:
    """Per-answer means and totals over the traces of one set's answers."""

    answers: int
    steps_per_answer: float
    model_steps: int
    """Skills the model called in the agent loop (beyond the plan's)."""
    model_calls_per_answer: float
    tokens_per_answer: float
    call_latency_p50_ms: float
    call_latency_p95_ms: float
    planned_by_model: int
    fallbacks: int
    """Answers planned offline because the model's reading failed, was invalid or doubtful."""
    failed_calls: int
    composed: int
    """Answers whose direct answer and summary the model wrote (kept by grounding)."""
    rejected: int
    """Model texts or further results the grounding check kept out."""

    @classmethod
    def of(cls, traces: Sequence[Trace]) -> ModelFigures:
        """The figures of these traces."""
        count = max(len(traces), 1)
        calls = [call for trace in traces for call in trace.model_calls]
        latencies = [call.latency_ms for call in calls]
        return cls(
            answers=len(traces),
            steps_per_answer=sum(len(t.steps) for t in traces) / count,
            model_steps=sum(1 for t in traces for s in t.steps if s.origin is StepOrigin.model),
            model_calls_per_answer=len(calls) / count,
            tokens_per_answer=sum(t.total_tokens for t in traces) / count,
            call_latency_p50_ms=quantile(latencies, 0.5),
            call_latency_p95_ms=quantile(latencies, 0.95),
            planned_by_model=sum(1 for t in traces if t.planner == "model"),
            fallbacks=sum(1 for t in traces if t.fallback),
            failed_calls=sum(1 for call in calls if call.failed),
            composed=sum(1 for t in traces if t.grounding.model_text),
            rejected=sum(len(t.grounding.rejected) for t in traces),
        )
