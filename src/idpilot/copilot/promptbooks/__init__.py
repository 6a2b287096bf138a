"""Promptbooks: ordered prompts with parameters, asked in one session, each step able to use
the objects earlier answers cited. Built-ins ship as YAML in `builtin/`."""

from idpilot.copilot.promptbooks.catalog import (
    UnknownPromptbookError,
    builtin_promptbooks,
    find_promptbook,
)
from idpilot.copilot.promptbooks.model import (
    MAX_PARAMETER_CHARS,
    Parameter,
    Promptbook,
    PromptbookError,
    Step,
    load_promptbook,
    parse_promptbook,
)
from idpilot.copilot.promptbooks.objects import OBJECTS, answer_objects
from idpilot.copilot.promptbooks.run import (
    PromptbookRun,
    StepRun,
    bind_parameters,
    fill,
    run_promptbook,
)

__all__ = [
    "MAX_PARAMETER_CHARS",
    "OBJECTS",
    "Parameter",
    "Promptbook",
    "PromptbookError",
    "PromptbookRun",
    "Step",
    "StepRun",
    "UnknownPromptbookError",
    "answer_objects",
    "bind_parameters",
    "builtin_promptbooks",
    "fill",
    "find_promptbook",
    "load_promptbook",
    "parse_promptbook",
    "run_promptbook",
]
