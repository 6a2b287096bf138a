"""An error message quoted without its code names the code whose text it is, from the tenant's
own failure reasons or Microsoft's published messages; a speaker's role said first is who asks."""

from __future__ import annotations

from idpilot.copilot.engine import Copilot
from idpilot.copilot.entities import PromptEntities
from idpilot.copilot.understanding.prompt_names import without_speaker_role
from idpilot.copilot.understanding.quoted_errors import add_quoted_error_codes
from tests.conftest import DemoTenant


def _reason(demo: DemoTenant, code: int) -> str:
    return demo.store.scalar(
        "SELECT any_value(status->>'failureReason') FROM signIns WHERE errorCode = ?", [code]
    )


def test_a_quoted_failure_reason_names_its_code(demo_tenant: DemoTenant) -> None:
    first_sentence = _reason(demo_tenant, 53000).split(".")[0].lower()
    entities = PromptEntities()
    prompt = f"who has been getting the '{first_sentence}' error?"
    read = add_quoted_error_codes(demo_tenant.store, prompt, entities)
    assert entities.error_codes == [53000]
    assert read == "who has been getting the error 53000 error?"


def test_a_quote_that_fits_no_one_error_names_none(demo_tenant: DemoTenant) -> None:
    for prompt in (
        "she says 'somebody reset my password yesterday' is that true?",
        "the screen said 'something went wrong'",
        'on screen is written "Your account or password is incorrect"',  # a lockout's too
    ):
        entities = PromptEntities()
        assert add_quoted_error_codes(demo_tenant.store, prompt, entities) == prompt
        assert entities.error_codes == []


def test_who_got_a_quoted_error_lists_the_people(demo_tenant: DemoTenant) -> None:
    quoted = _reason(demo_tenant, 53000).split(".")[0]
    answer = Copilot(demo_tenant.store).ask(
        f"Intune admin here. Who has been getting the '{quoted}' error recently?"
    )
    assert [s.name for s in answer.skills] == ["explain_error"]
    assert answer.skills[0].params["code"] == 53000


def test_the_speakers_role_said_first_is_not_the_question() -> None:
    assert without_speaker_role("Intune admin here. Who got error 53000?") == "Who got error 53000?"
    said = "I'm the analyst on shift: any sprays today?"
    assert without_speaker_role(said) == "any sprays today?"
    # A role that is the question stays.
    assert without_speaker_role("who holds global admin?") == "who holds global admin?"
