"""The template composer: turns skill results into markdown with [n] citations.

Every value a template prints passes through `_finalize`, which makes it inert (one line, control,
bidi and invisible characters shown as code points) and escapes markdown, so tenant data (a
displayName is untrusted input) cannot inject links, headings, formatting, terminal sequences or
citation markers. Citations are numbered in order of first use and only ever point at evidence the
skill returned; their labels carry the same escaped text as the answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from jinja2 import ChoiceLoader, Environment, PackageLoader, StrictUndefined

from idpilot.copilot.answer import Citation
from idpilot.copilot.compiled_templates import PrecompiledLoader
from idpilot.copilot.inert import inert_text
from idpilot.model.records import Record
from idpilot.skills import SkillResult
from idpilot.store.lookup import MAX_MATCHES_PER_NAME

DOC_CITATION_KIND = "doc"
"""The evidence kind of a quoted documentation section (its id is the section's URL)."""
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|#!~&])")


class Markdown(str):
    """Text the composer produced itself (citation markers), printed without escaping."""


def escape_markdown(value: str) -> str:
    """Make untrusted text inert in markdown: one line, invisibles shown, specials escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", inert_text(value))


def _finalize(value: Any) -> Any:
    if isinstance(value, Markdown):
        return value
    if value is None:
        return "unknown"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M UTC")
    return escape_markdown(str(value))


def _when(value: Any) -> str:
    """A timestamp (datetime or ISO string) as 'YYYY-MM-DD HH:MM UTC'."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M UTC")
    return "unknown"


class _TestableUndefined(StrictUndefined):
    """Missing values may be tested (`{% if user.mail %}`) but never printed.

    Graph objects omit properties freely (a $select export, a published example), so a
    template asks before it prints; printing something absent is still a template bug.
    """

    def __bool__(self) -> bool:
        return False


BUILTIN_SKILLS = "idpilot.skills.builtin"
_SHIPPED_LOADERS = (
    PackageLoader("idpilot.copilot", "templates"),
    PackageLoader(BUILTIN_SKILLS, "templates"),
)
_LOADER = ChoiceLoader(list(_SHIPPED_LOADERS))
"""The composer's own templates (refusals, statuses, shared partials), the built-in skills'
templates beside them, then a plugin package's `templates/` folder, added the first time one
of its skills is composed."""
_PACKAGES: set[str] = {BUILTIN_SKILLS}
_ENVIRONMENT = Environment(
    loader=PrecompiledLoader(_LOADER),  # shipped templates come compiled (compiled_templates)
    finalize=_finalize,
    undefined=_TestableUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    autoescape=False,
)
_ENVIRONMENT.globals["max_listed_matches"] = MAX_MATCHES_PER_NAME
_ENVIRONMENT.filters["when"] = _when
# Inside a code span markdown is inert, so only backticks need removing (no escaping).
_ENVIRONMENT.filters["code"] = lambda value: Markdown(
    "`" + inert_text(str(value)).replace("`", "'") + "`"
)
# A fenced block (a query): each line made inert, a fence inside the text broken up.
_ENVIRONMENT.filters["code_block"] = lambda value, language="": Markdown(
    f"```{language}\n"
    + "\n".join(inert_text(line).replace("```", "'''") for line in str(value).splitlines())
    + "\n```"
)
# A `{% set name %}...{% endset %}` block's text, already made inert value by value when it
# was rendered: printed as it is, not escaped a second time.
_ENVIRONMENT.filters["composed"] = Markdown
_ENVIRONMENT.filters["plural"] = lambda n, word: f"{n} {word}{'' if n == 1 else 's'}"
_SAYS_ITS_OWN_PREPOSITION = re.compile(
    r"^(?:since|between|from|after|before|over|during|on|in|at|within|until|till|yesterday|"
    r"today|tonight|this|last|past)\b",
    re.I,
)


_A_DAY = re.compile(
    r"^(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|the\s+\d{1,2}(?:st|nd|rd|th)\b|"
    r"\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)|"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b|\d{4}-\d{2}-\d{2})",
    re.I,
)
"""A phrase that names a day ("monday", "wednesday afternoon", "the 13th", "nov 9")."""


def period(phrase: str | None) -> str:
    """A window's phrase after a verb: "in the first week of November", "on Monday", but
    "since patch Tuesday" and "yesterday" as they are; "in that window" when there is no
    phrase."""
    if not phrase:
        return "in that window"
    if _SAYS_ITS_OWN_PREPOSITION.match(phrase):
        return phrase
    return f"on {phrase}" if _A_DAY.match(phrase) else f"in {phrase}"


_ENVIRONMENT.filters["period"] = period


class CitationBook:
    """Numbers evidence records in order of first citation.

    A reference is an evidence id, or `kind:id` where records of several kinds share an id
    (a user, its riskyUser and its userRegistrationDetails all carry the user's object id).
    """

    def __init__(self, evidence: list[Record]) -> None:
        self._records = {(record.kind, record.id): record for record in evidence}
        self._kinds_of: dict[str, list[str]] = {}
        for kind, record_id in self._records:
            self._kinds_of.setdefault(record_id, []).append(kind)
        self._numbers: dict[tuple[str, str], int] = {}

    def _key(self, reference: str) -> tuple[str, str]:
        kind, _, record_id = reference.partition(":")
        if record_id and (kind, record_id) in self._records:
            return kind, record_id
        kinds = self._kinds_of.get(reference, [])
        if len(kinds) == 1:
            return kinds[0], reference
        problem = "several evidence kinds" if kinds else "nothing in the skill's evidence"
        raise KeyError(f"cited {reference!r}, which matches {problem}; cite it as kind:id")

    def cite(self, *references: str | None) -> Markdown:
        """The [n] markers of these evidence references (ids, or kind:id)."""
        markers = []
        for reference in references:
            if reference is None:
                continue
            key = self._key(reference)
            number = self._numbers.setdefault(key, len(self._numbers) + 1)
            markers.append(f"[{number}]")
        return Markdown("".join(markers))

    def scoped(self, evidence: list[Record]) -> Callable[..., Markdown]:
        """`cite` for one skill's template: a bare id means that skill's record of that id
        (two skills of one answer may hold records of different kinds with the same id)."""
        kinds: dict[str, set[str]] = {}
        for record in evidence:
            kinds.setdefault(record.id, set()).add(record.kind)

        def cite(*references: str | None) -> Markdown:
            qualified = [
                f"{next(iter(kinds[r]))}:{r}" if r and len(kinds.get(r, ())) == 1 else r
                for r in references
            ]
            return self.cite(*qualified)

        return cite

    def cited(self) -> set[tuple[str, str]]:
        """(kind, id) of every record cited so far."""
        return set(self._numbers)

    def citations(self) -> list[Citation]:
        """The citations used, in number order."""
        return [
            Citation(
                n=n,
                kind=kind,
                id=i,
                label=escape_markdown(self._records[(kind, i)].label),
                url=_published_url(self._records[(kind, i)]),
            )
            for (kind, i), n in sorted(self._numbers.items(), key=lambda item: item[1])
        ]


def _published_url(record: Record) -> str | None:
    """The address of a documentation page a `doc` record quotes (tenant records have none)."""
    url = record.fields.get("url") if record.kind == DOC_CITATION_KIND else None
    return str(url) if url else None


def shipped_templates() -> tuple[Environment, list[str]]:
    """The composer's environment and the templates idpilot ships (its own and the built-in
    skills'), which `compiled_templates` compiles ahead of time."""
    return _ENVIRONMENT, [name for loader in _SHIPPED_LOADERS for name in loader.list_templates()]


def use_skill_templates(package: str) -> None:
    """Let the composer find `<skill>.md.j2` in `package`'s `templates/` folder (a skill's
    template lives beside it, so a plugin's skill composes like a built-in one)."""
    if package not in _PACKAGES:
        _PACKAGES.add(package)
        _LOADER.loaders.append(PackageLoader(package, "templates"))


def compose(result: SkillResult, book: CitationBook, **context: Any) -> str:
    """Render one skill result with its template (by status, then by skill name)."""
    if result.status != "ok":
        template = _ENVIRONMENT.get_template(f"_status_{result.status.value}.md.j2")
    else:
        template = _ENVIRONMENT.get_template(f"{result.skill}.md.j2")
    text = template.render(r=result, f=result.facts, cite=book.scoped(result.evidence), **context)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def compose_template(template: str, **context: Any) -> str:
    """Render a message template that has no skill result (refusals, clarifications)."""
    return _ENVIRONMENT.get_template(f"{template}.md.j2").render(**context).strip() + "\n"
