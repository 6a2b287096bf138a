"""`idpilot demo`: generate the Contoso demo tenant, ingest it, and answer a tour of prompts."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated

import typer

from idpilot.cli.app import StoreOption, app, console, open_store, store_path, user_errors
from idpilot.cli.ask import print_answer
from idpilot.cli.ingest import print_report
from idpilot.copilot.engine import Copilot
from idpilot.evaluation.cases import fill
from idpilot.sources.exports.writers import ExportLayout, export_snapshot
from idpilot.sources.ingest import ingest_folder

DEFAULT_OUT = Path("demo-tenant")
# The tour names people through the answer key, so it follows whatever the generator plants.
TOUR = (
    "Tell me about {persona.alice_johnson.userPrincipalName}",
    "Why did {persona.alice_johnson.displayName} fail to sign in this morning?",
    "Summarize the risk for {persona.bob.displayName} and tell me what to do",
    "Who added {persona.eve.displayName} to Global Administrator?",
    "Which Conditional Access policies conflict?",
    "Anything suspicious in the last 24 hours?",
)


@app.command()
@user_errors
def demo(
    out: Annotated[Path, typer.Option(help="Folder for the generated snapshot.")] = DEFAULT_OUT,
    store: StoreOption = None,
    seed: Annotated[int, typer.Option(help="Random seed: same seed, same tenant.")] = 42,
    users: Annotated[int, typer.Option(help="Number of users.")] = 300,
    days: Annotated[int, typer.Option(help="Days of activity before the snapshot.")] = 30,
    tour: Annotated[bool, typer.Option(help="Answer the tour prompts after ingesting.")] = True,
    export_layout: Annotated[
        ExportLayout | None,
        typer.Option(
            help="Also write the logs as Azure exports them (storage: a diagnostic-settings "
            "storage-account tree; log-analytics: query API results; csv: Log Analytics CSV "
            "exports) in OUT-LAYOUT, and ingest the store from that folder."
        ),
    ] = None,
) -> None:
    """Build the deterministic Contoso demo tenant, ingest it, then answer a tour of prompts."""
    from idpilot.sources.demo import generate_demo_tenant

    target = store if store is not None else out / "contoso.duckdb"
    started = time.perf_counter()
    summary = generate_demo_tenant(out, seed=seed, users=users, days=days)
    console.print(f"Generated the demo tenant in {out} ({time.perf_counter() - started:.1f} s)")
    for stale in (target, target.with_name(target.name + ".wal")):
        stale.unlink(missing_ok=True)  # the demo store is rebuilt from scratch every time
    with open_store(target, read_only=False) as opened:
        report = ingest_folder(opened, out, commit_each_part=True)
        if export_layout is not None:
            exported = out.with_name(f"{out.name}-{export_layout.value}")
            export_snapshot(out, exported, export_layout, opened)
            console.print(f"Wrote the logs as {export_layout.value} exports in {exported}")
    if export_layout is not None:
        for stale in (target, target.with_name(target.name + ".wal")):
            stale.unlink(missing_ok=True)
        with open_store(target, read_only=False) as opened:
            report = ingest_folder(opened, exported, commit_each_part=True)
    print_report(report)
    if not tour:
        return
    key = json.loads(Path(summary.scenarios_path).read_text())
    with open_store(target) as opened:
        copilot = Copilot(opened)
        for template in TOUR:
            prompt = fill(template, key)
            console.rule(f"[bold]{prompt}")
            print_answer(copilot.ask(prompt))
    console.print(
        f"\nStore: {store_path(target)}. Ask your own: idpilot ask --store {target} '...'"
    )
