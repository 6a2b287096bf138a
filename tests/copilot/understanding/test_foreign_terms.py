"""Other products' identity words read as Entra's when the prompt is about this tenant."""

from __future__ import annotations

import pytest

from idpilot.copilot.understanding.foreign_terms import in_entra_terms


@pytest.mark.parametrize(
    ("prompt", "entra"),
    [
        ("did any of our service account keys leak?", "app secrets and certificates"),
        ("any service account keys already expired?", "app secrets and certificates"),
        ("Okta Verify has a number challenge. What's the Entra equivalent?", "number matching"),
        ("In Okta an account goes LOCKED_OUT. What's the Entra error for that?", "locked out"),
        ("which of our IAM roles can reset passwords?", "admin roles"),
        ("Like an AWS SCP that denies our regions: draft one for us", "Conditional Access"),
        ("who are our super admins?", "Global Administrators"),
        ("list our app integrations with no owner", "enterprise apps"),
    ],
)
def test_another_products_words_about_this_tenant_read_as_entras(prompt: str, entra: str) -> None:
    assert entra in in_entra_terms(prompt)


@pytest.mark.parametrize(
    "prompt",
    [
        "how do I create an IAM role in AWS for EC2?",
        "write an AWS IAM policy that allows s3:GetObject",
        "GCP service account key rotation best practice",
    ],
)
def test_a_question_about_another_product_stays_about_it(prompt: str) -> None:
    assert in_entra_terms(prompt) == prompt


def test_an_apps_name_followed_by_another_word_for_app_reads_as_the_app() -> None:
    from idpilot.copilot.entities import PromptEntities
    from idpilot.copilot.understanding.foreign_terms import apps_said_otherwise
    from idpilot.store.lookup import EntityMatch, MatchQuality

    payroll = EntityMatch(
        kind="servicePrincipal",
        id="sp1",
        label="Lønn Payroll",
        phrase="payroll",
        quality=MatchQuality.partial,
    )
    entities = PromptEntities(matches=[payroll])
    asked = "Who's responsible for the payroll tenant?"
    assert apps_said_otherwise(asked, entities) == "Who's responsible for the payroll app?"
    assert apps_said_otherwise("who owns the tenant?", entities) == "who owns the tenant?"
