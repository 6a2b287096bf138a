"""Checks a prompt must pass before anything runs: not empty, not too long."""

from __future__ import annotations

from idpilot.errors import PromptError


def check_prompt(prompt: str, max_chars: int) -> str:
    """The prompt with surrounding blanks removed, or PromptError saying what is wrong."""
    text = prompt.strip()
    if not text:
        raise PromptError("The prompt is empty: ask a question about your tenant.")
    if len(text) > max_chars:
        raise PromptError(
            f"The prompt is {len(text):,} characters long; the limit is {max_chars:,} "
            "(setting IDPILOT_MAX_PROMPT_CHARS). Shorten it or split it into several questions."
        )
    return text
