"""What every fresh set of the demo tenant must hold, whatever its questions: the file loads in
order with unique ids that no other set uses, every case expects a skill the README lists, a
refusal or a capability not yet built, the header states the snapshot's "now", no name is
written literally, every placeholder resolves, every cited id is a record, the set is registered
in order, listed in the README, run by `idpilot eval` (and skipped without an answer key), and
held to its floor.

Each set's own file (`test_contoso_fresh*_questions.py`) checks its shape (how many questions,
which skills, how many refusals) and what its questions claim about time and names.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

import pytest
import yaml

from idpilot.evaluation.cases import EvalCase, default_case_files, load_cases, resolve_case
from idpilot.evaluation.runner import run_evaluation
from idpilot.evaluation.sets import (
    CONTOSO,
    CONTOSO_FRESH,
    CONTOSO_FRESH2,
    CONTOSO_FRESH3,
    CONTOSO_FRESH4,
    CONTOSO_FRESH5,
    CONTOSO_FRESH6,
    CONTOSO_FRESH7,
    CONTOSO_FRESH8,
    CONTOSO_FRESH9,
    CONTOSO_FRESH10,
    CONTOSO_FRESH11,
    CONTOSO_FRESH12,
    CONTOSO_FRESH13,
    CONTOSO_FRESH14,
    CONTOSO_FRESH15,
    CONTOSO_FRESH_FILES,
    SECOND_TENANT_FILES,
    SET_NAMES,
    contoso_fresh_case_file,
    contoso_fresh_cases,
    second_tenant_cases,
)
from idpilot.store import Store
from idpilot.store.queries.evaluation import citable_record_exists, run_author_query
from tests.conftest import DemoTenant
from tests.evaluation.question_sets import (
    NOT_STORE_KINDS,
    README,
    UNFILLED,
    assert_no_name_written_literally,
    assert_placeholders_resolve,
    assert_set_runs_on_a_demo_copy,
    assert_set_skipped_without_answer_key,
    cited_ids_missing,
    readme_skills,
)

SNAPSHOT_NOW = "2026-11-20T10:00:00Z"
"""The demo snapshot's "now", Friday 2026-11-20 10:00 UTC: every set's time phrases are
written against it."""
HEADER_NOW = re.compile(r"Friday (\d{4}-\d{2}-\d{2} \d{2}:\d{2}) UTC")
ANSWER_KEY_PLACEHOLDER = re.compile(r"\{(?:persona|scenario)\.[\w.]+\}")
PENDING = frozenset({"kql", "policy_draft", "report"})
"""Capabilities a case may still mark as not yet built."""
REFUSALS = ("outOfScope", "ambiguous", "notFound")


class FreshSet(NamedTuple):
    """A fresh set of the demo tenant, the set registered just before it, and what it is held to."""

    name: str
    after: str
    floor: int
    """Cases passed at least."""
    precise_citations: bool
    """Every citation of every answer must be counted precise (the later sets' reports cite
    their figures by name, which citation precision does not count)."""
    directory_names: bool
    """No group's, app's or policy's name is typed either, in any text of a case (its SQL too)."""
    lower_case_names: frozenset[str] | None
    """A persona's name is not typed in lower case either, nor these parts of it alone
    ("surname", "given"); None: the set may type a name in lower case ("the print scanner
    service account")."""


FRESH_SETS = [
    # Measured on 2026-12-06, session 4: 71 of 85 scored on the first, untuned run; tuned since.
    FreshSet(CONTOSO_FRESH, CONTOSO, 85, True, False, None),
    # 56 of 67 on its first, untuned run (written after the session's other changes); a few
    # general changes were made from it since (65 in session 6).
    FreshSet(CONTOSO_FRESH2, CONTOSO_FRESH, 65, True, True, frozenset({"surname"})),
    # 60 of 68 on its first, untuned run; one expectation was then corrected by the data (the
    # answer names the break-glass account by its display name, which the case now accepts like
    # every other person in the set), so idpilot untouched passes 61. After the session's general
    # changes (and the KQL request now answered by kql_write): 64; 65 of 69 once its script
    # question was scored; 67 after session 6's general changes.
    FreshSet(CONTOSO_FRESH3, CONTOSO_FRESH2, 67, True, False, frozenset({"surname", "given"})),
    # 70 of 87 on its first, untuned run; 71 once the Singapore question cited the Singapore
    # sign-in (the scenario's first sign-in is the one from Seattle).
    FreshSet(CONTOSO_FRESH4, CONTOSO_FRESH3, 71, False, True, frozenset()),
    # 67 of 87 on its first, untuned run; no expectation changed the count since.
    FreshSet(CONTOSO_FRESH5, CONTOSO_FRESH4, 67, False, True, frozenset()),
    # 65 of 89 on its first, untuned run; 66 once the weekend's failures left out 700082, which
    # the sign-in records call an expected step of the token lifecycle.
    FreshSet(CONTOSO_FRESH6, CONTOSO_FRESH5, 65, False, True, None),
    # 65 of 94 on its first, untuned run (2026-12-07).
    FreshSet(CONTOSO_FRESH7, CONTOSO_FRESH6, 65, False, True, None),
    # 80 of 98 on its first, untuned run (2026-12-07, session 11).
    FreshSet(CONTOSO_FRESH8, CONTOSO_FRESH7, 80, False, True, None),
    # 79 of 94 on its first, untuned run (2026-12-07, session 11, after that session's changes).
    FreshSet(CONTOSO_FRESH9, CONTOSO_FRESH8, 79, False, True, None),
    # 80 of 96 on its first, untuned run (2026-12-07, session 12).
    FreshSet(CONTOSO_FRESH10, CONTOSO_FRESH9, 80, False, True, None),
    # 51 of 90 on its first, untuned run (2026-12-07, session 12, after that session's first
    # changes): fast chat, pasted exports, hypotheses, corrections.
    FreshSet(CONTOSO_FRESH11, CONTOSO_FRESH10, 51, False, True, None),
    # 76 of 94 on its first, untuned run (2026-12-07, session 13): counts, verdicts,
    # comparisons, absence, the wrong word, two conditions, two questions, relayed requests.
    FreshSet(CONTOSO_FRESH12, CONTOSO_FRESH11, 76, False, True, None),
    # 83 of 97 on its first, untuned run (2026-12-07, session 13, after that session's first
    # changes): an Intune admin's devices, "why not", thresholds, pasted alerts, other languages.
    FreshSet(CONTOSO_FRESH13, CONTOSO_FRESH12, 83, False, True, None),
    # 70 of 94 on its first, untuned run (2026-12-07, session 14): dates in every format,
    # false premises, people by attributes, one field only, several people at once, escalations,
    # on-premises AD words, non-technical stakeholders.
    FreshSet(CONTOSO_FRESH14, CONTOSO_FRESH13, 70, False, True, None),
    # 62 of 96 on its first, untuned run (2026-12-07, session 14, after that session's
    # changes): Graph and PowerShell speak, output formats, stacked limits, purpose, trends,
    # abbreviations, recommendations, three-turn chains.
    FreshSet(CONTOSO_FRESH15, CONTOSO_FRESH14, 62, False, True, None),
]
IDS = [s.name for s in FRESH_SETS]


def _cases(fresh: FreshSet) -> list[EvalCase]:
    return contoso_fresh_cases(fresh.name)


def test_every_fresh_set_of_the_demo_tenant_is_held_here() -> None:
    assert set(IDS) == set(CONTOSO_FRESH_FILES)


@pytest.mark.parametrize("fresh", FRESH_SETS, ids=IDS)
def test_the_file_loads_in_order_with_unique_ids(fresh: FreshSet) -> None:
    raw = yaml.safe_load(contoso_fresh_case_file(fresh.name).read_text())
    raw_ids = [item["id"] for item in raw]
    assert [c.id for c in _cases(fresh)] == raw_ids
    assert not [i for i, n in Counter(raw_ids).items() if n > 1]


@pytest.mark.parametrize("fresh", FRESH_SETS, ids=IDS)
def test_the_ids_do_not_collide_with_any_other_set(fresh: FreshSet) -> None:
    others = {c.id for c in load_cases(default_case_files())}
    for name in CONTOSO_FRESH_FILES:
        if name != fresh.name:
            others |= {c.id for c in contoso_fresh_cases(name)}
    for half in SECOND_TENANT_FILES.values():
        others |= {c.id for c in second_tenant_cases(half)}
    assert not {c.id for c in _cases(fresh)} & others


@pytest.mark.parametrize("fresh", FRESH_SETS, ids=IDS)
def test_every_case_expects_a_listed_skill_a_refusal_or_a_pending_capability(
    fresh: FreshSet,
) -> None:
    skills = readme_skills()
    assert len(skills) >= 25
    for case in _cases(fresh):
        if case.pending:
            assert case.pending in PENDING and case.skill is None, case.id
        elif case.status in REFUSALS:
            assert case.skill is None, case.id
        else:
            assert case.status == "ok" and case.skill in skills, case.id


@pytest.mark.parametrize("fresh", FRESH_SETS, ids=IDS)
def test_the_header_states_the_snapshots_now(demo_tenant: DemoTenant, fresh: FreshSet) -> None:
    header = contoso_fresh_case_file(fresh.name).read_text().split("\n\n- id:", 1)[0]
    match = HEADER_NOW.search(header)
    assert match, "the header must say which Friday is 'now'"
    stated = datetime.strptime(match.group(1), "%Y-%m-%d %H:%M").replace(tzinfo=UTC)
    captured = datetime.fromisoformat(demo_tenant.answer_key["capturedDateTime"])
    assert stated == captured and stated.strftime("%A") == "Friday"
    assert demo_tenant.answer_key["capturedDateTime"] == SNAPSHOT_NOW


def _persona_names(answer_key: dict[str, Any], bare: frozenset[str]) -> set[str]:
    """Every persona's full name in lower case, and the parts of it the set never types alone."""
    personas = answer_key["personas"].values()
    names = {p["displayName"].lower() for p in personas}
    people = [p["displayName"].split() for p in personas if "userPrincipalName" in p]
    if "surname" in bare:
        names |= {words[-1].lower() for words in people if len(words) == 2}
    if "given" in bare:
        names |= {words[0].lower() for words in people if len(words) == 2}
    return names


@pytest.mark.parametrize("fresh", FRESH_SETS, ids=IDS)
def test_no_name_is_written_literally(demo_tenant: DemoTenant, fresh: FreshSet) -> None:
    cases, key = _cases(fresh), demo_tenant.answer_key
    people = [p["displayName"] for p in key["personas"].values()]
    for case in cases:
        text = " ".join([case.prompt, *case.after, *case.cite, *case.contains])
        assert not [n for n in people if n in text], case.id
    if fresh.directory_names:
        assert_no_name_written_literally(demo_tenant.store, key, cases)
    if fresh.lower_case_names is None:
        return
    names = _persona_names(key, fresh.lower_case_names)
    for case in cases:
        text = " ".join([case.prompt, *case.after, *case.cite, *case.contains]).lower()
        text = ANSWER_KEY_PLACEHOLDER.sub("", text)  # "{persona.bob.id}" names no one literally
        assert not [n for n in names if re.search(rf"\b{re.escape(n)}\b", text)], case.id


@pytest.mark.parametrize("fresh", FRESH_SETS, ids=IDS)
def test_every_placeholder_resolves(demo_tenant: DemoTenant, fresh: FreshSet) -> None:
    store, key = demo_tenant.store, demo_tenant.answer_key
    assert_placeholders_resolve(store, key, _cases(fresh))
    for case in _cases(fresh):
        if case.pending:
            continue
        resolved = resolve_case(case, key, store)
        filled = [resolved.prompt, *resolved.after, *resolved.cite, *resolved.contains]
        filled += resolved.not_contains
        assert not [t for t in filled if UNFILLED.search(t)], case.id
        assert all(t.strip() and t != "None" for t in filled), case.id
        for sql in resolved.contains_sql:
            assert run_author_query(store, sql), (case.id, sql)


@pytest.mark.parametrize("fresh", FRESH_SETS, ids=IDS)
def test_every_cited_id_is_a_record(demo_tenant: DemoTenant, fresh: FreshSet) -> None:
    assert cited_ids_missing(demo_tenant.store, demo_tenant.answer_key, _cases(fresh)) == []


@pytest.mark.parametrize("fresh", FRESH_SETS, ids=IDS)
def test_the_set_is_registered_in_order_and_listed(fresh: FreshSet) -> None:
    assert SET_NAMES.index(fresh.name) == SET_NAMES.index(fresh.after) + 1
    assert f"| `{fresh.name}` |" in README.read_text()


@pytest.mark.parametrize("fresh", FRESH_SETS, ids=IDS)
def test_idpilot_eval_runs_the_set(
    demo_tenant: DemoTenant, tmp_path: Path, fresh: FreshSet
) -> None:
    assert_set_runs_on_a_demo_copy(demo_tenant, tmp_path, fresh.name)
    empty = tmp_path / "without-answer-key"
    empty.mkdir()
    assert_set_skipped_without_answer_key(empty, fresh.name)


def _assert_floor(store: Store, key: dict[str, Any], fresh: FreshSet) -> None:
    """The set passes at least its floor, names nothing without evidence, cites only records the
    store holds, and (where asked) every citation counts as precise."""
    report = run_evaluation(store, _cases(fresh), key)
    failing = [f"{s.case.id}: {s.failures}" for s in report.scored if not s.passed]
    assert report.passed >= fresh.floor, failing
    assert report.hallucinated == 0, [s.hallucinated for s in report.scores if s.hallucinated]
    unreal = [
        (s.case.id, c.kind, c.id)
        for s in report.scores
        if s.answer is not None
        for c in s.answer.citations
        if c.kind not in NOT_STORE_KINDS and not citable_record_exists(store, c.kind, c.id)
    ]
    assert unreal == []
    if fresh.precise_citations:
        assert report.citation_precision == 1.0


@pytest.mark.parametrize("fresh", FRESH_SETS, ids=IDS)
def test_the_set_does_not_regress_below_its_floor(demo_tenant: DemoTenant, fresh: FreshSet) -> None:
    _assert_floor(demo_tenant.store, demo_tenant.answer_key, fresh)
