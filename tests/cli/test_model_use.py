"""The line under an answer says what the model did for it; offline it says nothing more."""

from __future__ import annotations

from idpilot.cli.ask import model_use
from idpilot.copilot.answer import Answer
from idpilot.copilot.trace import ModelCallRecord, Step, StepOrigin, Trace


def test_model_use_counts_calls_tokens_and_further_steps() -> None:
    trace = Trace(
        model="qwen2.5",
        steps=[
            Step(n=1, tool="user_details", status="ok"),
            Step(n=2, tool="risky_user_summary", status="ok", origin=StepOrigin.model),
        ],
        model_calls=[
            ModelCallRecord(purpose="plan", latency_ms=1, prompt_tokens=900, completion_tokens=60),
            ModelCallRecord(purpose="step", latency_ms=1, prompt_tokens=1500, completion_tokens=2),
        ],
    )
    trace.count_tokens()
    answer = Answer(prompt="p", answer="a", session_id="s", trace=trace)
    assert model_use(answer) == " · qwen2.5: 2 calls, 2,462 tokens, 1 further step"
    assert model_use(Answer(prompt="p", answer="a", session_id="s")) == ""
