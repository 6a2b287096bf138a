"""`idpilot eval`: run the evaluation set on the demo tenant and print the scores."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from idpilot.cli.app import StoreOption, app, console, open_store, store_path, user_errors
from idpilot.evaluation.cases import default_case_files, load_cases
from idpilot.evaluation.runner import EvalReport, load_answer_key, run_evaluation

TARGET_ACCURACY = 0.95


@app.command("eval")
@user_errors
def evaluate(
    store: StoreOption = None,
    answer_key: Annotated[
        Path | None,
        typer.Option(help="scenarios.json of the demo tenant (default: next to the store)."),
    ] = None,
    cases: Annotated[
        list[Path] | None, typer.Option("--cases", help="Case files (default: the built-in set).")
    ] = None,
    only: Annotated[str | None, typer.Option(help="Run only cases whose id contains this.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="List every case.")] = False,
) -> None:
    """Score answers on the demo tenant: accuracy, citation precision, hallucinations, latency."""
    key = load_answer_key(answer_key or store_path(store).parent / "scenarios.json")
    selected = load_cases(cases or default_case_files())
    if only:
        selected = [c for c in selected if only in c.id]
    with open_store(store) as opened:
        report = run_evaluation(opened, selected, key)
    if as_json:
        typer.echo(json.dumps(_as_dict(report), indent=2))
    else:
        _print(report, verbose)
    if report.accuracy < TARGET_ACCURACY or report.hallucinated:
        raise typer.Exit(1)


def _as_dict(report: EvalReport) -> dict[str, object]:
    return {
        "cases": len(report.scores),
        "accuracy": report.accuracy,
        "citation_precision": report.citation_precision,
        "hallucinated_entities": report.hallucinated,
        "latency_ms": {"p50": report.latency(0.5), "p95": report.latency(0.95)},
        "failures": [
            {"id": s.case.id, "prompt": s.case.prompt, "failures": s.failures,
             "hallucinated": s.hallucinated}
            for s in report.scores
            if not s.passed
        ],
    }  # fmt: skip


def _print(report: EvalReport, verbose: bool) -> None:
    table = Table(title="idpilot evaluation")
    table.add_column("case file")
    table.add_column("passed", justify="right")
    for source, (passed, total) in sorted(report.by_source().items()):
        table.add_row(source, f"{passed}/{total}")
    console.print(table)
    for score in report.scores:
        if verbose or not score.passed:
            mark = "[green]pass[/]" if score.passed else "[red]FAIL[/]"
            console.print(f"{mark} {score.case.id}: {score.case.prompt}", highlight=False)
            for failure in score.failures + [f"hallucinated: {h}" for h in score.hallucinated]:
                console.print(f"      {failure}", highlight=False, markup=False)
    console.print(
        f"accuracy {report.accuracy:.1%} ({sum(s.passed for s in report.scores)}/"
        f"{len(report.scores)}), citation precision {report.citation_precision:.1%}, "
        f"hallucinated entities {report.hallucinated}, latency p50 {report.latency(0.5):.0f} ms "
        f"p95 {report.latency(0.95):.0f} ms"
    )
