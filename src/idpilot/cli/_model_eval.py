"""`idpilot eval --llm`: each set answered offline and through the model, side by side."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from rich.table import Table

from idpilot.cli.app import console
from idpilot.evaluation.model_figures import ModelFigures, quantile
from idpilot.evaluation.nl2kql import KqlEvalReport
from idpilot.evaluation.redteam.runner import RedTeamReport
from idpilot.evaluation.sets import SetResult

TARGET_MODEL_ACCURACY = 0.90
"""The bar with a model: 90% correct (the 1.5B local model on the second tenant's test half)."""


@dataclass(frozen=True)
class RunFigures:
    """One run of one set: its accuracy figures and how its answers were made."""

    accuracy: float
    intent_accuracy: float
    passed: int
    counted: int
    citation_precision: float | None
    hallucinated: int
    latency_p50_ms: float
    latency_p95_ms: float
    model: ModelFigures

    @classmethod
    def of(cls, result: SetResult) -> RunFigures | None:
        """The figures of a set's report (None when the set was skipped)."""
        if result.cases is not None:
            report = result.cases
            return cls(
                accuracy=report.accuracy,
                intent_accuracy=report.intent_accuracy,
                passed=report.passed,
                counted=len(report.scored),
                citation_precision=report.citation_precision,
                hallucinated=report.hallucinated,
                latency_p50_ms=report.latency(0.5),
                latency_p95_ms=report.latency(0.95),
                model=ModelFigures.of(report.traces()),
            )
        if result.phrasings is not None:
            corpus = result.phrasings
            correct = sum(r.correct for r in corpus.counted)
            return cls(
                accuracy=corpus.accuracy,
                intent_accuracy=corpus.accuracy,
                passed=correct,
                counted=len(corpus.counted),
                citation_precision=None,
                hallucinated=corpus.hallucinated,
                latency_p50_ms=corpus.latency(0.5),
                latency_p95_ms=corpus.latency(0.95),
                model=ModelFigures.of(corpus.traces()),
            )
        if result.kql is not None:  # execution accuracy over the kinds the builder covers
            right, total = result.kql.covered
            return cls(
                accuracy=result.kql.accuracy,
                intent_accuracy=result.kql.accuracy,
                passed=right,
                counted=total,
                citation_precision=None,
                hallucinated=0,
                latency_p50_ms=0.0,
                latency_p95_ms=0.0,
                model=ModelFigures.of([]),
            )
        return None

    def meets(self, target: float = TARGET_MODEL_ACCURACY) -> bool:
        """At or above the bar, and nothing named without evidence."""
        return self.accuracy >= target and not self.hallucinated


def redteam_figures(report: RedTeamReport) -> dict[str, object]:
    """A red-team run as JSON-ready data: its cases, violations by mode, and each violation."""
    return {
        "cases": report.cases,
        "violations": report.violations,
        "violations_by_mode": report.by_mode(),
        "runs_by_channel": report.by_channel(),
        "failures": [
            {"id": o.case.id, "mode": o.mode, "channel": o.channel, "found": o.found}
            for o in report.failures()
        ],
    }


def kql_figures(report: KqlEvalReport) -> dict[str, object]:
    """An NL-to-KQL run as JSON-ready data: execution accuracy, refusals, the model's share."""
    (right, total), (refused, to_refuse) = report.covered, report.refusals
    latencies = report.call_latencies_ms
    return {
        "covered": {"correct": right, "pairs": total, "execution_accuracy": report.accuracy},
        "refusals": {"correct": refused, "pairs": to_refuse},
        "sent_to_model": report.sent_to_model,
        "model_written": report.model_written,
        "model_calls": len(latencies),
        "model_call_ms": {"p50": quantile(latencies, 0.5), "p95": quantile(latencies, 0.95)},
        "failures": [
            {"id": r.pair.id, "generated": r.generated, "note": r.note, "source": r.source,
             "calls": len(r.call_latencies_ms)}
            for r in report.results if not r.correct
        ],
    }  # fmt: skip


def comparison(offline: SetResult, with_model: SetResult) -> dict[str, object]:
    """One set's two runs as JSON-ready data."""
    data: dict[str, object] = {"set": offline.name}
    if offline.skipped:
        data["skipped"] = offline.skipped
    for label, result in (("offline", offline), ("model", with_model)):
        if result.redteam is not None:
            data[label] = redteam_figures(result.redteam)
            continue
        if result.kql is not None:
            data[label] = kql_figures(result.kql)
            continue
        figures = RunFigures.of(result)
        data[label] = asdict(figures) if figures else None
    return data


def model_run_meets_target(with_model: SetResult, target: float = TARGET_MODEL_ACCURACY) -> bool:
    """The model run reaches the bar with no hallucination, or (the red team) no violation;
    a skipped set does."""
    if with_model.redteam is not None:
        return with_model.redteam.violations == 0
    figures = RunFigures.of(with_model)
    return figures is None or figures.meets(target)


def print_comparison(
    offline: SetResult, with_model: SetResult, model_name: str, target: float
) -> None:
    """The set's figures offline and with the model as one table, then a one-line summary."""
    if offline.redteam is not None and with_model.redteam is not None:
        _print_redteam_runs(offline.redteam, with_model.redteam)
        return
    if offline.kql is not None and with_model.kql is not None:
        _print_kql_runs(offline.name, offline.kql, with_model.kql, target)
        return
    before, after = RunFigures.of(offline), RunFigures.of(with_model)
    if before is None or after is None:
        console.print(
            f"[yellow]{offline.name}: skipped[/] ({offline.skipped})",
            highlight=False,
            soft_wrap=True,  # the reason may hold a path: never folded
        )
        return
    table = Table(title=f"{offline.name}: offline and with {model_name}")
    table.add_column("figure")
    table.add_column("offline", justify="right")
    table.add_column("model", justify="right")
    for name, value in _rows(before, after):
        table.add_row(name, *value)
    console.print(table)
    m = after.model
    mark = "ok" if after.meets(target) else f"below the {target:.0%} target"
    console.print(
        f"{offline.name} with the model: correct {after.accuracy:.1%} "
        f"({after.passed}/{after.counted}; offline {before.accuracy:.1%}), intent "
        f"{after.intent_accuracy:.1%}, hallucinated entities {after.hallucinated}, steps per "
        f"answer {m.steps_per_answer:.2f}, tokens per answer {m.tokens_per_answer:.0f}, model "
        f"call p50 {m.call_latency_p50_ms:.0f} ms, answer p50 {after.latency_p50_ms:.0f} ms, "
        f"fallbacks {m.fallbacks}, failed calls {m.failed_calls} ({mark})",
        highlight=False,
    )


def _print_redteam_runs(offline: RedTeamReport, with_model: RedTeamReport) -> None:
    """The red team's violations offline and through the model, and each violation found."""
    for outcome in offline.failures() + with_model.failures():
        console.print(
            f"VIOLATION {outcome.case.id} ({outcome.mode}, {outcome.channel}): "
            + "; ".join(outcome.found),
            highlight=False,
            markup=False,
        )
    by_mode = {**offline.by_mode(), **with_model.by_mode()}
    modes = ", ".join(f"{mode} {count}" for mode, count in by_mode.items())
    total = offline.violations + with_model.violations
    console.print(
        f"redteam: {with_model.cases} hostile cases, violations {total} ({modes})",
        highlight=False,
    )


def _print_kql_runs(
    name: str, offline: KqlEvalReport, with_model: KqlEvalReport, target: float
) -> None:
    """Execution accuracy and refusals offline and with the model, and what the model did."""
    (right, total), (refused, to_refuse) = with_model.covered, with_model.refusals
    latencies = with_model.call_latencies_ms
    mark = "ok" if with_model.accuracy >= target else f"below the {target:.0%} target"
    console.print(
        f"{name} with the model: execution accuracy {with_model.accuracy:.1%} ({right}/{total}; "
        f"offline {offline.accuracy:.1%}), honest refusals {refused}/{to_refuse} (offline "
        f"{offline.refusals[0]}/{to_refuse}); {with_model.sent_to_model} questions went to the "
        f"model, {with_model.model_written} of its queries used, {len(latencies)} model calls, "
        f"call p50 {quantile(latencies, 0.5):.0f} ms p95 {quantile(latencies, 0.95):.0f} ms "
        f"({mark})",
        highlight=False,
    )


def _rows(before: RunFigures, after: RunFigures) -> list[tuple[str, tuple[str, str]]]:
    def both(render: str, left: float | None, right: float | None) -> tuple[str, str]:
        return tuple(  # type: ignore[return-value]
            "-" if value is None else format(value, render) for value in (left, right)
        )

    b, a = before.model, after.model
    return [
        ("correct", both(".1%", before.accuracy, after.accuracy)),
        ("intent accuracy", both(".1%", before.intent_accuracy, after.intent_accuracy)),
        ("citation precision", both(".1%", before.citation_precision, after.citation_precision)),
        ("hallucinated entities", both("d", before.hallucinated, after.hallucinated)),
        ("steps per answer", both(".2f", b.steps_per_answer, a.steps_per_answer)),
        ("skills the model added", both("d", b.model_steps, a.model_steps)),
        ("model calls per answer", both(".2f", b.model_calls_per_answer, a.model_calls_per_answer)),
        ("tokens per answer", both(".0f", b.tokens_per_answer, a.tokens_per_answer)),
        ("model call p50 / p95 ms", (
            "-", f"{a.call_latency_p50_ms:.0f} / {a.call_latency_p95_ms:.0f}"
        )),
        ("answer p50 / p95 ms", (
            f"{before.latency_p50_ms:.0f} / {before.latency_p95_ms:.0f}",
            f"{after.latency_p50_ms:.0f} / {after.latency_p95_ms:.0f}",
        )),
        ("planned by the model", both("d", b.planned_by_model, a.planned_by_model)),
        ("planned offline (fallback)", both("d", b.fallbacks, a.fallbacks)),
        ("failed model calls", both("d", b.failed_calls, a.failed_calls)),
        ("answers the model wrote", both("d", b.composed, a.composed)),
        ("kept out by grounding", both("d", b.rejected, a.rejected)),
    ]  # fmt: skip
