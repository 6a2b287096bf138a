"""Skills as one-line signatures for a model with a small context."""

from __future__ import annotations

from pydantic import BaseModel

from idpilot.copilot.skill_signatures import signature, skill_signatures
from idpilot.skills import SkillResult, default_registry, define_skill
from idpilot.store import Store


class NoteInput(BaseModel):
    """Inputs of a test skill."""

    user: str
    kinds: list[str] = []
    level: str | None = None


def user_note(store: Store, params: NoteInput) -> SkillResult:
    """Show the helpdesk's notes about a user."""
    return SkillResult(skill="user_note")


def test_a_signature_names_inputs_marks_optional_ones_and_describes_the_skill() -> None:
    skill = define_skill(user_note, examples=("notes about {user}",))
    assert signature(skill) == (
        "user_note(user: string, kinds?: list of string, level?: string): "
        "Show the helpdesk's notes about a user."
    )


def test_every_skill_has_one_line() -> None:
    registry = default_registry()
    lines = skill_signatures(registry).splitlines()
    assert [line.split("(")[0] for line in lines] == [f"- {s.name}" for s in registry.all()]
    assert (
        "- user_details(user: string): "
        in lines[[s.name for s in registry.all()].index("user_details")]
    )
    assert all("$ref" not in line and "anyOf" not in line for line in lines)
