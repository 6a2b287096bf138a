"""The exemplar bank and the intent classifier over it."""

from __future__ import annotations

import re

import pytest

from idpilot.copilot.understanding.classifier import (
    PLACEHOLDER_WORDS,
    QUOTED_PLACEHOLDER,
    Exemplar,
    IntentClassifier,
    classifier_for,
    fill_placeholders,
    lexical_terms,
    load_bank,
    mask_quoted_messages,
    written_out,
)
from idpilot.copilot.understanding.embedding import default_embedder
from idpilot.copilot.understanding.intents import INTENTS

MIN_EXEMPLARS = 30


def test_every_intent_has_a_bank_of_exemplars() -> None:
    counts: dict[str, int] = {}
    for exemplar in load_bank():
        counts[exemplar.intent] = counts.get(exemplar.intent, 0) + 1
    assert set(counts) == set(INTENTS)
    assert {i: n for i, n in counts.items() if n < MIN_EXEMPLARS} == {}


def test_exemplars_use_only_known_placeholders() -> None:
    used = {m for e in load_bank() for m in re.findall(r"\{(\w+)\}", e.text)}
    assert used <= set(PLACEHOLDER_WORDS)
    assert "{" not in fill_placeholders("why did {user} fail in {app}?")


def test_lexical_terms_stem_and_pair_words() -> None:
    assert lexical_terms("Failed sign-ins") == ["fail", "sign", "ins", "fail sign", "sign ins"]


@pytest.mark.parametrize(
    ("prompt", "intent"),
    [
        ("who are the global admins?", "role_holders"),
        ("is anyone spraying passwords at us?", "detect_threats"),
        ("write me a poem about autumn", "out_of_scope"),
        ("what can you do?", "help"),
    ],
)
def test_plain_questions_get_their_intent(prompt: str, intent: str) -> None:
    best = classifier_for().scores(prompt)[0]
    assert best.intent == intent


def test_probabilities_sum_to_one_best_first() -> None:
    scores = classifier_for().scores("list the disabled accounts")
    assert abs(sum(s.probability for s in scores) - 1.0) < 1e-6
    assert scores == sorted(scores, key=lambda s: -s.probability)


def test_a_plugins_exemplars_teach_the_classifier_a_new_intent() -> None:
    extra = [
        Exemplar(text=t, intent="print_queue")
        for t in ("printer queue stuck", "jobs in the print queue")
    ]
    classifier = IntentClassifier(load_bank(extra), default_embedder())
    assert classifier.scores("why is the print queue stuck")[0].intent == "print_queue"


def test_admins_shorthand_is_written_out() -> None:
    assert written_out("graph perms for the svc acct, pls") == (
        "graph permissions for the service account, please"
    )
    # Inside an address, a name or a longer word it is no shorthand.
    assert written_out("pwd.reset@contoso.com asked about pwdless") == (
        "pwd.reset@contoso.com asked about pwdless"
    )


def test_shorthand_reads_like_the_words_it_stands_for() -> None:
    classifier = classifier_for(())
    short = classifier.scores("who reset his pwd and when")
    long = classifier.scores("who reset his password and when")
    assert short[0].intent == long[0].intent
    assert short[0].probability == pytest.approx(long[0].probability)


def test_text_given_to_translate_is_not_the_question() -> None:
    assert mask_quoted_messages("translate this into Spanish: your password will expire soon") == (
        f"translate this into Spanish: {QUOTED_PLACEHOLDER}"
    )
    # A colon in a question about the tenant is left alone.
    ticket = "INC0042 | Caller: Alice says her password will expire soon"
    assert mask_quoted_messages(ticket) == ticket


def test_what_someone_said_is_read_and_what_a_screen_showed_is_not() -> None:
    said = 'Zofia says "somebody from IT reset my password on Tuesday". Who reset it?'
    assert mask_quoted_messages(said) == (
        "Zofia says somebody from IT reset my password on Tuesday. Who reset it?"
    )
    shown = 'Zofia says she sees "your account is locked, try again later". Why?'
    assert QUOTED_PLACEHOLDER in mask_quoted_messages(shown)
    # A user's words that quote the error too are a message; one with its code, that code.
    ticket = 'ticket: "I get an error saying my account is locked when I sign in"'
    assert QUOTED_PLACEHOLDER in mask_quoted_messages(ticket)


def test_an_error_code_reads_the_same_in_exemplars_prompts_and_quotes() -> None:
    from idpilot.copilot.understanding.classifier import PLACEHOLDER_WORDS, fill_placeholders

    code = PLACEHOLDER_WORDS["error_code"]
    assert fill_placeholders("who is getting AADSTS{error_code}?") == f"who is getting {code}?"
    quoted = "seeing a lot of 'AADSTS53003: Access has been blocked by policies' here"
    assert mask_quoted_messages(quoted) == f"seeing a lot of error {code} here"
    shown = 'she sees "Your sign-in was blocked" on her phone'
    assert mask_quoted_messages(shown) == f"she sees {QUOTED_PLACEHOLDER} on her phone"
