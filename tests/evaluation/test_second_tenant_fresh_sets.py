"""What every later fresh set of the second tenant must hold, whatever its questions: a name
comes from the answer key or SQL, every placeholder resolves, every cited id is a record, the
set is registered in order, listed in the README, run by `idpilot eval`, and held to its floor.

Each set's own file checks its shape (how many questions, which skills, how many refusals).
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import pytest

from idpilot.evaluation.sets import (
    SECOND_FRESH,
    SECOND_FRESH2,
    SECOND_FRESH3,
    SECOND_FRESH4,
    SECOND_FRESH5,
    SECOND_FRESH6,
    SECOND_FRESH7,
    SECOND_FRESH8,
    SECOND_FRESH9,
    SECOND_FRESH10,
    SECOND_FRESH11,
    SECOND_FRESH12,
    SECOND_FRESH13,
    SECOND_FRESH14,
    SECOND_FRESH15,
    SECOND_FRESH16,
    SECOND_FRESH17,
    SECOND_TENANT_FILES,
    SET_NAMES,
    second_tenant_case_file,
    second_tenant_cases,
)
from tests.evaluation.conftest import SecondTenant
from tests.evaluation.question_sets import (
    README,
    assert_no_name_written_literally,
    assert_placeholders_resolve,
    assert_second_tenant_floor,
    cited_ids_missing,
    eval_output,
)


class FreshSet(NamedTuple):
    """A fresh set, the set registered just before it, one refusal to run, and its floor."""

    name: str
    after: str
    refusal: str
    floor: int | None
    """Cases passed at least (None: held by the second-tenant evaluation test)."""


FRESH_SETS = [
    FreshSet(SECOND_FRESH2, SECOND_FRESH, "vk2-oos-weather", None),
    # 70 of 80 untuned; 79 after session 6's general changes made from its failures; 78 since
    # session 7's linear reading of intent, which answered 8 more of the two newest untuned
    # sets' 179 questions and left one close call here unsure (MFA fatigue vs a failed sign-in).
    FreshSet(SECOND_FRESH3, SECOND_FRESH2, "vk3-oos-haiku", 78),
    # 61 of 75 untuned (62 with one expectation corrected by the data); 74 after session 6's
    # general changes (surnames alone, a policy's code, "not guests", a script's audit actor);
    # 73 since session 7's linear reading (one close call, a user's roles, now asked about).
    FreshSet(SECOND_FRESH4, SECOND_FRESH3, "vk4-oos-poem", 73),
    # 74 of 92 untuned; no expectation needed correcting by the data.
    FreshSet(SECOND_FRESH5, SECOND_FRESH4, "vk5-oos-weather", 74),
    # 73 of 89 untuned; 75 with two expectations corrected by the data.
    FreshSet(SECOND_FRESH6, SECOND_FRESH5, "vk6-oos-weather", 73),
    # 60 of 92 untuned; 63 after two corrections of its expectations by the data.
    FreshSet(SECOND_FRESH7, SECOND_FRESH6, "vk7-oos-rugged-laptop", 60),
    # 76 of 94 untuned; no expectation needed correcting by the data.
    FreshSet(SECOND_FRESH8, SECOND_FRESH7, "vk8-oos-meeting-room", 76),
    # 75 of 94 untuned; no expectation needed correcting by the data.
    FreshSet(SECOND_FRESH9, SECOND_FRESH8, "vk9-oos-printer", 75),
    # 68 of 93 untuned (2026-12-07, session 11).
    FreshSet(SECOND_FRESH10, SECOND_FRESH9, "vk10-oos-vacation-days", 68),
    # 63 of 93 untuned (2026-12-07, session 11, after that session's changes).
    FreshSet(SECOND_FRESH11, SECOND_FRESH10, "vk11-oos-restart-historian", 63),
    # 77 of 94 untuned (2026-12-07, session 12).
    FreshSet(SECOND_FRESH12, SECOND_FRESH11, "vk12-oos-rota", 77),
    # 65 of 94 untuned (2026-12-07, session 12, after that session's first changes).
    FreshSet(SECOND_FRESH13, SECOND_FRESH12, "vk13-oos-weather-fast", 65),
    # 67 of 95 untuned (2026-12-07, session 13, in the voices of contoso-fresh12).
    FreshSet(SECOND_FRESH14, SECOND_FRESH13, "vk14-oos-christmas-menu", 67),
    # 79 of 97 untuned (2026-12-07, session 13, after that session's first changes, in the
    # voices of contoso-fresh13).
    FreshSet(SECOND_FRESH15, SECOND_FRESH14, "vk15-oos-weather", 79),
    # 75 of 94 untuned (2026-12-07, session 14, in the voices of contoso-fresh14).
    FreshSet(SECOND_FRESH16, SECOND_FRESH15, "vk16-oos-canteen-menu", 75),
    # 65 of 94 untuned (2026-12-07, session 14, after that session's changes, in the voices of
    # contoso-fresh15).
    FreshSet(SECOND_FRESH17, SECOND_FRESH16, "vk17-oos-coating", 65),
]
IDS = [s.name for s in FRESH_SETS]


def _cases(fresh: FreshSet):
    return second_tenant_cases(SECOND_TENANT_FILES[fresh.name])


@pytest.mark.parametrize("fresh", FRESH_SETS, ids=IDS)
def test_no_name_is_written_literally(second_tenant: SecondTenant, fresh: FreshSet) -> None:
    assert_no_name_written_literally(second_tenant.store, second_tenant.answer_key, _cases(fresh))


@pytest.mark.parametrize("fresh", FRESH_SETS, ids=IDS)
def test_every_placeholder_resolves(second_tenant: SecondTenant, fresh: FreshSet) -> None:
    assert_placeholders_resolve(second_tenant.store, second_tenant.answer_key, _cases(fresh))


@pytest.mark.parametrize("fresh", FRESH_SETS, ids=IDS)
def test_every_cited_id_is_a_record(second_tenant: SecondTenant, fresh: FreshSet) -> None:
    store, key = second_tenant.store, second_tenant.answer_key
    assert cited_ids_missing(store, key, _cases(fresh)) == []


@pytest.mark.parametrize("fresh", FRESH_SETS, ids=IDS)
def test_the_header_states_the_snapshots_now(second_tenant: SecondTenant, fresh: FreshSet) -> None:
    header = second_tenant_case_file(SECOND_TENANT_FILES[fresh.name]).read_text()
    first = header.split("\n\n", 1)[0].replace("#", " ")
    assert "20 November 2026" in " ".join(first.split())
    assert second_tenant.answer_key["capturedDateTime"] == "2026-11-20T17:30:00Z"


@pytest.mark.parametrize("fresh", FRESH_SETS, ids=IDS)
def test_the_set_is_registered_in_order_and_listed(fresh: FreshSet) -> None:
    assert SET_NAMES.index(fresh.name) == SET_NAMES.index(fresh.after) + 1
    assert SECOND_TENANT_FILES[fresh.name] == fresh.name.removeprefix("vindelkraft-")
    assert f"`{fresh.name}`" in README.read_text()


@pytest.mark.parametrize("fresh", FRESH_SETS, ids=IDS)
def test_idpilot_eval_runs_the_set(tmp_path: Path, fresh: FreshSet) -> None:
    args = ["--store", str(tmp_path / "any.duckdb"), "--set", fresh.name, "--only", fresh.refusal]
    output = eval_output(args)
    assert f"{fresh.name}: accuracy" in output, output
    assert f"{SECOND_TENANT_FILES[fresh.name]}.yaml" in output


@pytest.mark.parametrize("fresh", [s for s in FRESH_SETS if s.floor], ids=lambda s: s.name)
def test_the_set_does_not_regress_below_its_floor(
    second_tenant: SecondTenant, fresh: FreshSet
) -> None:
    assert fresh.floor is not None
    key = second_tenant.answer_key
    assert_second_tenant_floor(second_tenant.store, _cases(fresh), key, fresh.floor)
