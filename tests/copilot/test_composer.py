"""The composer's filters keep tenant text inert."""

from __future__ import annotations

from idpilot.copilot.composer import _ENVIRONMENT, escape_markdown


def test_values_are_escaped_and_folded() -> None:
    assert escape_markdown("[x](http://e) #h\n*b*") == r"\[x\](http://e) \#h \*b\*"


def test_code_spans_cannot_be_closed_by_the_value() -> None:
    rendered = _ENVIRONMENT.from_string("{{ v | code }}").render(v="a`b | c")
    assert rendered == "`a'b | c`"


def test_absent_values_can_be_tested_but_not_printed() -> None:
    template = _ENVIRONMENT.from_string("{% if u.mail %}{{ u.mail }}{% else %}none{% endif %}")
    assert template.render(u={}) == "none"
