"""The composer's filters keep tenant text inert."""

from __future__ import annotations

import re
from pathlib import Path

import idpilot
from idpilot.copilot.composer import _ENVIRONMENT, CitationBook, escape_markdown
from idpilot.skills import Record


def test_values_are_escaped_and_folded() -> None:
    assert escape_markdown("[x](http://e) #h\n*b*") == r"\[x\](http://e) \#h \*b\*"


def test_code_spans_cannot_be_closed_by_the_value() -> None:
    rendered = _ENVIRONMENT.from_string("{{ v | code }}").render(v="a`b | c")
    assert rendered == "`a'b | c`"


def test_absent_values_can_be_tested_but_not_printed() -> None:
    template = _ENVIRONMENT.from_string("{% if u.mail %}{{ u.mail }}{% else %}none{% endif %}")
    assert template.render(u={}) == "none"


def test_values_are_one_line_with_invisible_characters_shown() -> None:
    assert escape_markdown("Mallory \x1b]0;x\x07 \u202eevil\u200b\nnext") == (
        r"Mallory {U+001B}\]0;x{U+0007} {U+202E}evil{U+200B} next"
    )


def test_code_spans_show_invisible_characters_too() -> None:
    rendered = _ENVIRONMENT.from_string("{{ v | code }}").render(v="a\x1b[2Jb")
    assert rendered == "`a{U+001B}[2Jb`"


def test_citation_labels_carry_the_escaped_text() -> None:
    record = Record(kind="group", id="g1", label="Helpdesk <b>Team</b> [1]")
    book = CitationBook([record])
    assert book.cite("g1") == "[1]"
    assert book.citations()[0].label == r"Helpdesk \<b\>Team\</b\> \[1\]"


_BLOCK_AT_END = re.compile(r"\{%-?\s*end(?:if|for)\s*-?%\}$")
_TAGS_ONLY = re.compile(r"^\s*(?:\{%.*?%\}\s*)+$")


def test_no_template_line_loses_its_line_break_to_a_closing_tag() -> None:
    """trim_blocks eats the newline after a block tag: a line of text that ends with
    `{% endif %}` would run into the next line (`{{ "" }}` after the tag keeps it)."""
    root = Path(idpilot.__file__).parent
    offending = [
        f"{path.relative_to(root)}:{number}"
        for path in sorted(root.rglob("templates/*.j2"))
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if _BLOCK_AT_END.search(line) and not _TAGS_ONLY.match(line)
    ]
    assert offending == []


def test_a_windows_phrase_reads_after_a_verb() -> None:
    from idpilot.copilot.composer import period

    assert period("the first week of november") == "in the first week of november"
    assert period("since patch tuesday") == "since patch tuesday"
    assert period("yesterday") == "yesterday"
    assert period(None) == "in that window"
    assert period("monday") == "on monday"
    assert period("wednesday afternoon") == "on wednesday afternoon"
    assert period("the 13th") == "on the 13th"
    assert period("nov 9 around 3pm") == "on nov 9 around 3pm"
    assert period("the morning") == "in the morning"
