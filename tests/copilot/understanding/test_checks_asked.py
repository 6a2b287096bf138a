"""The posture checks a question names lead the posture answer; a question about the whole
posture names none."""

from __future__ import annotations

import pytest

from idpilot.copilot.understanding.checks_asked import checks_asked
from idpilot.posture import CHECKS


def _title(check_id: str) -> str:
    return next(c.title for c in CHECKS if c.id == check_id)


@pytest.mark.parametrize(
    ("prompt", "words"),
    [
        ("Do we pass the legacy authentication check? Which policy shows it?", "Legacy"),
        ("Does activating Global Admin need anyone's approval in this tenant?", "approval"),
        ("are user passwords set to never expire?", "passwords"),
    ],
)
def test_a_check_named_in_words_is_found(prompt: str, words: str) -> None:
    found = checks_asked(prompt)
    assert found and words in _title(found[0])


@pytest.mark.parametrize(
    "prompt", ["what's our security posture?", "run a posture assessment", "how are we doing?"]
)
def test_the_whole_posture_names_no_check(prompt: str) -> None:
    assert checks_asked(prompt) == []
