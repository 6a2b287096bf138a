"""Each built-in prompt, its placeholders filled with the demo tenant's objects, is answered
by the skill it names; the engine tells its observer of the plan and each skill that ran."""

from __future__ import annotations

import pytest

from idpilot.copilot.answer import Answer
from idpilot.copilot.builtin_prompts import BUILTIN_PROMPTS, BuiltinPrompt
from idpilot.copilot.engine import Copilot
from idpilot.copilot.progress import Planned, SkillRan
from tests.conftest import DemoTenant


def _filled(prompt: BuiltinPrompt, tenant: DemoTenant) -> str:
    """The prompt with each placeholder replaced by an object of the store (the busiest)."""
    store = tenant.store
    values = {
        "user": store.scalar(
            "SELECT userPrincipalName FROM signIns WHERE errorCode <> 0 "
            "GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1"
        ),
        "group": store.scalar(
            "SELECT displayName FROM groups ORDER BY len(members) DESC, displayName LIMIT 1"
        ),
        "role": "Global Administrator",
        "code": store.scalar(
            "SELECT errorCode FROM signIns WHERE errorCode <> 0 "
            "GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1"
        ),
    }
    text = prompt.prompt
    for name in prompt.inputs:
        text = text.replace(f"<{name}>", str(values[name]))
    return text


def test_ids_are_unique() -> None:
    ids = [p.id for p in BUILTIN_PROMPTS]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("prompt", BUILTIN_PROMPTS, ids=lambda p: p.id)
def test_each_prompt_is_answered_by_its_skill(
    demo_tenant: DemoTenant, prompt: BuiltinPrompt
) -> None:
    steps: list[Planned | SkillRan] = []
    answer = Copilot(demo_tenant.store, observer=steps.append).ask(_filled(prompt, demo_tenant))
    planned, *ran = steps
    assert isinstance(planned, Planned) and isinstance(answer, Answer)
    assert [s.name for s in planned.skills][:1] == [prompt.skill]
    assert all(isinstance(step, SkillRan) for step in ran)
    assert [step.skill for step in ran] == [s.name for s in planned.skills]
    assert answer.skills[0].name == prompt.skill
