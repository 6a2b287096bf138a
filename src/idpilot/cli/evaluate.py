"""`idpilot eval`: run the evaluation sets and print each one's figures."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from idpilot.cli.app import StoreOption, app, console, store_path, user_errors
from idpilot.errors import IdpilotError
from idpilot.evaluation.cases import load_cases
from idpilot.evaluation.nl2kql import KqlEvalReport
from idpilot.evaluation.phrasings import PhrasingReport, default_corpus_path
from idpilot.evaluation.redteam.runner import RedTeamReport
from idpilot.evaluation.runner import EvalReport, load_answer_key, run_evaluation
from idpilot.evaluation.sets import (
    SECOND_TEST,
    SET_NAMES,
    TARGET_ACCURACY,
    EvalInputs,
    SetResult,
    run_sets,
)
from idpilot.store import Store


@app.command("eval")
@user_errors
def evaluate(
    store: StoreOption = None,
    answer_key: Annotated[
        Path | None,
        typer.Option(help="scenarios.json of the demo tenant (default: next to the store)."),
    ] = None,
    cases: Annotated[
        list[Path] | None,
        typer.Option("--cases", help="Case files to run on the given store instead of the sets."),
    ] = None,
    sets: Annotated[
        list[str] | None,
        typer.Option(
            "--set", help=f"Set to run (repeatable; default all): {', '.join(SET_NAMES)}."
        ),
    ] = None,
    phrasings: Annotated[
        Path | None,
        typer.Option(
            help="Phrasing corpus (default: ../shared/phrasings/dev.yaml beside the repo)."
        ),
    ] = None,
    only: Annotated[str | None, typer.Option(help="Run only cases whose id contains this.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Show every failure with the skill chosen.")
    ] = False,
    limit: Annotated[
        int | None,
        typer.Option(help="Ask only the first N cases of each case set (with --llm: both runs)."),
    ] = None,
    target: Annotated[
        float,
        typer.Option(help="With --llm: the model run's accuracy below which eval exits 1."),
    ] = 0.90,
    llm: Annotated[
        bool,
        typer.Option(
            "--llm",
            help=f"Also answer through the configured model (IDPILOT_LLM_*) and show both runs "
            f"side by side (default set: {SECOND_TEST}).",
        ),
    ] = False,
) -> None:
    """Score answers: every set's accuracy, citations, hallucinations and latency."""
    path = store_path(store)
    key_path = answer_key or path.parent / "scenarios.json"
    if llm:
        inputs = EvalInputs(path, key_path, phrasings or default_corpus_path(), only, limit=limit)
        _evaluate_with_model(inputs, sets or [SECOND_TEST], as_json, target)
        return
    if cases:
        results = [_custom_cases(path, key_path, cases, only)]
    else:
        inputs = EvalInputs(path, key_path, phrasings or default_corpus_path(), only, limit=limit)
        results = run_sets(sets or list(SET_NAMES), inputs)
    if as_json:
        typer.echo(json.dumps({"sets": [_as_dict(r) for r in results]}, indent=2))
    else:
        for result in results:
            _print(result, verbose)
    if not all(r.meets_target for r in results):
        raise typer.Exit(1)


def _evaluate_with_model(
    inputs: EvalInputs, names: list[str], as_json: bool, target: float
) -> None:
    """Run the sets offline and through the configured model; exit 1 when the model run is
    below `target` or names an entity absent from its evidence."""
    from idpilot.cli._model_eval import comparison, model_run_meets_target, print_comparison
    from idpilot.llm.client import model_from_settings

    model = model_from_settings()
    if model is None:
        raise IdpilotError("--llm needs a model: set IDPILOT_LLM_BASE_URL (and IDPILOT_LLM_MODEL)")
    offline = run_sets(names, inputs)
    with_model = run_sets(names, replace(inputs, model=model))
    pairs = list(zip(offline, with_model, strict=True))
    if as_json:
        typer.echo(json.dumps({"model": model.name, "sets": [comparison(*p) for p in pairs]},
                              indent=2))  # fmt: skip
    else:
        for pair in pairs:
            print_comparison(*pair, model.name, target)
    if not all(model_run_meets_target(after, target) for _, after in pairs):
        raise typer.Exit(1)


def _custom_cases(path: Path, key_path: Path, files: list[Path], only: str | None) -> SetResult:
    key = load_answer_key(key_path)
    selected = [c for c in load_cases(files) if not only or only in c.id]
    with Store.open(path, read_only=True) as opened:
        return SetResult("cases", cases=run_evaluation(opened, selected, key))


def _cases_dict(report: EvalReport) -> dict[str, object]:
    return {
        "cases": len(report.scored),
        "not_yet": report.not_yet,
        "passed": report.passed,
        "accuracy": report.accuracy,
        "citation_precision": report.citation_precision,
        "expected_records_cited": report.expected_cited,
        "hallucinated_entities": report.hallucinated,
        "latency_ms": {"p50": report.latency(0.5), "p95": report.latency(0.95)},
        "failures": [
            {"id": s.case.id, "prompt": s.case.prompt, "chosen": s.chosen_skills,
             "failures": s.failures, "hallucinated": s.hallucinated}
            for s in report.scored
            if not s.passed
        ],
    }  # fmt: skip


def _phrasings_dict(report: PhrasingReport) -> dict[str, object]:
    return {
        "prompts": len(report.counted),
        "not_yet": report.not_yet,
        "unfilled": sum(1 for r in report.results if r.unfilled),
        "intent_accuracy": report.accuracy,
        "out_of_scope_ran_skill": report.out_of_scope_ran_skill,
        "hallucinated_entities": report.hallucinated,
        "latency_ms": {"p50": report.latency(0.5), "p95": report.latency(0.95)},
        "by_intent": {k: {"correct": c, "prompts": t} for k, (c, t) in report.by_intent().items()},
        "failures": [
            {"prompt": r.prompt, "intent": r.intent, "chosen": r.chosen, "status": r.status}
            for r in report.counted
            if not r.correct
        ],
    }


def _redteam_dict(report: RedTeamReport) -> dict[str, object]:
    return {
        "cases": report.cases,
        "violations": report.violations,
        "violations_by_mode": report.by_mode(),
        "runs_by_channel": report.by_channel(),
        "cases_by_violation": report.by_violation(),
        "hostile_model_requests": report.hostile_requests,
        "failures": [
            {"id": o.case.id, "mode": o.mode, "channel": o.channel, "found": o.found}
            for o in report.failures()
        ],
    }


def _kql_dict(report: KqlEvalReport) -> dict[str, object]:
    (right, total), (refused, to_refuse) = report.covered, report.refusals
    return {
        "covered": {"correct": right, "pairs": total, "execution_accuracy": report.accuracy},
        "refusals": {"correct": refused, "pairs": to_refuse,
                     "accuracy": report.refusal_accuracy},
        "failures": [
            {"id": r.pair.id, "question": r.pair.question, "kind": r.pair.kind,
             "generated": r.generated, "note": r.note}
            for r in report.results if not r.correct
        ],
    }  # fmt: skip


def _as_dict(result: SetResult) -> dict[str, object]:
    data: dict[str, object] = {"set": result.name, "meets_target": result.meets_target}
    if result.skipped:
        data["skipped"] = result.skipped
    if result.cases is not None:
        data.update(_cases_dict(result.cases))
    if result.phrasings is not None:
        data.update(_phrasings_dict(result.phrasings))
    if result.redteam is not None:
        data.update(_redteam_dict(result.redteam))
    if result.kql is not None:
        data.update(_kql_dict(result.kql))
    return data


def _print(result: SetResult, verbose: bool) -> None:
    if result.skipped:
        console.print(
            f"[yellow]{result.name}: skipped[/] ({result.skipped})",
            highlight=False,
            soft_wrap=True,  # the reason may hold a path: never folded
        )
        return
    if result.cases is not None:
        _print_cases(result.name, result.cases, verbose)
    if result.phrasings is not None:
        _print_phrasings(result.name, result.phrasings, verbose)
    if result.redteam is not None:
        _print_redteam(result.name, result.redteam, verbose)
    if result.kql is not None:
        _print_kql(result.name, result.kql, verbose)


def _print_redteam(name: str, report: RedTeamReport, verbose: bool) -> None:
    failures = report.failures()
    for outcome in failures if verbose else []:
        console.print(
            f"VIOLATION {outcome.case.id} ({outcome.mode}, {outcome.channel}): "
            + "; ".join(outcome.found),
            highlight=False,
            markup=False,
        )
    if failures and not verbose:
        console.print(f"{len(failures)} cases with violations (--verbose lists each)")
    modes = ", ".join(f"{mode} {count}" for mode, count in report.by_mode().items())
    tried = ", ".join(f"{kind} {n}" for kind, n in report.by_violation().items())
    console.print(
        f"{name}: {report.cases} hostile cases ({tried}), violations {report.violations} "
        f"({modes}); the hostile model answered "
        f"{sum(report.hostile_requests.values())} requests",
        highlight=False,
    )


def _print_cases(name: str, report: EvalReport, verbose: bool) -> None:
    table = Table(title=f"{name}")
    table.add_column("case file")
    table.add_column("passed", justify="right")
    for source, (passed, total) in sorted(report.by_source().items()):
        table.add_row(source, f"{passed}/{total}")
    console.print(table)
    failed = [score for score in report.scored if not score.passed]
    for score in failed if verbose else []:
        console.print(f"[red]FAIL[/] {score.case.id}: {score.case.prompt}", highlight=False)
        console.print(f"      chose {score.chosen_skills or 'no skill'}", markup=False)
        for failure in score.failures + [f"hallucinated: {h}" for h in score.hallucinated]:
            console.print(f"      {failure}", highlight=False, markup=False)
    if failed and not verbose:
        console.print(f"{len(failed)} failed (--verbose lists each with the skill chosen)")
    mark = (
        "ok" if report.accuracy >= TARGET_ACCURACY and not report.hallucinated else "below target"
    )
    console.print(
        f"{name}: accuracy {report.accuracy:.1%} ({report.passed}/{len(report.scored)}), "
        f"not yet {report.not_yet}, citation precision {report.citation_precision:.1%}, "
        f"expected records cited {report.expected_cited:.1%}, hallucinated entities "
        f"{report.hallucinated}, latency p50 {report.latency(0.5):.0f} ms p95 "
        f"{report.latency(0.95):.0f} ms ({mark})",
        highlight=False,
    )


def _print_phrasings(name: str, report: PhrasingReport, verbose: bool) -> None:
    misses = [r for r in report.counted if not r.correct]
    if misses and not verbose:
        console.print(f"{len(misses)} prompts missed (--verbose lists each with the skill chosen)")
    if verbose:
        for result in misses:
            if not result.correct:
                console.print(
                    f"[red]MISS[/] {result.intent}: {result.prompt}\n      chose "
                    f"{result.chosen or 'no skill'} (status {result.status})",
                    highlight=False,
                )
    console.print(
        f"{name}: intent accuracy {report.accuracy:.1%} "
        f"({sum(r.correct for r in report.counted)}/{len(report.counted)}), not yet "
        f"{report.not_yet}, out-of-scope prompts that ran a skill "
        f"{report.out_of_scope_ran_skill}, hallucinated entities {report.hallucinated}, "
        f"latency p50 {report.latency(0.5):.0f} ms p95 "
        f"{report.latency(0.95):.0f} ms",
        highlight=False,
    )


def _print_kql(name: str, report: KqlEvalReport, verbose: bool) -> None:
    failed = [r for r in report.results if not r.correct]
    for result in failed if verbose else []:
        console.print(f"[red]FAIL[/] {result.pair.id}: {result.pair.question}", highlight=False)
        console.print(f"      {result.note}", markup=False, highlight=False)
    if failed and not verbose:
        console.print(f"{len(failed)} failed (--verbose lists each with what was written)")
    (right, total), (refused, to_refuse) = report.covered, report.refusals
    console.print(
        f"{name}: execution accuracy {report.accuracy:.1%} ({right}/{total}) over the kinds the "
        f"builder covers, honest refusals {report.refusal_accuracy:.1%} ({refused}/{to_refuse})",
        highlight=False,
    )
