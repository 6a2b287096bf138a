"""A trailing comma before `by`: `summarize n = dcount(u), by bin(TimeGenerated, 1h)`.

Kusto accepts a comma after the last aggregate of `summarize` (published hunting queries carry
one); the grammar duckdb-kql vendors does not. Here the lexer hides a comma whose next word,
past spaces and `//` comments, is the keyword `by`: the parser then reads the clause as Kusto
does. `by` is a keyword, so a comma before it ends a list in no other valid query.
"""

from __future__ import annotations

from typing import Any

from antlr4 import Token
from duckdb_kql import parser
from duckdb_kql._antlr.KqlLexer import KqlLexer

_KEYWORD = "by"


def register() -> None:
    """Teach duckdb-kql's lexer (as extended so far) to hide a comma before `by`."""
    base = parser.KqlLexer

    class TrailingCommaLexer(base):  # type: ignore[misc, valid-type]
        """duckdb-kql's lexer, hiding a comma that only precedes `by`."""

        def nextToken(self) -> Any:
            """The next token; a comma before `by` goes to the hidden channel."""
            token = super().nextToken()
            if token.type == KqlLexer.COMMA and _precedes_by(self._input, token.stop + 1):
                token.channel = Token.HIDDEN_CHANNEL
            return token

    parser.KqlLexer = TrailingCommaLexer


def _precedes_by(stream: Any, index: int) -> bool:
    """Whether the next word at or after `index`, past spaces and comments, is `by`."""
    size = stream.size
    while index < size:
        character = stream.getText(index, index)
        if character.isspace():
            index += 1
        elif stream.getText(index, index + 1) == "//":
            while index < size and stream.getText(index, index) != "\n":
                index += 1
        else:
            word = stream.getText(index, index + len(_KEYWORD))
            return word[: len(_KEYWORD)].lower() == _KEYWORD and not (
                word[len(_KEYWORD) :].isalnum() or word[len(_KEYWORD) :] == "_"
            )
    return False
