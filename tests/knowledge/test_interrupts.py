"""Recognising interrupts and attempts that ended in success after them."""

from __future__ import annotations

import pytest

from idpilot.knowledge import ErrorCatalog, interrupt_followed_by_success


@pytest.mark.parametrize(
    "codes",
    [
        [50074, 0],
        [50140, 0],
        [50076, 50074, 0],
        [70043, 0],
        [70044, 0],
        [50058, 0],
        [50097, 0],
        [50125, 0],
        [65001, 0],
        ["AADSTS50076", "aadsts50074", "0"],
    ],
)
def test_interrupts_then_success(codes: list[int | str]) -> None:
    assert interrupt_followed_by_success(codes)


@pytest.mark.parametrize(
    "codes",
    [
        [],
        [0],
        [50074],
        [50074, 50074],
        [50126, 0],
        [50074, 50126, 0],
        [0, 50074],
        [50074, 0, 50074],
        [53003, 0],
        [999_999_999, 0],
    ],
)
def test_not_an_interrupted_success(codes: list[int]) -> None:
    assert not interrupt_followed_by_success(codes)


def test_is_interrupt_for_uncurated_interrupt_names(catalog: ErrorCatalog) -> None:
    named = [e for e in catalog.published if e.name and e.name.endswith("Interrupt")]
    assert named
    assert all(catalog.is_interrupt(e.code) for e in named if not e.is_curated)


def test_is_interrupt_unknown_and_success(catalog: ErrorCatalog) -> None:
    assert not catalog.is_interrupt(999_999_999)
    assert not catalog.is_interrupt(0)
    assert catalog.is_interrupt("AADSTS50140")
