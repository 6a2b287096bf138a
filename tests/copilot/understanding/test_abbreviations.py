"""Feature abbreviations typed in capitals are spelled out; the same letters in lower case, or
inside another word, are left alone."""

from __future__ import annotations

import pytest

from idpilot.copilot.understanding.abbreviations import spelled_out


@pytest.mark.parametrize(
    ("prompt", "spelled"),
    [
        ("Who's outside the MFA CAP?", "Who's outside the MFA Conditional Access policy?"),
        ("Draft two CAPs for guests", "Draft two Conditional Access policies for guests"),
        ("EXO keeps bouncing her client", "Exchange Online keeps bouncing her client"),
        (
            "The TAP task in the pre-hire LCW",
            "The Temporary Access Pass task in the pre-hire lifecycle workflow",
        ),
        ("is WHfB registered?", "is Windows Hello for Business registered?"),
    ],
)
def test_an_abbreviation_in_capitals_is_spelled_out(prompt: str, spelled: str) -> None:
    assert spelled_out(prompt) == spelled


@pytest.mark.parametrize(
    "prompt", ["is there a cap on sign-ins?", "tap the approve button", "the CAPTCHA page"]
)
def test_the_same_letters_otherwise_are_left_alone(prompt: str) -> None:
    assert spelled_out(prompt) == prompt
