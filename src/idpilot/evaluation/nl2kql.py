"""Natural language to KQL, scored by execution accuracy on the demo tenant.

Each pair (`nl2kql/pairs.yaml`) is a question in an admin's words and a reference query
written by hand, or `refuse: true` for a question the offline builder is not meant to express.
A question goes through the copilot's offline path (understanding, the planner, the reader of
a request for a query, the builder); it is right when the planned skill is `kql_write` and
its query's result equals the reference's result on the store: the same records when both
return an `Id` column, else the same rows up to the order of columns (column names aside), in
order only when the pair says `ordered`. A refusal pair is right when the answer refuses or says
which part it could not express. The pairs are split once into dev and test halves by
`split.assign_halves` (grouped by kind); tune on dev, report test. With a model (`idpilot eval
--llm`) a question the builder cannot express in full is written by the model as `kql_write`
writes it (`idpilot.kql.model_writer`), or every question when `always` (measured on dev only).
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson
import yaml

from idpilot.evaluation import nl2kql_pairs
from idpilot.store import Store

if TYPE_CHECKING:
    from idpilot.kql.question import KqlQuestion
    from idpilot.llm.client import ChatModel

KQL_TARGET = 0.80
"""Execution accuracy the test half must reach over the kinds the builder covers."""
DEV, TEST = "dev", "test"
_WRITER = "kql_write"
_MAX_PERMUTED_COLUMNS = 6


@dataclass(frozen=True)
class KqlPair:
    """A question, the kind it asks, its hand-written reference query (None: to refuse)."""

    id: str
    question: str
    kind: str
    half: str
    reference: str | None = None
    ordered: bool = False

    @property
    def refuse(self) -> bool:
        """The builder should refuse (or say what it cannot express), not answer."""
        return self.reference is None


@dataclass
class PairResult:
    """What the copilot wrote for one pair, and whether its result matched."""

    pair: KqlPair
    generated: str | None
    correct: bool
    note: str = ""
    source: str | None = None
    """With a model: who wrote the query scored (`model`, `builder`, `none`); None offline
    or when the question did not go to the model."""
    call_latencies_ms: list[float] = field(default_factory=list)
    """The model calls made for this pair (its first draft and each repair), in order."""


@dataclass
class KqlEvalReport:
    """Execution accuracy of a set of pairs, covered kinds and refusals apart."""

    results: list[PairResult] = field(default_factory=list)

    def _share(self, refuse: bool) -> tuple[int, int]:
        chosen = [r for r in self.results if r.pair.refuse is refuse]
        return sum(r.correct for r in chosen), len(chosen)

    @property
    def covered(self) -> tuple[int, int]:
        """(right, total) over pairs with a reference query."""
        return self._share(False)

    @property
    def refusals(self) -> tuple[int, int]:
        """(right, total) over pairs the builder should refuse."""
        return self._share(True)

    @property
    def accuracy(self) -> float:
        """Execution accuracy over the covered pairs."""
        right, total = self.covered
        return right / total if total else 0.0

    @property
    def refusal_accuracy(self) -> float:
        """Share of refusal pairs refused honestly."""
        right, total = self.refusals
        return right / total if total else 0.0

    @property
    def sent_to_model(self) -> int:
        """Pairs whose question went to the model (the builder could not express all of it)."""
        return sum(1 for r in self.results if r.source is not None)

    @property
    def model_written(self) -> int:
        """Pairs whose scored query is the model's (it ran locally, maybe after repairs)."""
        return sum(1 for r in self.results if r.source == "model")

    @property
    def call_latencies_ms(self) -> list[float]:
        """Every model call's latency, pair by pair."""
        return [ms for r in self.results for ms in r.call_latencies_ms]


def pairs_path() -> Path:
    """The shipped question/KQL pairs."""
    return Path(str(resources.files(nl2kql_pairs) / "pairs.yaml"))


def load_pairs(path: Path | None = None, half: str | None = None) -> list[KqlPair]:
    """The pairs of a file (the shipped one by default), of one half when asked."""
    items = yaml.safe_load((path or pairs_path()).read_text(encoding="utf-8")) or []
    pairs = [
        KqlPair(
            id=item["id"],
            question=item["question"],
            kind=item["kind"],
            half=item["half"],
            reference=item.get("reference"),
            ordered=bool(item.get("ordered", False)),
        )
        for item in items
    ]
    return [p for p in pairs if half is None or p.half == half]


def run_nl2kql(
    store: Store,
    pairs: list[KqlPair],
    model: ChatModel | None = None,
    *,
    always: bool = False,
) -> KqlEvalReport:
    """Ask each question and compare what its query returns with the reference's.

    Offline without a model; with one, the question goes through `kql_write`'s model path
    (`idpilot.kql.model_writer`) when the builder cannot express all of it, or always.
    """
    from idpilot.copilot.planner import plan_offline
    from idpilot.kql.model_writer import needs_model
    from idpilot.kql.question import KqlQuestion
    from idpilot.llm.metering import MeteredModel
    from idpilot.skills.registry import default_registry

    registry = default_registry()
    report = KqlEvalReport()
    metered = MeteredModel(model) if model is not None else None
    for pair in pairs:
        plan = plan_offline(store, registry, pair.question, store.captured_at())
        call = next((c for c in plan.calls if c.skill == _WRITER), None)
        if call is None:
            chosen = plan.calls[0].skill if plan.calls else "no skill"
            report.results.append(PairResult(pair, None, False, f"routed to {chosen}"))
            continue
        question = KqlQuestion.model_validate(call.params["question"])
        if metered is not None and (always or needs_model(question)):
            before = len(metered.calls)
            result = _with_model(store, pair, question, metered)
            result.call_latencies_ms = [c.latency_ms for c in metered.calls[before:]]
            report.results.append(result)
        else:
            report.results.append(_offline(store, pair, question))
    return report


def _offline(store: Store, pair: KqlPair, question: KqlQuestion) -> PairResult:
    from idpilot.kql.builder import build_kql

    if question.refusal is not None or pair.refuse:
        honest = question.refusal is not None or bool(question.unexpressed)
        query = None if question.refusal is not None else build_kql(question)
        note = question.refusal or "; ".join(question.unexpressed) or "answered"
        return PairResult(pair, query, pair.refuse and honest, note)
    return _compared(store, pair, build_kql(question))


def _with_model(store: Store, pair: KqlPair, question: KqlQuestion, model: ChatModel) -> PairResult:
    from idpilot.kql.builder import build_kql
    from idpilot.kql.model_writer import write_kql

    fallback = None if question.refusal is not None else build_kql(question)
    written = write_kql(model, store, pair.question, fallback=fallback,
                        left_out=question.unexpressed, tables=[question.table.value])  # fmt: skip
    how = f"{written.source.value}, {written.repairs} repairs"
    source = written.source.value
    if pair.refuse:
        honest = written.query is None or bool(written.unexpressed)
        said = written.refusal or "; ".join(written.unexpressed) or "answered"
        return PairResult(pair, written.query, honest, f"{said} ({how})", source)
    if written.query is None:
        return PairResult(pair, None, False, f"refused: {written.refusal} ({how})", source)
    result = _compared(store, pair, written.query)
    result.note = f"{result.note} ({how})".strip()
    result.source = source
    return result


def _compared(store: Store, pair: KqlPair, query: str) -> PairResult:
    """Whether `query` returns what the pair's reference returns."""
    from idpilot.kql.adapter import run_kql
    from idpilot.kql.errors import KqlQueryError

    try:
        generated = run_kql(store, query)
        reference = run_kql(store, pair.reference or "")
    except KqlQueryError as error:
        return PairResult(pair, query, False, f"error: {error}")
    same = same_result(
        (generated.columns, generated.rows), (reference.columns, reference.rows), pair.ordered
    )
    return PairResult(pair, query, same, "" if same else "different rows")


Table = tuple[list[str], list[tuple[Any, ...]]]


def same_result(generated: Table, reference: Table, ordered: bool) -> bool:
    """The same records (by `Id` when both have one), else the same rows up to column order."""
    (g_columns, g_rows), (r_columns, r_rows) = generated, reference
    if "Id" in g_columns and "Id" in r_columns:
        g_ids = [row[g_columns.index("Id")] for row in g_rows]
        r_ids = [row[r_columns.index("Id")] for row in r_rows]
        return g_ids == r_ids if ordered else Counter(g_ids) == Counter(r_ids)
    if len(g_columns) != len(r_columns) or len(g_rows) != len(r_rows):
        return False
    g_cells = [tuple(_normal(v) for v in row) for row in g_rows]
    r_cells = [tuple(_normal(v) for v in row) for row in r_rows]
    expected = r_cells if ordered else Counter(r_cells)
    for order in _column_orders(g_cells, r_cells, len(g_columns)):
        moved = [tuple(row[i] for i in order) for row in g_cells]
        if (moved if ordered else Counter(moved)) == expected:
            return True
    return False


def _column_orders(
    generated: list[tuple[Any, ...]], reference: list[tuple[Any, ...]], width: int
) -> list[tuple[int, ...]]:
    """Orders of the generated columns whose values, column by column, match the reference's."""

    def values(rows: list[tuple[Any, ...]], column: int) -> Counter[Any]:
        return Counter(row[column] for row in rows)

    if width > _MAX_PERMUTED_COLUMNS:
        return [tuple(range(width))]
    g_values = [values(generated, i) for i in range(width)]
    r_values = [values(reference, i) for i in range(width)]
    return [
        order
        for order in itertools.permutations(range(width))
        if all(g_values[g] == r_values[r] for r, g in enumerate(order))
    ]


def _normal(value: Any) -> Any:
    """A cell compared by value: times as UTC text, numbers as floats, empty text as None."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return round(float(value), 6)
    if value == "":
        return None
    if isinstance(value, dict | list):
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()
    return value
