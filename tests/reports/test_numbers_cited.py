"""Every number a report prints is a value of a record cited next to it (figure records name
the records they were computed from, which the appendix lists too)."""

from __future__ import annotations

import re

import pytest

from idpilot.copilot.grounding import plain_text
from idpilot.model.records import text_leaves
from idpilot.reports import Audience, ReportKind
from idpilot.reports.model import FIGURE_KIND

_MARKERS = re.compile(r"(?:\[\d+\])+")
_NUMBER = re.compile(r"(?<!\S)[(*]*(\d+(?:\.\d+)?)[)*,;:.]*(?!\S)")
_LIST_NUMBER = re.compile(r"^\s*\d+\.\s")


def _numbers_and_markers(line: str) -> list[tuple[str, list[int]]]:
    """Each number of a line and the citation numbers of the first marker group after it."""
    line = _LIST_NUMBER.sub("", line)
    found = []
    for match in _NUMBER.finditer(line):
        after = _MARKERS.search(line, match.end())
        cited = [int(n) for n in re.findall(r"\d+", after.group(0))] if after else []
        found.append((match.group(1), cited))
    return found


def _carries(record, number: str) -> bool:
    for leaf in text_leaves({"label": record.label, **record.fields}):
        if re.fullmatch(r"-?\d+(?:\.\d+)?", leaf) and float(leaf) == float(number):
            return True
        if number in re.split(r"[^\w.]+", leaf):
            return True
    return False


@pytest.mark.parametrize("audience", list(Audience))
@pytest.mark.parametrize("kind", list(ReportKind))
def test_every_number_comes_from_a_cited_record(
    reports: dict, kind: ReportKind, audience: Audience
) -> None:
    answer = reports[(kind, audience)]
    records = {(r.kind, r.id): r for r in answer.evidence}
    by_number = {c.n: records[(c.kind, c.id)] for c in answer.citations}
    checked = 0
    in_code = False
    for line in answer.answer.splitlines():
        if line.startswith("```"):
            in_code = not in_code
            continue
        if in_code:
            continue
        for number, cited in _numbers_and_markers(plain_text(line)):
            assert cited, f"{number!r} has no citation: {line}"
            assert any(_carries(by_number[n], number) for n in cited), (number, line)
            checked += 1
    assert checked >= 2


@pytest.mark.parametrize("kind", list(ReportKind))
def test_figures_name_records_the_answer_carries(reports: dict, kind: ReportKind) -> None:
    answer = reports[(kind, Audience.engineer)]
    present = {f"{r.kind}:{r.id}" for r in answer.evidence}
    figures = [r for r in answer.evidence if r.kind == FIGURE_KIND]
    assert figures
    for figure in figures:
        assert set(figure.fields["from"]) <= present, figure.id


def test_the_check_fails_on_an_uncited_number() -> None:
    assert _numbers_and_markers("**43** score and 12 more") == [("43", []), ("12", [])]
    assert _numbers_and_markers("- **7** failed [3][4]") == [("7", [3, 4])]
    assert _numbers_and_markers("IDP-MFA-001 at 2026-11-20 10:00 UTC, MS.AAD.3.2v1 [1]") == []
