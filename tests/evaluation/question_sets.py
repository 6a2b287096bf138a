"""Checks shared by the tests of the question sets: the README's skills, cited records that
exist, and an accuracy floor."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from idpilot.evaluation.cases import EvalCase, resolve_case
from idpilot.evaluation.runner import run_evaluation
from idpilot.store import Store
from tests.conftest import DemoTenant

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_skills() -> set[str]:
    """The skills the README's skill table lists."""
    text = README.read_text()
    table = text[text.index("| skill | answers |") :].split("\n\n", 1)[0]
    return set(re.findall(r"^\| `([a-z_]+)` \|", table, flags=re.M))


def cited_ids_missing(
    store: Store, answer_key: dict[str, Any], cases: list[EvalCase]
) -> list[tuple[str, str]]:
    """(case id, record id) for each id a case cites that no table of the store holds."""
    tables = [
        row[0]
        for row in store.con.execute(
            "SELECT table_name FROM information_schema.columns WHERE column_name = 'id' "
            "AND table_schema = 'main' AND table_name NOT LIKE 'AAD%'"
        ).fetchall()
    ]
    return [
        (case.id, record_id)
        for case in cases
        if not case.pending
        for record_id in resolve_case(case, answer_key, store).cite
        if not any(
            store.scalar(f'SELECT count(*) FROM "{table}" WHERE id = ?', [record_id])
            for table in tables
        )
    ]


def assert_floor(
    store: Store, answer_key: dict[str, Any], cases: list[EvalCase], floor: int
) -> None:
    """The set passes at least `floor` cases, cites only real records, names nothing unfound."""
    report = run_evaluation(store, cases, answer_key)
    failing = [f"{s.case.id}: {s.failures}" for s in report.scored if not s.passed]
    assert report.passed >= floor, failing
    assert report.hallucinated == 0 and report.citation_precision == 1.0


def eval_output(args: list[str]) -> str:
    """What `idpilot eval ARGS` prints (the CLI run in process, wide enough not to wrap)."""
    from typer.testing import CliRunner

    import idpilot.cli.evaluate  # noqa: F401  (registers the command on the app)
    from idpilot.cli.app import app

    return CliRunner().invoke(app, ["eval", *args], terminal_width=200).output


def assert_set_runs_on_a_demo_copy(demo: DemoTenant, folder: Path, set_name: str) -> None:
    """`idpilot eval --set SET_NAME` runs on a copy of the demo store beside its answer key.

    No case matches `--only`: the wiring is tested without asking idpilot the questions (a
    fresh set is run once, untuned, by hand; see the README)."""
    import json

    demo.store.con.execute("CHECKPOINT")
    copy = folder / "contoso.duckdb"
    copy.write_bytes(Path(str(demo.store.path)).read_bytes())
    (folder / "scenarios.json").write_text(json.dumps(demo.answer_key))
    output = eval_output(["--store", str(copy), "--set", set_name, "--only", "no-such-case"])
    assert f"{set_name}: accuracy 0.0% (0/0)" in output, output


def assert_set_skipped_without_answer_key(folder: Path, set_name: str) -> None:
    """Without an answer key beside the store, the set is skipped, saying why."""
    output = eval_output(["--store", str(folder / "any.duckdb"), "--set", set_name])
    assert f"{set_name}: skipped" in output and "no answer key" in output


NOT_STORE_KINDS = frozenset({"reportFigure", "doc"})
"""Citations that are not store records: a report's figures (cited by name) and sections of
Microsoft's documentation (cited by URL)."""


def assert_second_tenant_floor(
    store: Store, cases: list[EvalCase], answer_key: dict[str, Any], floor: int
) -> None:
    """The set passes at least `floor` cases, names nothing without evidence, and every store
    record it cites exists."""
    from idpilot.store.queries.evaluation import citable_record_exists

    report = run_evaluation(store, cases, answer_key)
    failing = [f"{s.case.id}: {s.failures}" for s in report.scored if not s.passed]
    assert report.passed >= floor, failing
    assert report.hallucinated == 0, [s.hallucinated for s in report.scores if s.hallucinated]
    unreal = [
        (s.case.id, c.kind, c.id)
        for s in report.scores
        if s.answer is not None
        for c in s.answer.citations
        if c.kind not in NOT_STORE_KINDS and not citable_record_exists(store, c.kind, c.id)
    ]
    assert unreal == []


UNFILLED = re.compile(r"\{(?:persona\.|scenario\.|sql:)")
"""A placeholder left in a resolved case."""


def case_texts(case: EvalCase) -> list[str]:
    """Every text of a case that may hold placeholders."""
    return [case.prompt, *case.after, *case.cite, *case.contains, *case.contains_sql]


def assert_placeholders_resolve(
    store: Store, answer_key: dict[str, Any], cases: list[EvalCase]
) -> None:
    """Every case (but the not-yet ones) resolves fully, and its SQL expectations hold rows."""
    for case in cases:
        if case.pending:
            continue
        resolved = resolve_case(case, answer_key, store)
        filled = case_texts(resolved)
        assert not [t for t in filled if UNFILLED.search(t)], case.id
        assert all(t.strip() for t in filled), case.id
        for sql in resolved.contains_sql:
            assert store.con.execute(sql).fetchall(), (case.id, sql)


def assert_no_name_written_literally(
    store: Store, answer_key: dict[str, Any], cases: list[EvalCase]
) -> None:
    """No person's, group's, app's or policy's name is typed into a case: names come from the
    answer key or SQL, so the set stays true if the generator renames them."""
    people = answer_key["personas"].values()
    names = {p["displayName"] for p in people}
    names |= {p["displayNameAscii"] for p in people if "displayNameAscii" in p}
    for table in ("groups", "applications", "conditionalAccessPolicies"):
        names |= {
            row[0] for row in store.con.execute(f"SELECT displayName FROM {table}").fetchall()
        }
    for case in cases:
        text = " ".join(case_texts(case))
        assert not [n for n in names if n in text], case.id
