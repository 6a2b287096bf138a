"""Reading one large JSON document value by value, with a bounded buffer.

A Log Analytics query result is one document (`{"tables": [{"columns": [...], "rows": [...]}]}`)
that may hold hundreds of thousands of rows; `JsonStream` walks its structure and decodes one
value (a row) at a time, so memory holds a row, not the file. Positions in errors are the line
and column of the text.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, TextIO

CHUNK_CHARS = 1 << 20
_WHITESPACE = " \t\r\n"


class JsonStreamError(ValueError):
    """Where and why the text stops being the JSON the reader expects."""

    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not valid JSON")


class JsonStream:
    """A cursor over JSON text read in chunks: structural characters and whole values."""

    def __init__(self, handle: TextIO) -> None:
        self._handle = handle
        self._buffer = ""
        self._position = 0
        self._lines_before = 0  # newlines in text already dropped from the buffer
        self._eof = False
        self._decoder = json.JSONDecoder(parse_constant=_refuse_constant)

    def _fill(self) -> bool:
        """Read the next chunk, dropping what was consumed; False at the end of the text."""
        if self._eof:
            return False
        chunk = self._handle.read(CHUNK_CHARS)
        if not chunk:
            self._eof = True
            return False
        self._lines_before += self._buffer.count("\n", 0, self._position)
        self._buffer = self._buffer[self._position :] + chunk
        self._position = 0
        return True

    def _skip_space(self) -> None:
        while True:
            buffer = self._buffer
            while self._position < len(buffer) and buffer[self._position] in _WHITESPACE:
                self._position += 1
            if self._position < len(buffer) or not self._fill():
                return

    def where(self) -> tuple[int, int]:
        """(line, column) of the cursor, both from 1."""
        line = self._lines_before + self._buffer.count("\n", 0, self._position) + 1
        column = self._position - (self._buffer.rfind("\n", 0, self._position) + 1) + 1
        return line, column

    def error(self, message: str) -> JsonStreamError:
        """An error at the cursor."""
        return JsonStreamError(message, *self.where())

    def peek(self) -> str:
        """The next structural character ('' at the end of the text)."""
        self._skip_space()
        return self._buffer[self._position] if self._position < len(self._buffer) else ""

    def expect(self, character: str, what: str) -> None:
        """Consume `character` or fail saying `what` was expected."""
        found = self.peek()
        if found != character:
            shown = f"'{found}'" if found else "the end of the file"
            raise self.error(f"expected {what}, found {shown}")
        self._position += 1

    def value(self) -> Any:
        """Decode the next whole JSON value (growing the buffer until it is complete)."""
        self._skip_space()
        while True:
            try:
                value, end = self._decoder.raw_decode(self._buffer, self._position)
            except json.JSONDecodeError as error:
                if self._fill():
                    continue
                self._position = error.pos
                raise self.error(f"invalid JSON: {error.msg}") from None
            except (ValueError, RecursionError) as error:
                raise self.error(f"invalid JSON: {error}") from None
            if end == len(self._buffer) and self._fill():
                continue  # a number may go on in the next chunk
            self._position = end
            return value

    def key(self) -> str:
        """The next object key and its colon."""
        if self.peek() != '"':
            raise self.error("expected a property name in double quotes")
        name = self.value()
        self.expect(":", "':' after a property name")
        return name

    def members(self, closing: str) -> Iterator[None]:
        """After an opening bracket: one step per member (the caller reads it), then the
        closing bracket is consumed."""
        if self.peek() == closing:
            self._position += 1
            return
        while True:
            yield
            found = self.peek()
            self._position += 1
            if found == closing:
                return
            if found != ",":
                self._position -= 1
                raise self.error(f"expected ',' or '{closing}'")

    def at_end(self) -> bool:
        """True when only whitespace is left."""
        return self.peek() == ""
