"""Words of another language in an admin's question read as English; English questions and
names are left alone."""

from __future__ import annotations

import pytest

from idpilot.copilot.understanding.other_languages import in_english


@pytest.mark.parametrize(
    ("prompt", "english"),
    [
        ("La cuenta de Ana está deshabilitada. ¿Quién la bloqueó?", "who la blocked"),
        ("Quais políticas de acesso condicional estão desativadas?", "conditional access"),
        ("Zofia mówi, że konto zablokowane od wtorku rana.", "since tuesday morning"),
        ("Har Ørjan registrerat MFA?", "has Ørjan registered MFA"),
        ("Wer hat das Kennwort zurückgesetzt?", "who has das password reset"),
        ("Por que o login do Paulo foi bloqueado no dia 15?", "on the 15th"),
        ("Kto zmienił politykę i kiedy?", "who changed policy i when"),
    ],
)
def test_another_languages_words_read_as_english(prompt: str, english: str) -> None:
    assert english in in_english(prompt)


@pytest.mark.parametrize(
    "prompt",
    [
        "who is on the board?",
        "why did alice fail to sign in today?",
        "show me the sign-ins from Desde",
        "what does the Konto app do?",
        "Does the Hoy group exist?",
    ],
)
def test_english_and_a_stray_word_are_left_alone(prompt: str) -> None:
    assert in_english(prompt) == prompt
