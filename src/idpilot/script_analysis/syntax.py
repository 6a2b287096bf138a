"""Parse a decoded PowerShell script with tree-sitter: the commands it runs, and whether it
parses. Other languages are read by the tokenizer of `_scanner` only."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from idpilot.script_analysis.model import Command, Language

TREE_SITTER = "tree-sitter-powershell"
TOKENIZER = "tokenizer"


@dataclass(frozen=True)
class Parsed:
    """What parsing found: the parser, the commands and the count of syntax errors."""

    parser: str
    commands: list[Command]
    syntax_errors: int


@cache
def _parser() -> Any:
    import tree_sitter
    import tree_sitter_powershell

    return tree_sitter.Parser(tree_sitter.Language(tree_sitter_powershell.language()))


def parse(text: str, language: Language) -> Parsed:
    """The commands of a PowerShell script (name and line) and its syntax error count."""
    if language is not Language.powershell:
        return Parsed(TOKENIZER, [], 0)
    tree = _parser().parse(text.encode("utf-8"))
    commands: list[Command] = []
    errors = 0
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        if node.type == "ERROR" or node.is_missing:
            errors += 1
        if node.type == "command_name":
            name = node.text.decode("utf-8", errors="replace") if node.text else ""
            commands.append(Command(name=name, line=node.start_point[0] + 1))
        stack.extend(reversed(node.children))
    return Parsed(TREE_SITTER, commands, errors)
