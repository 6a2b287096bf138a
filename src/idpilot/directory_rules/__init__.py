"""Entra dynamic membership rules: parse, explain in plain language, evaluate against users."""

from idpilot.directory_rules.rule import (
    Clause,
    Logical,
    Not,
    RuleError,
    evaluate,
    explain,
    parse_rule,
)

__all__ = ["Clause", "Logical", "Not", "RuleError", "evaluate", "explain", "parse_rule"]
